/** The audit side of the access log, and the person's own copy of everything medmentor holds about them. */
import { ProgramAccessLogSchema, type ProgramAccessLogEntry } from './firewall-schemas.ts';
import { parse, request, withQuery } from './client.ts';

export async function fetchProgramAccessLog(
  programId: string,
  page: { limit: number; before?: number | undefined },
  signal?: AbortSignal,
): Promise<ProgramAccessLogEntry[]> {
  const path = withQuery(`/api/programs/${encodeURIComponent(programId)}/access-log`, { ...page });
  return parse(ProgramAccessLogSchema, await request(path, { signal }), path).entries;
}

/**
 * Everything medmentor holds about the signed-in person, as a JSON file. Fetched through the
 * client (so an expired session is handled like any other call) and handed over as a Blob.
 */
export async function fetchMyDataExport(): Promise<Blob> {
  const payload = await request('/api/me/export');
  return new Blob([`${JSON.stringify(payload, null, 2)}\n`], { type: 'application/json' });
}
