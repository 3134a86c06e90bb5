import { describe, expect, it } from 'vitest';
import { DEFAULT_EARLY_WARNING_SETTINGS, type EarlyWarningSettings } from '../../../../common/early-warning.ts';
import { planAlertReminders, type AlertTimeline } from './reminders.ts';

const raisedAt = new Date('2026-03-02T09:00:00Z');
const alert = (patch: Partial<AlertTimeline> = {}): AlertTimeline => ({
  id: 'alert-1',
  raisedAt,
  acknowledgedAt: null,
  resolvedAt: null,
  mentorRemindedAt: null,
  directorNotifiedAt: null,
  ...patch,
});
const hours = (h: number) => new Date(raisedAt.getTime() + h * 3_600_000);
const withDirector: EarlyWarningSettings['reminders'] = {
  mentorAfterHours: 72,
  directorNotice: { enabled: true, afterHours: 168 },
};

describe('planAlertReminders', () => {
  it('reminds the mentor once, when the delay has passed and not before', () => {
    const reminders = DEFAULT_EARLY_WARNING_SETTINGS.reminders;
    expect(planAlertReminders(alert(), reminders, hours(71.99))).toEqual({ due: [], nextCheckAt: hours(72) });
    expect(planAlertReminders(alert(), reminders, hours(72))).toEqual({
      due: [{ kind: 'mentor_reminder', jobId: 'alert-mentor-reminder:alert-1', dueAt: hours(72) }],
      nextCheckAt: null,
    });
    // Once sent, never again; with the director notice off, nothing further is ever due.
    expect(planAlertReminders(alert({ mentorRemindedAt: hours(72) }), reminders, hours(500))).toEqual({
      due: [],
      nextCheckAt: null,
    });
  });

  it('notifies the director only when the program enables it, once, after the longer delay', () => {
    expect(planAlertReminders(alert({ mentorRemindedAt: hours(72) }), withDirector, hours(100))).toEqual({
      due: [],
      nextCheckAt: hours(168),
    });
    const due = planAlertReminders(alert({ mentorRemindedAt: hours(72) }), withDirector, hours(168));
    expect(due.due).toEqual([{ kind: 'director_notice', jobId: 'alert-director-notice:alert-1', dueAt: hours(168) }]);
    // The notice carries nothing about the alert beyond its id.
    expect(Object.keys(due.due[0]!).sort()).toEqual(['dueAt', 'jobId', 'kind']);
    expect(
      planAlertReminders(
        alert({ mentorRemindedAt: hours(72), directorNotifiedAt: hours(168) }),
        withDirector,
        hours(900),
      ),
    ).toEqual({ due: [], nextCheckAt: null });
  });

  it('sends both when a stopped job runner comes back late, each with its own stable job id', () => {
    const plan = planAlertReminders(alert(), withDirector, hours(200));
    expect(plan.due.map((d) => d.jobId)).toEqual(['alert-mentor-reminder:alert-1', 'alert-director-notice:alert-1']);
    expect(planAlertReminders(alert(), withDirector, hours(200))).toEqual(plan);
  });

  it('needs nothing once the mentor has acknowledged or resolved the alert', () => {
    expect(planAlertReminders(alert({ acknowledgedAt: hours(1) }), withDirector, hours(500))).toEqual({
      due: [],
      nextCheckAt: null,
    });
    expect(planAlertReminders(alert({ resolvedAt: hours(1) }), withDirector, hours(500))).toEqual({
      due: [],
      nextCheckAt: null,
    });
  });
});
