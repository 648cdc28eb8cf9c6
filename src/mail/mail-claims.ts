import type { Db } from '../db/create-db.ts';

/** The row whose `email_sent_at` records that a mail went out: one submission, or a whole facade batch. */
export type MailOwner = 'submissions' | 'batches';

/**
 * Takes the right to send: true unless the mail is sent, or another activity holds the claim.
 * The same token (workflow id + activity id) takes its own claim back, so a retry after a worker
 * died between claiming and sending still sends.
 */
export async function claimMail(db: Db, owner: MailOwner, id: string, token: string): Promise<boolean> {
  const row = await db
    .updateTable(owner)
    .set({ email_claimed_by: token })
    .where('id', '=', id)
    .where('email_sent_at', 'is', null)
    .where((eb) => eb.or([eb('email_claimed_by', 'is', null), eb('email_claimed_by', '=', token)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markMailSent(db: Db, owner: MailOwner, id: string, token: string): Promise<void> {
  await db
    .updateTable(owner)
    .set((eb) => ({ email_sent_at: eb.fn<Date>('now') }))
    .where('id', '=', id)
    .where('email_claimed_by', '=', token)
    .execute();
}

/** Gives the claim up after a failed send, so nothing stands in the way of a later attempt. */
export async function releaseMail(db: Db, owner: MailOwner, id: string, token: string): Promise<void> {
  await db
    .updateTable(owner)
    .set({ email_claimed_by: null })
    .where('id', '=', id)
    .where('email_claimed_by', '=', token)
    .where('email_sent_at', 'is', null)
    .execute();
}
