import { sql, type Kysely } from 'kysely';

// Every change to what a submission's status GET shows, and to the job catalogue, is announced
// by PostgreSQL itself, whichever process or statement makes it: the API's caches of submission
// state and job definitions (src/submissions/notified-cache.ts) stay correct only if no writer
// can forget. Notices are sent at commit and identical ones within a transaction are merged, so
// the statements that already call pg_notify cost nothing more.

// Rows that belong to one submission: its steps, messages and files.
const SUBMISSION_PARTS = ['step_runs', 'submission_messages', 'stored_files'];
// What loadJobDefinition and the facade's task ids read.
const CATALOGUE = [
  'jobs',
  'job_steps',
  'job_validators',
  'tasks',
  'task_parameters',
  'task_environment',
  'task_configurations',
  'backends',
  'scripts',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function aa_notify_submission_part() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' and old.submission_id is not null then
        perform pg_notify('aa_submission_events', old.submission_id::text);
      end if;
      if tg_op <> 'DELETE' and new.submission_id is not null then
        perform pg_notify('aa_submission_events', new.submission_id::text);
      end if;
      return null;
    end $$`.execute(db);
  // A submission's own row also announces its batch, whose membership the A_A facade's batch GET shows.
  await sql`
    create function aa_notify_submission() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        perform pg_notify('aa_submission_events', old.id::text);
        if old.batch_id is not null then perform pg_notify('aa_submission_events', old.batch_id::text); end if;
      end if;
      if tg_op <> 'DELETE' then
        perform pg_notify('aa_submission_events', new.id::text);
        if new.batch_id is not null then perform pg_notify('aa_submission_events', new.batch_id::text); end if;
      end if;
      return null;
    end $$`.execute(db);
  // TRUNCATE names no rows: '*' tells listeners that anything may have changed.
  await sql`
    create function aa_notify_all_submissions() returns trigger language plpgsql as $$
    begin
      perform pg_notify('aa_submission_events', '*');
      return null;
    end $$`.execute(db);
  await sql`
    create function aa_notify_catalogue() returns trigger language plpgsql as $$
    begin
      perform pg_notify('aa_catalogue_events', '');
      return null;
    end $$`.execute(db);

  await sql`create trigger aa_notify_change after insert or update or delete on submissions
    for each row execute function aa_notify_submission()`.execute(db);
  for (const table of ['submissions', ...SUBMISSION_PARTS]) {
    if (table !== 'submissions') {
      await sql`create trigger aa_notify_change after insert or update or delete on ${sql.table(table)}
        for each row execute function aa_notify_submission_part()`.execute(db);
    }
    await sql`create trigger aa_notify_truncate after truncate on ${sql.table(table)}
      for each statement execute function aa_notify_all_submissions()`.execute(db);
  }
  for (const table of CATALOGUE) {
    await sql`create trigger aa_notify_catalogue after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function aa_notify_catalogue()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['submissions', ...SUBMISSION_PARTS]) {
    await sql`drop trigger if exists aa_notify_change on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists aa_notify_truncate on ${sql.table(table)}`.execute(db);
  }
  for (const table of CATALOGUE)
    await sql`drop trigger if exists aa_notify_catalogue on ${sql.table(table)}`.execute(db);
  for (const fn of [
    'aa_notify_submission_part',
    'aa_notify_submission',
    'aa_notify_all_submissions',
    'aa_notify_catalogue',
  ])
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
}
