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
import * as m0011 from './0011-matching.ts';
import * as m0012 from './0012-records.ts';
import * as m0013 from './0013-sso-mfa.ts';
import * as m0014 from './0014-review.ts';
import * as m0015 from './0015-early-warning.ts';
import * as m0016 from './0016-questions-surveys.ts';
import * as m0017 from './0017-compliance.ts';
import * as m0018 from './0018-compensation.ts';
import * as m0019 from './0019-notification-kinds.ts';
import * as m0020 from './0020-idempotency.ts';
import * as m0021 from './0021-rate-limits.ts';
import * as m0025 from './0025-readiness.ts';
import * as m0022 from './0022-messages.ts';
import * as m0023 from './0023-pairing-changes.ts';
import * as m0024 from './0024-safety-consent.ts';
import * as m0026 from './0026-agenda-covers-plan.ts';

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
  '0011-matching': m0011,
  '0012-records': m0012,
  '0013-sso-mfa': m0013,
  '0014-review': m0014,
  '0015-early-warning': m0015,
  '0016-questions-surveys': m0016,
  '0017-compliance': m0017,
  '0018-compensation': m0018,
  '0019-notification-kinds': m0019,
  '0020-idempotency': m0020,
  '0021-rate-limits': m0021,
  '0022-messages': m0022,
  '0023-pairing-changes': m0023,
  '0024-safety-consent': m0024,
  '0025-readiness': m0025,
  '0026-agenda-covers-plan': m0026,
};
