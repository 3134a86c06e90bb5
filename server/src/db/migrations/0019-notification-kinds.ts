import { sql, type Kysely } from 'kysely';

/**
 * The notification kinds that student agency and safety bring (messages, responsiveness,
 * change of mentor, safety escalation, expiring consent and mentor training), added in one
 * place so that the modules built on them do not each rebuild the check.
 */
const statements = [
  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check check (kind in ('meeting_proposed',
     'meeting_confirmed', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_overdue',
     'action_item_due', 'mentor_matched', 'alert_raised', 'alert_reminder', 'alert_waiting',
     'questions_waiting', 'survey_reminder', 'message_received', 'message_unanswered',
     'mentor_change_offered', 'pairing_change_requested', 'pairing_ended', 'escalation_received',
     'escalation_made', 'consent_expiring', 'training_expiring'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
