/**
 * Safety escalations as the student's "what my mentor sees" page lists them (the transparency
 * module's merge point calls this): when, by which mentor, to which wellbeing contact, what kinds
 * of material, and until when. Never the mentor's reason.
 */
import type { BeyondMentorNotice } from '../../../../common/transparency.ts';
import type { AppContext } from '../../context.ts';
import { listEscalationNotices } from './safety.service.ts';

const DAY = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

export async function escalationNoticesForStudent(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  studentId: string,
): Promise<BeyondMentorNotice[]> {
  const escalations = await listEscalationNotices(ctx, studentId);
  return escalations.map((e) => ({
    id: `safety_escalation:${e.id}`,
    kind: 'safety_escalation' as const,
    occurredAt: e.createdAt,
    programName: e.programName,
    summary:
      `${e.mentorName} asked a wellbeing contact of your program for help with your safety and shared ` +
      `${e.shared.join(', ')}. The contact sees only that, and only for a limited time; every time they look is in who viewed my records.`,
    status: e.active ? `contact’s access ends ${DAY.format(new Date(e.expiresAt))}` : 'access ended',
    recipients: [{ role: 'Wellbeing contact', name: e.contactName }],
  }));
}
