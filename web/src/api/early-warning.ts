/**
 * Early warning: the mentor's alert inbox and outreach, the student's alerts and monthly
 * wellbeing check-in, and a program's settings. Every response is parsed with the shared schemas
 * in common/early-warning.ts, the ones the server's routes answer with.
 */
import {
  AlertChangeSchema,
  AlertCountsSchema,
  AlertDetailSchema,
  AlertInboxSchema,
  MyAlertsSchema,
  MyWellbeingSchema,
  ProgramEarlyWarningSchema,
  type AlertChange,
  type AlertCounts,
  type AlertDetail,
  type AlertFilter,
  type AlertInbox,
  type EarlyWarningSettings,
  type LogContact,
  type MyAlerts,
  type MyWellbeing,
  type ProgramEarlyWarning,
  type SaveWellbeing,
} from '../../../common/early-warning.ts';
import { parse, request, withQuery } from './client.ts';

export async function fetchAlertInbox(state: AlertFilter, signal?: AbortSignal): Promise<AlertInbox> {
  const path = withQuery('/api/me/mentor-alerts', { state });
  return parse(AlertInboxSchema, await request(path, { signal }), path);
}

export async function fetchAlertCounts(signal?: AbortSignal): Promise<AlertCounts> {
  const path = '/api/me/mentor-alerts/count';
  return parse(AlertCountsSchema, await request(path, { signal }), path);
}

export async function fetchAlert(alertId: string, signal?: AbortSignal): Promise<AlertDetail> {
  const path = `/api/alerts/${encodeURIComponent(alertId)}`;
  return parse(AlertDetailSchema, await request(path, { signal }), path);
}

export async function acknowledgeAlert(alertId: string): Promise<AlertChange> {
  const path = `/api/alerts/${encodeURIComponent(alertId)}/acknowledge`;
  return parse(AlertChangeSchema, await request(path, { method: 'POST' }), path);
}

export async function logAlertContact(alertId: string, contact: LogContact): Promise<AlertChange> {
  const path = `/api/alerts/${encodeURIComponent(alertId)}/contacts`;
  return parse(AlertChangeSchema, await request(path, { method: 'POST', body: contact }), path);
}

export async function resolveAlert(alertId: string, input: { version: number; note: string }): Promise<AlertChange> {
  const path = `/api/alerts/${encodeURIComponent(alertId)}/resolve`;
  return parse(AlertChangeSchema, await request(path, { method: 'POST', body: input }), path);
}

export async function fetchMyAlerts(signal?: AbortSignal): Promise<MyAlerts> {
  return parse(MyAlertsSchema, await request('/api/me/alerts', { signal }), '/api/me/alerts');
}

export async function fetchMyWellbeing(signal?: AbortSignal): Promise<MyWellbeing> {
  return parse(MyWellbeingSchema, await request('/api/me/wellbeing', { signal }), '/api/me/wellbeing');
}

export async function saveMyWellbeing(input: SaveWellbeing): Promise<MyWellbeing> {
  const path = '/api/me/wellbeing';
  return parse(MyWellbeingSchema, await request(path, { method: 'PUT', body: input }), path);
}

export async function fetchProgramEarlyWarning(programId: string, signal?: AbortSignal): Promise<ProgramEarlyWarning> {
  const path = `/api/programs/${encodeURIComponent(programId)}/early-warning`;
  return parse(ProgramEarlyWarningSchema, await request(path, { signal }), path);
}

export async function saveProgramEarlyWarning(
  programId: string,
  settings: EarlyWarningSettings,
): Promise<ProgramEarlyWarning> {
  const path = `/api/programs/${encodeURIComponent(programId)}/early-warning`;
  return parse(ProgramEarlyWarningSchema, await request(path, { method: 'PUT', body: { settings } }), path);
}
