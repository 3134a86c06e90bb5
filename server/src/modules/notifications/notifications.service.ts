import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import { NOTIFICATION_KINDS, type DB, type EmailAttachment, type NotificationKind } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { escapeHtml } from '../../mail/mailer.ts';
import { enqueueEmail } from '../../mail/outbox.ts';
import type { Actor } from '../../policy/actor.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Which notifications come by email unless the person says otherwise. */
const EMAIL_BY_DEFAULT: Record<NotificationKind, boolean> = {
  meeting_proposed: true,
  meeting_confirmed: true,
  meeting_changed: true,
  meeting_cancelled: true,
  meeting_reminder: true,
  meeting_overdue: true,
  action_item_due: false,
  mentor_matched: true,
  alert_raised: true,
  alert_reminder: true,
  alert_waiting: true,
  questions_waiting: true,
  survey_reminder: true,
  message_received: true,
  message_unanswered: true,
  mentor_change_offered: true,
  pairing_change_requested: true,
  pairing_ended: true,
  escalation_received: true,
  escalation_made: true,
  consent_expiring: true,
  training_expiring: true,
};

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  meeting_proposed: 'A meeting is proposed',
  meeting_confirmed: 'A meeting is confirmed',
  meeting_changed: 'A meeting’s time or place changes',
  meeting_cancelled: 'A meeting is cancelled',
  meeting_reminder: 'Reminder the day before a meeting',
  meeting_overdue: 'A meeting is overdue under the program’s cadence',
  action_item_due: 'An action item is due',
  mentor_matched: 'A matching round gives you a mentor or a mentee',
  alert_raised: 'An early-warning alert suggests checking in with a mentee',
  alert_reminder: 'Reminder of an early-warning alert not yet acknowledged',
  alert_waiting: 'An early-warning alert in your program waits for its mentor (directors)',
  questions_waiting: 'New anonymous questions wait for an answer (mentors)',
  survey_reminder: 'A feedback survey waits for your answer',
  message_received: 'A message arrives from your mentor or mentee',
  message_unanswered: 'Reminder of a message or meeting request still waiting for your answer (mentors)',
  mentor_change_offered: 'Your mentor has not answered for a while, so you may ask for another',
  pairing_change_requested: 'Someone asks for a pairing to change or end (directors)',
  pairing_ended: 'A mentoring pairing of yours ends',
  escalation_received: 'A mentor asks for your help with a student’s safety (wellbeing contacts)',
  escalation_made: 'Your mentor has asked a wellbeing contact to help you',
  consent_expiring: 'Your choices about sharing records with your mentor end soon',
  training_expiring: 'Your mentor training or confidentiality agreement expires soon (mentors)',
};

export interface Notice {
  userId: string;
  kind: NotificationKind;
  title: string;
  body?: string;
  /** A path in the app, e.g. `/meetings/<id>`; the email links to it. */
  link: string;
  /** Names the event, so each person is notified of it once: `meeting-proposed:<meetingId>:<version>`. */
  dedupeKey: string;
  /** Sent with the email only, e.g. the meeting's .ics. */
  attachments?: EmailAttachment[];
  /**
   * The email's text in place of `body`, never stored in the in-app notification: a message's
   * text for someone who asked for it by email (the notification outlives the pairing; the email is theirs).
   */
  emailBody?: string;
}

/**
 * Records an in-app notification and, if the person wants this kind by email, queues the email
 * in the same transaction (sent exactly once by the outbox). Returns false when it already existed.
 * The text says what happened and where to look, never what was said in mentoring.
 */
export async function notify(db: Db, ctx: Pick<AppContext, 'config' | 'clock'>, notice: Notice): Promise<boolean> {
  const inserted = await db
    .insertInto('notifications')
    .values({
      user_id: notice.userId,
      kind: notice.kind,
      title: notice.title,
      body: notice.body ?? '',
      link: notice.link,
      dedupe_key: notice.dedupeKey,
      created_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  const person = await db
    .selectFrom('users')
    .leftJoin('notification_preferences as np', (join) =>
      join.onRef('np.user_id', '=', 'users.id').on('np.kind', '=', notice.kind),
    )
    .select(['users.email', 'users.given_name', 'users.preferred_name', 'users.status', 'np.email as wants_email'])
    .where('users.id', '=', notice.userId)
    .executeTakeFirstOrThrow();
  const wantsEmail = person.wants_email ?? EMAIL_BY_DEFAULT[notice.kind];
  if (wantsEmail && person.status === 'active') {
    const url = `${ctx.config.PUBLIC_URL}${notice.link}`;
    const name = person.preferred_name ?? person.given_name;
    const body = notice.emailBody ?? notice.body;
    const text = `Hello ${name},\n\n${notice.title}.${body ? `\n\n${body}` : ''}\n\nOpen medmentor: ${url}\n\nYou can choose which emails you get in your notification settings: ${ctx.config.PUBLIC_URL}/settings/notifications\n`;
    const html = `<p>Hello ${escapeHtml(name)},</p><p>${escapeHtml(notice.title)}.</p>${body ? `<p>${escapeHtml(body)}</p>` : ''}<p><a href="${escapeHtml(url)}">Open medmentor</a></p><p style="color:#555;font-size:13px">You can choose which emails you get in your <a href="${escapeHtml(`${ctx.config.PUBLIC_URL}/settings/notifications`)}">notification settings</a>.</p>`;
    await enqueueEmail(db as Kysely<DB>, {
      dedupeKey: `notification:${notice.userId}:${notice.dedupeKey}`,
      to: person.email,
      subject: notice.title,
      text,
      html,
      attachments: notice.attachments,
    });
  }
  return true;
}

export async function listNotifications(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  options: { unreadOnly: boolean; limit: number },
) {
  let query = ctx.db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', actor.userId)
    .orderBy('created_at', 'desc')
    .limit(options.limit);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const [rows, unread] = await Promise.all([
    query.execute(),
    ctx.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { notifications: rows, unread: Number(unread.n) };
}

/** Marks one notification read (or all of the person's, with `all`). */
export async function markRead(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  target: { id: string } | { all: true },
) {
  let query = ctx.db
    .updateTable('notifications')
    .set({ read_at: ctx.clock.now() })
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null);
  if ('id' in target) {
    const own = await ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('id', '=', target.id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (!own) throw new AppError('not_found', 'Notification was not found');
    query = query.where('id', '=', target.id);
  }
  await query.execute();
}

export async function getPreferences(ctx: AppContext, actor: Extract<Actor, { kind: 'user' }>) {
  const rows = await ctx.db
    .selectFrom('notification_preferences')
    .select(['kind', 'email'])
    .where('user_id', '=', actor.userId)
    .execute();
  return NOTIFICATION_KINDS.map((kind) => ({
    kind,
    label: NOTIFICATION_LABELS[kind],
    email: rows.find((r) => r.kind === kind)?.email ?? EMAIL_BY_DEFAULT[kind],
  }));
}

export async function setPreferences(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  choices: { kind: NotificationKind; email: boolean }[],
) {
  await ctx.db.transaction().execute(async (trx) => {
    for (const choice of choices) {
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: actor.userId, kind: choice.kind, email: choice.email })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ email: choice.email }))
        .execute();
    }
  });
  return getPreferences(ctx, actor);
}

/** Whether the person wants a message's text in the email that says it arrived; no by default. */
export async function wantsMessageTextByEmail(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('message_email_choices')
    .select('include_text')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.include_text ?? false;
}

export async function getMessageTextChoice(ctx: AppContext, actor: Extract<Actor, { kind: 'user' }>) {
  return { includeMessageText: await wantsMessageTextByEmail(ctx.db, actor.userId) };
}

/** Turns the text of messages in emails on or off; it applies to messages that arrive from now on. */
export async function setMessageTextChoice(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  includeMessageText: boolean,
) {
  await ctx.db
    .insertInto('message_email_choices')
    .values({ user_id: actor.userId, include_text: includeMessageText, updated_at: ctx.clock.now() })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ include_text: includeMessageText, updated_at: ctx.clock.now() }),
    )
    .execute();
  return { includeMessageText };
}
