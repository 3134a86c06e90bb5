import { describe, expect, it } from 'vitest';
import { oldestWaiting, planResponsiveness } from './responsiveness.ts';

const NY = 'America/New_York';
const LIMITS = { reminderAfterHours: 72, offerChangeAfterHours: 168 };
const none = { messageId: null, messageAt: null, meetingId: null, meetingAt: null };

describe('responsiveness plan', () => {
  it('waits on nothing when nothing waits', () => {
    expect(planResponsiveness(none, LIMITS, NY, new Date('2026-10-01T00:00:00Z'))).toMatchObject({
      item: null,
      remindMentor: false,
      offerChange: false,
    });
  });

  it('takes the oldest of a message and a meeting request', () => {
    const item = oldestWaiting({
      messageId: 'm1',
      messageAt: new Date('2026-09-16T14:00:00Z'),
      meetingId: 'x1',
      meetingAt: new Date('2026-09-15T14:00:00Z'),
    });
    expect(item).toMatchObject({ kind: 'meeting_request', id: 'x1', key: 'meeting:x1' });
  });

  it('reminds at the first limit and offers a change at the second, in working time', () => {
    const waiting = { ...none, messageId: 'm1', messageAt: new Date('2026-09-15T14:00:00Z') };
    const at = (iso: string) => planResponsiveness(waiting, LIMITS, NY, new Date(iso));
    expect(at('2026-09-18T13:59:59Z')).toMatchObject({ remindMentor: false, offerChange: false });
    expect(at('2026-09-18T14:00:00Z')).toMatchObject({ remindMentor: true, offerChange: false });
    expect(at('2026-09-24T13:59:59Z')).toMatchObject({ remindMentor: true, offerChange: false });
    const due = at('2026-09-24T14:00:00Z');
    expect(due).toMatchObject({ remindMentor: true, offerChange: true });
    expect(due.offerDueAt?.toISOString()).toBe('2026-09-24T14:00:00.000Z');
  });
});
