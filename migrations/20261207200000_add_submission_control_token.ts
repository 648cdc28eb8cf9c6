import type { Kysely } from 'kysely';

// The sha256 of the token an anonymous submitter gets once from the POST, needed to cancel or delete
// the submission; null for a user's submissions and for anonymous ones stored before this column
// (those only an admin may cancel or delete).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('control_token_sha256', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').dropColumn('control_token_sha256').execute();
}
