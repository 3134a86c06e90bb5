import type { Migration } from 'kysely/migration';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-firewall.ts';
import * as m0003 from './0003-jobs.ts';
import * as m0004 from './0004-meetings.ts';
import * as m0005 from './0005-cadence.ts';
import * as m0006 from './0006-calendar.ts';
import * as m0007 from './0007-agenda-and-plan.ts';
import * as m0008 from './0008-notifications.ts';
import * as m0009 from './0009-email-attachments.ts';
import * as m0010 from './0010-availability.ts';

/** The one ordered migration set, run unchanged on PGlite and PostgreSQL. Names sort in order. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-firewall': m0002,
  '0003-jobs': m0003,
  '0004-meetings': m0004,
  '0005-cadence': m0005,
  '0006-calendar': m0006,
  '0007-agenda-and-plan': m0007,
  '0008-notifications': m0008,
  '0009-email-attachments': m0009,
  '0010-availability': m0010,
};
