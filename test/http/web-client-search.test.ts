import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchAssessments, fetchProgramPairings } from '../../web/src/api/firewall.ts';
import { searchPeople } from '../../web/src/api/people.ts';
import { importRecordCsv } from '../../web/src/api/records.ts';
import { searchStaff } from '../../web/src/api/safety.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records every call and answers each with `answer`. */
function recordingFetch(answer: () => Response) {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : undefined,
    });
    return answer();
  });
  return sent;
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

const WORDS = 'Ana López';
const PROGRAM = '0b7d5c1e-1111-4222-8333-944445555666';

describe('the web client keeps names, search words and file names out of URLs', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends people searches as a POST body without an Idempotency-Key', async () => {
    const sent = recordingFetch(() => json({ items: [], total: 0, limit: 20, offset: 0 }));
    await searchPeople({ role: 'student', search: `  ${WORDS} ` });
    await searchStaff(WORDS);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/people/search', 'POST /api/people/search']);
    expect(JSON.parse(sent[0]!.body!)).toEqual({ role: 'student', search: WORDS, status: 'active', limit: 20 });
    expect(JSON.parse(sent[1]!.body!)).toMatchObject({ search: WORDS, status: 'active' });
    for (const call of sent) expect(call.headers['Idempotency-Key']).toBeUndefined();
  });

  it('lists pairings and assessments with a GET when nothing is typed, and POSTs the words when something is', async () => {
    const sent = recordingFetch(() => json({ pairings: [], relationships: [], total: 0 }));
    await fetchProgramPairings(PROGRAM, { status: 'active', search: ' ', limit: 25, offset: 0 });
    await fetchProgramPairings(PROGRAM, { status: 'active', search: WORDS, limit: 25, offset: 25 });
    await fetchAssessments({ kind: 'rotation', limit: 25, offset: 0 });
    await fetchAssessments({ kind: 'rotation', search: WORDS, limit: 25, offset: 0 });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      `GET /api/programs/${PROGRAM}/pairings?status=active&limit=25&offset=0`,
      `POST /api/programs/${PROGRAM}/pairings/search`,
      'GET /api/assessments?kind=rotation&limit=25&offset=0',
      'POST /api/assessments/search',
    ]);
    expect(JSON.parse(sent[1]!.body!)).toEqual({ status: 'active', search: WORDS, limit: 25, offset: 25 });
    expect(JSON.parse(sent[3]!.body!)).toEqual({ kind: 'rotation', search: WORDS, limit: 25, offset: 0 });
    for (const call of sent) {
      expect(decodeURIComponent(call.url)).not.toContain('López');
      expect(call.headers['Idempotency-Key']).toBeUndefined();
    }
  });

  it('does not retry a search on its own when the network fails, as it does a write', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', async () => {
      calls++;
      throw new TypeError('Failed to fetch');
    });
    await expect(searchPeople({ role: 'mentor', search: WORDS })).rejects.toMatchObject({ code: 'network_error' });
    expect(calls).toBe(1);
  });

  it('sends an import’s file name percent-encoded in X-File-Name, never in the URL', async () => {
    const sent = recordingFetch(() =>
      json({
        dryRun: true,
        valid: true,
        batchId: null,
        source: 'registrar',
        rowCount: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: [],
        errorCount: 0,
      }),
    );
    const result = await importRecordCsv('external_id\n', {
      dryRun: true,
      source: 'registrar',
      fileName: `${WORDS} – grades.csv`,
    });
    expect(result.valid).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/records/import?dryRun=true&source=registrar');
    expect(sent[0]!.headers['X-File-Name']).toBe(encodeURIComponent(`${WORDS} – grades.csv`));
    expect(decodeURIComponent(sent[0]!.headers['X-File-Name']!)).toBe(`${WORDS} – grades.csv`);
    expect(sent[0]!.headers['Content-Type']).toBe('text/csv');
  });
});
