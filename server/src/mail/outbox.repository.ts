import { sql, type Kysely } from 'kysely';
import type { DB, EmailAttachment, EmailStatus } from '../db/schema.ts';

export interface NewOutboxRow {
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[] | undefined;
}

/** Inserts a message unless one with the same dedupe key exists; returns the id either way. */
export async function insertOutboxRow(db: Kysely<DB>, email: NewOutboxRow): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('email_outbox')
    .values({
      dedupe_key: email.dedupeKey,
      to_address: email.to,
      subject: email.subject,
      body_text: email.text,
      body_html: email.html,
      attachments: JSON.stringify(email.attachments ?? []),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('email_outbox')
    .select('id')
    .where('dedupe_key', '=', email.dedupeKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export interface ClaimedEmail {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string;
  attempts: number;
  message_id: string;
  attachments: EmailAttachment[];
}

/**
 * Marks the oldest due pending message `sending` for `workerId`, in one statement that commits
 * before any SMTP. One message at a time: a batch claimed ahead would sit in `sending` unsent, and
 * after a crash those could not be told apart from the one that was on the wire. The Message-ID
 * is fixed on the first claim and kept for every later attempt.
 */
export async function claimNextEmail(
  db: Kysely<DB>,
  claim: { workerId: string; now: Date; leaseMs: number; messageIdDomain: string },
): Promise<ClaimedEmail | undefined> {
  const row = await db
    .with('next', (qb) =>
      qb
        .selectFrom('email_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', claim.now)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('email_outbox')
    .from('next')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('email_outbox.attempts', '+', 1),
      claimed_by: claim.workerId,
      claim_until: new Date(claim.now.getTime() + claim.leaseMs),
      message_id: sql<string>`coalesce(email_outbox.message_id, '<' || email_outbox.id::text || ${`@${claim.messageIdDomain}>`}::text)`,
    }))
    .whereRef('email_outbox.id', '=', 'next.id')
    .returning([
      'email_outbox.id',
      'email_outbox.to_address',
      'email_outbox.subject',
      'email_outbox.body_text',
      'email_outbox.body_html',
      'email_outbox.attempts',
      'email_outbox.message_id',
      'email_outbox.attachments',
    ])
    .executeTakeFirst();
  return row ? { ...row, message_id: row.message_id! } : undefined;
}

/** Identifies one attempt: the worker that claimed the message and the attempt number it claimed. */
export interface EmailAttempt {
  id: string;
  workerId: string;
  attempt: number;
}

/**
 * Records that the relay accepted the message. Also lands after the message was marked
 * `uncertain` (the lease ran out while the relay was slow) or requeued by hand meanwhile: the
 * relay's acceptance is proof, and recording it stops a resend.
 */
export async function markEmailSent(db: Kysely<DB>, attempt: EmailAttempt, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('email_outbox')
    .set({ status: 'sent', sent_at: now, claim_until: null, next_attempt_at: null, last_error: null })
    .where('id', '=', attempt.id)
    .where('claimed_by', '=', attempt.workerId)
    .where('attempts', '=', attempt.attempt)
    .where('status', 'in', ['sending', 'uncertain', 'pending'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records the outcome of an attempt that did not end in acceptance. */
export async function markEmailNotSent(
  db: Kysely<DB>,
  attempt: EmailAttempt,
  outcome: { status: Extract<EmailStatus, 'pending' | 'failed' | 'uncertain'>; retryAt?: Date; error: string },
): Promise<boolean> {
  const result = await db
    .updateTable('email_outbox')
    .set({
      status: outcome.status,
      next_attempt_at: outcome.retryAt ?? null,
      claim_until: null,
      last_error: outcome.error,
    })
    .where('id', '=', attempt.id)
    .where('claimed_by', '=', attempt.workerId)
    .where('attempts', '=', attempt.attempt)
    .where('status', 'in', ['sending', 'uncertain'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export const UNCERTAIN_AFTER_LEASE =
  'The sender stopped before recording whether the relay accepted this message; not resent automatically';

/** Messages left in `sending` past their lease become `uncertain`; they are never resent by themselves. */
export async function markStaleSendsUncertain(db: Kysely<DB>, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('email_outbox')
    .set({ status: 'uncertain', claim_until: null, last_error: UNCERTAIN_AFTER_LEASE })
    .where('status', '=', 'sending')
    .where('claim_until', '<=', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export interface UncertainEmailRow {
  id: string;
  to_address: string;
  subject: string;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

/** Messages waiting for a person to say whether the relay took them, oldest first. */
export async function listUncertainRows(db: Kysely<DB>): Promise<UncertainEmailRow[]> {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'subject', 'message_id', 'attempts', 'last_error', 'created_at'])
    .where('status', '=', 'uncertain')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A person's answer to an uncertain message: it did arrive (`sent`), or send it again (`resend`). */
export async function resolveUncertainRow(
  db: Kysely<DB>,
  id: string,
  outcome: 'sent' | 'resend',
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('email_outbox')
    .set(
      outcome === 'sent'
        ? { status: 'sent', sent_at: now, last_error: 'Marked sent by hand after an uncertain send' }
        : { status: 'pending', next_attempt_at: null, last_error: 'Requeued by hand after an uncertain send' },
    )
    .where('id', '=', id)
    .where('status', '=', 'uncertain')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
