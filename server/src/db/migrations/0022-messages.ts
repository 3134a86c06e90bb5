import { sql, type Kysely } from 'kysely';

/**
 * Messages between a student and their mentor, and the program's rule for answering them.
 *
 * - `messages`: one private thread per pairing, in the order `seq` gives (an identity, so two
 *   messages written in the same instant still have an order). A message is never edited.
 *   `(pairing_id, sender_id, client_key)` is unique: the composer sends a key made once per
 *   message, so a double submit or a retry after a lost answer stores the message once.
 *   A message has text, an attachment, or both.
 * - `message_attachments`: the file of a message, in the database (the same on every app
 *   instance, backed up with everything else). Its type is what the content is, checked on
 *   upload, never what the name or the browser said; `size_bytes` and `sha256` describe the bytes.
 * - `message_reads`: how far each person has read a thread (the highest `seq` seen). Unread
 *   and unanswered states are computed from it and from the messages; nothing else is stored.
 * - `responsiveness_settings`: per program, after how many working hours (weekdays in the
 *   school's time zone) a student's message or meeting request left unanswered reminds the
 *   mentor, and after how many the student is offered another mentor. No row: the defaults
 *   (3 and 7 working days).
 * - `pairing_unresponsive_periods`: a pairing whose mentor left the student waiting past the
 *   second limit, from when until the mentor answered or the pairing ended. At most one open
 *   period per pairing (a unique partial index), so two sweeps at once open it once.
 * - `message_email_choices`: whether a person wants the text of a message in the email that
 *   tells them it arrived. No row means no: the email says only that a message arrived.
 */
const ATTACHMENT_TYPES = `('application/pdf', 'image/png', 'image/jpeg', 'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document')`;

const statements = [
  `create table messages (
     id uuid primary key default gen_random_uuid(),
     seq bigint generated always as identity,
     pairing_id uuid not null references pairings(id),
     sender_id uuid not null references users(id),
     sender_side text not null check (sender_side in ('student', 'mentor')),
     body text not null check (length(body) <= 10000),
     has_attachment boolean not null default false,
     client_key uuid not null,
     created_at timestamptz not null,
     unique (pairing_id, sender_id, client_key),
     check (length(btrim(body)) > 0 or has_attachment)
   )`,
  `create unique index messages_seq_key on messages (seq)`,
  `create index messages_pairing_idx on messages (pairing_id, seq)`,

  `create table message_attachments (
     id uuid primary key default gen_random_uuid(),
     message_id uuid not null unique references messages(id),
     file_name text not null check (length(file_name) between 1 and 200 and file_name !~ '[/\\\\]'),
     content_type text not null check (content_type in ${ATTACHMENT_TYPES}),
     size_bytes integer not null check (size_bytes >= 1),
     sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
     content bytea not null,
     check (octet_length(content) = size_bytes)
   )`,

  `create table message_reads (
     pairing_id uuid not null references pairings(id),
     user_id uuid not null references users(id),
     last_read_seq bigint not null check (last_read_seq >= 0),
     read_at timestamptz not null,
     primary key (pairing_id, user_id)
   )`,

  `create table responsiveness_settings (
     program_id uuid primary key references programs(id),
     reminder_after_hours integer not null check (reminder_after_hours between 1 and 1440),
     offer_change_after_hours integer not null check (offer_change_after_hours between 2 and 2880),
     updated_by uuid references users(id),
     updated_at timestamptz not null,
     check (offer_change_after_hours > reminder_after_hours)
   )`,

  `create table pairing_unresponsive_periods (
     id uuid primary key default gen_random_uuid(),
     pairing_id uuid not null references pairings(id),
     program_id uuid not null references programs(id),
     waiting_on text not null check (waiting_on in ('message', 'meeting_request')),
     waiting_since timestamptz not null,
     unresponsive_since timestamptz not null,
     ended_at timestamptz,
     check (unresponsive_since >= waiting_since),
     check (ended_at is null or ended_at >= waiting_since)
   )`,
  `create unique index pairing_unresponsive_open_key on pairing_unresponsive_periods (pairing_id) where ended_at is null`,
  `create index pairing_unresponsive_program_idx on pairing_unresponsive_periods (program_id) where ended_at is null`,

  `create table message_email_choices (
     user_id uuid primary key references users(id),
     include_text boolean not null,
     updated_at timestamptz not null
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
