import { describe, expect, it } from 'vitest';
import * as shared from '../../../../common/mentoring.ts';
import { COMPETENCY_DOMAINS, NOTIFICATION_KINDS } from '../../db/schema.ts';

/**
 * The lists the API and the web app share (common/mentoring.ts) must name exactly what the
 * database's table types allow, or a value would pass one and fail the other.
 */
describe('the shared mentoring contract', () => {
  it('names the same competency domains and notification kinds as the database', () => {
    expect([...shared.COMPETENCY_DOMAINS]).toEqual([...COMPETENCY_DOMAINS]);
    expect([...shared.NOTIFICATION_KINDS]).toEqual([...NOTIFICATION_KINDS]);
  });

  it('refuses an availability window with a time that is not HH:MM, naming the field', () => {
    const result = shared.AvailabilityWindowSchema.safeParse({
      weekday: 1,
      startsAt: '9:00',
      endsAt: '24:00',
      location: null,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['startsAt', 'endsAt']);
  });
});
