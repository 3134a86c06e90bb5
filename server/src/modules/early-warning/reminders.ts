import type { EarlyWarningSettings } from '../../../../common/early-warning.ts';

/** What the reminder job knows about one alert. */
export interface AlertTimeline {
  id: string;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  mentorRemindedAt: Date | null;
  directorNotifiedAt: Date | null;
}

/** A reminder to send now, with a job id that is the same on every instance and every run. */
export interface DueNotice {
  kind: 'mentor_reminder' | 'director_notice';
  /** Deterministic, so two app instances (or a restart) enqueue it once. */
  jobId: string;
  dueAt: Date;
}

export interface ReminderPlan {
  due: DueNotice[];
  /** When this alert next needs looking at, or null when nothing more will ever be due. */
  nextCheckAt: Date | null;
}

const HOUR_MS = 3_600_000;

/**
 * What an alert needs at `now`: a reminder to the mentor, once, when it has waited the program's
 * delay without being acknowledged; and, only when the program enables it, a notice to the
 * director, once, after the longer delay. The director's notice says that an alert is waiting and
 * nothing of what it is about; it carries no content, only the alert's id for the job to count.
 * An acknowledged or resolved alert needs nothing more.
 */
export function planAlertReminders(
  alert: AlertTimeline,
  reminders: EarlyWarningSettings['reminders'],
  now: Date,
): ReminderPlan {
  if (alert.acknowledgedAt || alert.resolvedAt) return { due: [], nextCheckAt: null };
  const pending: DueNotice[] = [];
  if (!alert.mentorRemindedAt) {
    pending.push({
      kind: 'mentor_reminder',
      jobId: `alert-mentor-reminder:${alert.id}`,
      dueAt: new Date(alert.raisedAt.getTime() + reminders.mentorAfterHours * HOUR_MS),
    });
  }
  if (reminders.directorNotice.enabled && !alert.directorNotifiedAt) {
    pending.push({
      kind: 'director_notice',
      jobId: `alert-director-notice:${alert.id}`,
      dueAt: new Date(alert.raisedAt.getTime() + reminders.directorNotice.afterHours * HOUR_MS),
    });
  }
  const due = pending.filter((n) => n.dueAt.getTime() <= now.getTime());
  const later = pending.filter((n) => n.dueAt.getTime() > now.getTime()).map((n) => n.dueAt.getTime());
  return { due, nextCheckAt: later.length > 0 ? new Date(Math.min(...later)) : null };
}
