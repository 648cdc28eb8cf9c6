import { type Kysely, sql } from 'kysely';

// The whole data model in one first migration; see docs/design.md "Where state lives".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backends')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('task_queue', 'text', (c) => c.notNull())
    .addColumn('root_path', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('backend_id', 'integer', (c) => c.notNull().references('backends.id').onDelete('restrict'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('executable', 'text', (c) => c.notNull())
    .addColumn('inputs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('outputs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('stdout_ending', 'text')
    .addColumn('custom_exit_codes', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('custom_exit_behaviour', 'text', (c) => c.notNull().defaultTo('fail'))
    .addColumn('incomplete_outputs', 'text', (c) => c.notNull().defaultTo('fail'))
    .addColumn('retry', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('timeout_seconds', 'integer')
    .addColumn('version', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('tasks_custom_exit_behaviour', sql`custom_exit_behaviour in ('continue','terminate','fail')`)
    .addCheckConstraint('tasks_incomplete_outputs', sql`incomplete_outputs in ('continue','terminate','fail')`)
    .execute();

  await db.schema
    .createTable('task_parameters')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('flag', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('default_value', 'text')
    .addColumn('required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('spacing', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('switchless', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('choices', sql`text[]`)
    .addColumn('allow_leading_dash', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('task_parameters_task_alias', ['task_id', 'alias'])
    .addCheckConstraint('task_parameters_type', sql`type in ('switch','string','integer','number','choice')`)
    .execute();

  await db.schema
    .createTable('task_environment')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_environment_pk', ['task_id', 'name'])
    .execute();

  await db.schema
    .createTable('task_configurations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('parameters', 'text', (c) => c.notNull().defaultTo(''))
    .addCheckConstraint('task_configurations_type', sql`type in ('Software','Dataset','Misc.')`)
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('runnable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('retention_days', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('job_steps')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('restrict'))
    .addColumn('ordering', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_steps_job').on('job_steps').columns(['job_id', 'ordering', 'position']).execute();

  await db.schema
    .createTable('job_validators')
    .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('validator', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_validators_pk', ['job_id', 'validator'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('api_keys_role', sql`role in ('admin','submitter')`)
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('batch_id', 'uuid', (c) => c.references('batches.id').onDelete('set null'))
    .addColumn('job_id', 'integer', (c) => c.references('jobs.id').onDelete('set null'))
    // Kept apart from job_id so history and tombstones survive a deleted job.
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('client_identity', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('submitted'))
    .addColumn('last_message', 'text', (c) => c.notNull().defaultTo('Submitted'))
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('plan', 'jsonb')
    .addColumn('workflow_id', 'text')
    .addColumn('run_id', 'text')
    .addColumn('cancel_requested_by', 'text')
    .addColumn('cancel_requested_at', 'timestamptz')
    .addColumn('email_sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('expired_at', 'timestamptz')
    .addCheckConstraint(
      'submissions_status',
      sql`status in ('submitted','running','complete','error','crash','cancelled','deleted','expired')`,
    )
    .execute();
  await db.schema.createIndex('submissions_job_status').on('submissions').columns(['job_name', 'status']).execute();
  await db.schema
    .createIndex('submissions_client_status')
    .on('submissions')
    .columns(['client_identity', 'status'])
    .execute();
  await db.schema.createIndex('submissions_batch').on('submissions').column('batch_id').execute();
  await db.schema.createIndex('submissions_created').on('submissions').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('step_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('task_name', 'text', (c) => c.notNull())
    .addColumn('backend', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exit_code', 'integer')
    .addColumn('host', 'text')
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('step_runs_submission_step', ['submission_id', 'step_index'])
    .execute();

  await db.schema
    .createTable('submission_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('step_index', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('submission_messages_submission')
    .on('submission_messages')
    .column('submission_id')
    .execute();

  await db.schema
    .createTable('stored_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('task_name', 'text')
    .addColumn('step_index', 'integer')
    .addColumn('stage', 'integer')
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text')
    // Null until every chunk is written, so a half-stored file is never served.
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('stored_files_kind', sql`kind in ('input','result','stdout','stderr')`)
    .execute();
  await db.schema
    .createIndex('stored_files_submission')
    .on('stored_files')
    .columns(['submission_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('stored_files_step_name')
    .on('stored_files')
    .columns(['submission_id', 'step_index', 'name'])
    .unique()
    .nullsNotDistinct()
    .execute();

  await db.schema
    .createTable('file_chunks')
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('stored_files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'file_chunks',
    'stored_files',
    'submission_messages',
    'step_runs',
    'submissions',
    'batches',
    'api_keys',
    'users',
    'job_validators',
    'job_steps',
    'jobs',
    'task_configurations',
    'task_environment',
    'task_parameters',
    'tasks',
    'backends',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
