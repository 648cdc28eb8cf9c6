import type { Kysely } from 'kysely';

// Who is sending a submission's or a batch's mail (a Temporal activity, by workflow and activity id),
// so a retried attempt can take its own claim back while a sibling workflow cannot send twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('email_claimed_by', 'text').execute();
  await db.schema
    .alterTable('batches')
    .addColumn('email_sent_at', 'timestamptz')
    .addColumn('email_claimed_by', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('batches').dropColumn('email_claimed_by').dropColumn('email_sent_at').execute();
  await db.schema.alterTable('submissions').dropColumn('email_claimed_by').execute();
}
