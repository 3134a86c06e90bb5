/**
 * kill -9 of the app in the middle of writes, then a restart: every write the app acknowledged is
 * there exactly once, and nothing half-written remains. Also: the same form submitted twice at
 * once makes one row. Runs on PostgreSQL when TEST_DATABASE_URL is set, else on the embedded
 * database; outcomes are in docs/reliability.md ("Faults").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, AppProcess, createPrivateDatabase, freePort, type PrivateDatabase } from './app-process.ts';

/** Rows of the import that the kill interrupts, and of the one before it that sets the pace. */
const PACE_ROWS = 300;
const CUT_ROWS = 3000;

function recordsCsv(prefix: string, emails: string[], rows: number): string {
  const lines = ['external_id,student_email,category,occurred_on,title,attendance_status'];
  for (let i = 0; i < rows; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${prefix}-${i},${emails[i % emails.length]},attendance,2026-08-${day},Small group ${i},present`);
  }
  return `${lines.join('\n')}\n`;
}

/** A sequence of writes, one after another, that keeps what the server acknowledged. */
interface Stream<T> {
  acknowledged: T[];
  /** The write sent last, whose answer may never have come. */
  inFlight: T | undefined;
  done: Promise<void>;
}

function stream<T>(next: (n: number) => T, send: (item: T) => Promise<boolean>, stop: () => boolean): Stream<T> {
  const state: Stream<T> = { acknowledged: [], inFlight: undefined, done: Promise.resolve() };
  state.done = (async () => {
    for (let n = 0; !stop(); n += 1) {
      const item = next(n);
      state.inFlight = item;
      let ok: boolean;
      try {
        ok = await send(item);
      } catch {
        return; // The connection died with the process.
      }
      if (!ok) return;
      state.acknowledged.push(item);
      state.inFlight = undefined;
    }
  })();
  return state;
}

describe('kill -9 mid-write, then restart', () => {
  let database: PrivateDatabase;
  let app: AppProcess;
  let port: number;
  let mentor: ApiClient;
  let director: ApiClient;
  let programId: string;
  let pairingId: string;
  let emails: string[];

  beforeAll(async () => {
    database = await createPrivateDatabase('kill');
    port = await freePort();
    app = await AppProcess.start(database, {}, port);
    mentor = await ApiClient.signIn(app.url, 'mentor@demo.medmentor.test');
    director = await ApiClient.signIn(app.url, 'director@demo.medmentor.test');
    const pairings = await mentor.expect([200], 'GET', '/api/me/pairings');
    const pairing = pairings.asMentor.find((p: { status: string }) => p.status === 'active');
    pairingId = pairing.id;
    programId = pairing.programId;
    const all = await director.expect([200], 'GET', `/api/programs/${programId}/pairings?status=active&limit=500`);
    emails = [...new Set<string>(all.pairings.map((p: { student: { email: string } }) => p.student.email))];
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('keeps every acknowledged meeting save, import and publish exactly once, and no half of any', async () => {
    // The meeting the saves go to, and how many agenda items a complete meeting has.
    const first = await mentor.expect([201], 'POST', `/api/pairings/${pairingId}/meetings`, {
      startsAt: '2026-12-01T15:00:00Z',
      durationMinutes: 45,
    });
    const meetingId: string = first.id;
    const initial = await mentor.expect([200], 'GET', `/api/meetings/${meetingId}`);
    const agendaSize: number = initial.agenda.length;
    expect(agendaSize).toBeGreaterThan(0);

    // The matching round to publish: the demo's draft for six first-years, run first.
    const rounds = await director.expect([200], 'GET', `/api/programs/${programId}/matching-rounds`);
    const draft = rounds.rounds.find((r: { status: string }) => r.status === 'draft' || r.status === 'proposed');
    expect(draft, 'the demo has an open matching round').toBeDefined();
    let round = await director.expect([200], 'GET', `/api/matching-rounds/${draft.id}`);
    if (round.status === 'draft') {
      round = await director.expect([200], 'POST', `/api/matching-rounds/${draft.id}/run`, {
        mode: 'optimal',
        version: round.version,
      });
    }
    const placed: string[] = round.assignments
      .filter((a: { mentor: unknown }) => a.mentor !== null)
      .map((a: { student: { id: string } }) => a.student.id);
    expect(placed.length).toBeGreaterThan(0);

    // An import that sets the pace: how long the cut import's transaction will roughly take.
    const started = Date.now();
    const pace = await director.expect(
      [200],
      'POST',
      '/api/records/import?source=fault',
      recordsCsv('pace', emails, PACE_ROWS),
      { headers: { 'x-file-name': 'pace.csv' } },
    );
    const paceMs = Date.now() - started;
    expect(pace.created).toBe(PACE_ROWS);

    // Writes that run until the process dies.
    let killed = false;
    const summaries = stream(
      (n) => `Summary, save ${n}`,
      async (summary) => {
        const current = await mentor.request('GET', `/api/meetings/${meetingId}`);
        if (current.status !== 200) return false;
        const saved = await mentor.request('PATCH', `/api/meetings/${meetingId}`, {
          version: current.body.version,
          sharedSummary: summary,
        });
        return saved.status === 200;
      },
      () => killed,
    );
    const items = stream(
      (n) => `Read chapter ${n}`,
      async (description) =>
        (await mentor.request('POST', `/api/meetings/${meetingId}/action-items`, { owner: 'student', description }))
          .status === 201,
      () => killed,
    );
    const proposals = stream(
      (n) => new Date(Date.UTC(2027, 0, 4, 9) + n * 3_600_000).toISOString(),
      async (startsAt) =>
        (await mentor.request('POST', `/api/pairings/${pairingId}/meetings`, { startsAt, durationMinutes: 30 }))
          .status === 201,
      () => killed,
    );
    // Let the saves get going, so the kill lands in a stream of them.
    const deadline = Date.now() + 30_000;
    while ([summaries, items, proposals].some((s) => s.acknowledged.length < 5) && Date.now() < deadline) {
      await sleep(20);
    }
    const publish = director
      .request('POST', `/api/matching-rounds/${round.id}/publish`, { version: round.version })
      .then(
        (r) => r.status,
        () => 0,
      );
    const cutImport = director
      .request('POST', '/api/records/import?source=fault', recordsCsv('cut', emails, CUT_ROWS), {
        headers: { 'x-file-name': 'cut.csv' },
      })
      .then(
        (r) => r.status,
        () => 0,
      );

    // On PostgreSQL, wait until the import's transaction has written; else wait by the pace.
    if (database.engine === 'postgres') {
      const probe = await database.open();
      try {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and backend_xid is not null and query ilike '%student_records%'`.execute(probe.db);
          if (rows[0]!.n > 0) break;
          await sleep(5);
        }
      } finally {
        await probe.close();
      }
    } else {
      await sleep(paceMs * 3);
    }
    killed = true;
    await app.kill();
    await Promise.all([summaries.done, items.done, proposals.done]);
    const cutStatus = await cutImport;
    const publishStatus = await publish;
    expect(cutStatus, 'the kill came before the import finished').toBe(0);
    expect(summaries.acknowledged.length + items.acknowledged.length + proposals.acknowledged.length).toBeGreaterThan(
      0,
    );

    app = await AppProcess.start(database, {}, port);

    // Meeting saves: the last acknowledged save, or the one in flight if it committed.
    const after = await mentor.expect([200], 'GET', `/api/meetings/${meetingId}`);
    const lastSummary = summaries.acknowledged.at(-1) ?? initial.sharedSummary;
    expect([lastSummary, summaries.inFlight]).toContain(after.sharedSummary);
    // Action items: each acknowledged one once; nothing that was never sent; no duplicates.
    const descriptions: string[] = after.actionItems.map((i: { description: string }) => i.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
    for (const description of items.acknowledged) expect(descriptions).toContain(description);
    expect(descriptions.length - items.acknowledged.length).toBeLessThanOrEqual(1);
    // Proposed meetings: each acknowledged one once, every one whole (all its agenda items).
    const meetings = await mentor.expect([200], 'GET', `/api/pairings/${pairingId}/meetings`);
    const proposed = meetings.meetings.filter((m: { startsAt: string }) => m.startsAt >= '2027-01-04');
    const starts: string[] = proposed.map((m: { startsAt: string }) => new Date(m.startsAt).toISOString());
    expect(new Set(starts).size).toBe(starts.length);
    for (const startsAt of proposals.acknowledged) expect(starts).toContain(startsAt);
    expect(starts.length - proposals.acknowledged.length).toBeLessThanOrEqual(1);
    for (const m of proposed) {
      const detail = await mentor.expect([200], 'GET', `/api/meetings/${m.id}`);
      expect(detail.agenda.length, `agenda of meeting ${m.id}`).toBe(agendaSize);
    }

    // The cut import: all of it or none of it; sent again, each record exists once.
    const batches = await director.expect([200], 'GET', '/api/record-batches?limit=50');
    const cutBatches = batches.batches.filter((b: { fileName: string | null }) => b.fileName === 'cut.csv');
    expect(cutBatches.length).toBeLessThanOrEqual(1);
    const again = await director.expect(
      [200],
      'POST',
      '/api/records/import?source=fault',
      recordsCsv('cut', emails, CUT_ROWS),
      { headers: { 'x-file-name': 'cut.csv' } },
    );
    if (cutBatches.length === 0) expect(again.created).toBe(CUT_ROWS);
    else expect(again.unchanged).toBe(CUT_ROWS);
    const paceAgain = await director.expect(
      [200],
      'POST',
      '/api/records/import?source=fault',
      recordsCsv('pace', emails, PACE_ROWS),
      { headers: { 'x-file-name': 'pace.csv' } },
    );
    expect(paceAgain.unchanged).toBe(PACE_ROWS);

    // The publish: acknowledged means published; either way publishing again leaves one pairing each.
    const roundAfter = await director.expect([200], 'GET', `/api/matching-rounds/${round.id}`);
    if (publishStatus === 200) expect(roundAfter.status).toBe('published');
    if (roundAfter.status !== 'published') {
      await director.expect([200], 'POST', `/api/matching-rounds/${round.id}/publish`, { version: roundAfter.version });
    }
    const active = await director.expect([200], 'GET', `/api/programs/${programId}/pairings?status=active&limit=500`);
    for (const studentId of placed) {
      const theirs = active.pairings.filter((p: { student: { id: string } }) => p.student.id === studentId);
      expect(theirs, `active pairings of student ${studentId}`).toHaveLength(1);
    }

    console.info(
      `[fault] ${database.engine}: killed after ${summaries.acknowledged.length} summary saves, ` +
        `${items.acknowledged.length} action items, ${proposals.acknowledged.length} proposals; ` +
        `publish ${publishStatus === 200 ? 'acknowledged' : 'cut'} (${roundAfter.status} after restart), ` +
        `import of ${CUT_ROWS} cut (${cutBatches.length === 0 ? 'rolled back' : 'committed'}).`,
    );
  });

  it('makes one row of the same form submitted twice at once', async () => {
    const meetings = await mentor.expect([200], 'GET', `/api/pairings/${pairingId}/meetings`);
    const before = meetings.meetings.length;

    // Twenty concurrent duplicates of one proposal (a double click, a retry) with one Idempotency-Key.
    const key = `fault-double-submit-${Date.now()}`;
    const body = { startsAt: '2027-03-01T10:00:00Z', durationMinutes: 30 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        mentor.request('POST', `/api/pairings/${pairingId}/meetings`, body, { headers: { 'idempotency-key': key } }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length, JSON.stringify(answers.map((a) => a.status))).toBeGreaterThan(0);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const afterProposals = await mentor.expect([200], 'GET', `/api/pairings/${pairingId}/meetings`);
    expect(afterProposals.meetings.length).toBe(before + 1);

    // The same save twice at once from one version: one wins, the other is told it is stale.
    const meetingId: string = created[0]!.body.id;
    const { version } = await mentor.expect([200], 'GET', `/api/meetings/${meetingId}`);
    const saves = await Promise.all(
      ['first tab', 'second tab'].map((sharedSummary) =>
        mentor.request('PATCH', `/api/meetings/${meetingId}`, { version, sharedSummary }),
      ),
    );
    expect(saves.map((s) => s.status).sort()).toEqual([200, 412]);

    // The same records file imported twice at once: each record once.
    const csv = recordsCsv('twice', emails, 200);
    const imports = await Promise.all(
      [1, 2].map(() =>
        director.request('POST', '/api/records/import?source=fault', csv, { headers: { 'x-file-name': 'twice.csv' } }),
      ),
    );
    expect(imports.map((i) => i.status)).toEqual([200, 200]);
    expect(imports.map((i) => i.body.created).sort((a, b) => a - b)).toEqual([0, 200]);
    expect(imports.map((i) => i.body.unchanged).sort((a, b) => a - b)).toEqual([0, 200]);
  });

  it('leaves the database whole: counts match what was acknowledged, no meeting without its agenda', async () => {
    await app.stop();
    const db = await database.open();
    try {
      const { rows } = await sql<{ prefix: string; n: number; distinct_ids: number }>`
        select split_part(external_id, '-', 1) as prefix, count(*)::int as n, count(distinct external_id)::int as distinct_ids
        from student_records where source = 'fault' group by 1 order by 1`.execute(db.db);
      expect(rows).toEqual([
        { prefix: 'cut', n: CUT_ROWS, distinct_ids: CUT_ROWS },
        { prefix: 'pace', n: PACE_ROWS, distinct_ids: PACE_ROWS },
        { prefix: 'twice', n: 200, distinct_ids: 200 },
      ]);
      const orphans = await sql<{ n: number }>`
        select count(*)::int as n from meetings m
        where not exists (select 1 from meeting_agenda_items a where a.meeting_id = m.id)
          and m.pairing_id = ${pairingId}`.execute(db.db);
      expect(orphans.rows[0]!.n).toBe(0);
      const batches = await sql<{ n: number; rows: number }>`
        select count(*)::int as n, coalesce(sum(b.row_count), 0)::int as rows from record_import_batches b
        where b.source = 'fault' and b.created_count > 0`.execute(db.db);
      expect(batches.rows[0]).toEqual({ n: 3, rows: PACE_ROWS + CUT_ROWS + 200 });
    } finally {
      await db.close();
    }
  });
});
