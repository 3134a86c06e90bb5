import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from '../../web/src/api/client.ts';

type Call = { method: string; key: string | undefined };

/** A fetch that answers from a script and records the Idempotency-Key of every call. */
function scriptedFetch(script: (() => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({ method: init.method ?? 'GET', key: headers['Idempotency-Key'] });
    const next = script.shift();
    if (!next) throw new Error('no more answers scripted');
    return next();
  });
  return calls;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const networkDown = () => {
  throw new TypeError('Failed to fetch');
};

describe('the web client’s Idempotency-Key', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends one key per submission and the same key on its automatic retries', async () => {
    vi.useFakeTimers();
    const calls = scriptedFetch([
      networkDown,
      () => json(503, { error: { code: 'unavailable', message: 'x' } }),
      () => json(201, { id: 'm1' }),
    ]);
    const first = request('/api/pairings/p/meetings', { method: 'POST', body: { a: 1 } });
    await vi.runAllTimersAsync();
    expect(await first).toEqual({ id: 'm1' });
    expect(calls).toHaveLength(3);
    expect(calls[0]!.key).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);

    // The next submission is a new request: a new key.
    const calls2 = scriptedFetch([() => json(201, { id: 'm2' })]);
    await request('/api/pairings/p/meetings', { method: 'POST', body: { a: 1 } });
    expect(calls2[0]!.key).not.toBe(calls[0]!.key);
  });

  it('waits and retries while the server says the same key is still in progress, but not when its outcome is unknown', async () => {
    vi.useFakeTimers();
    const inProgress = () =>
      json(
        409,
        { error: { code: 'conflict', message: 'still in progress', field: 'Idempotency-Key' } },
        { 'Retry-After': '1' },
      );
    const calls = scriptedFetch([inProgress, () => json(200, { version: 2 })]);
    const saved = request('/api/meetings/m', { method: 'PATCH', body: { version: 1 } });
    await vi.runAllTimersAsync();
    expect(await saved).toEqual({ version: 2 });
    expect(calls.map((c) => c.key)).toEqual([calls[0]!.key, calls[0]!.key]);

    const interrupted = () =>
      json(409, { error: { code: 'conflict', message: 'interrupted', field: 'Idempotency-Key' } });
    const once = scriptedFetch([interrupted]);
    await expect(request('/api/meetings/m', { method: 'PATCH', body: { version: 1 } })).rejects.toMatchObject({
      status: 409,
      field: 'Idempotency-Key',
    });
    expect(once).toHaveLength(1);
  });

  it('never retries a refused write or sends a key on a read', async () => {
    const calls = scriptedFetch([
      () => json(412, { error: { code: 'precondition_failed', message: 'stale', field: 'version' } }),
    ]);
    await expect(request('/api/meetings/m', { method: 'PATCH', body: { version: 1 } })).rejects.toMatchObject({
      status: 412,
    });
    expect(calls).toHaveLength(1);
    const reads = scriptedFetch([() => json(200, { ok: true })]);
    await request('/api/home');
    expect(reads[0]!.key).toBeUndefined();
  });
});
