import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { testEngine } from '../../../test/helpers/db.ts';
import { seedDemo } from '../modules/demo/seed-demo.ts';
import { runMatchCommand } from './match-command.ts';

/** `medmentor match` on the demo school: list the rounds, run the draft round, publish it. */
describe(`medmentor match on ${testEngine()}`, () => {
  let t: TestApp;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.ctx);
  });
  afterAll(() => t.close());

  async function match(args: string[], flags: { institution?: string; mode?: string } = {}) {
    out = [];
    err = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
    try {
      return await runMatchCommand(t.ctx, args, { institution: 'demo-som', ...flags });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('lists the rounds, runs the draft one and publishes it through the same checks as the web', async () => {
    expect(await match(['list'])).toBe(0);
    const line = out.find((l) => /\bdraft\b/.test(l));
    expect(line).toBeDefined();
    const roundId = line!.trim().split(/\s+/)[0]!;

    expect(await match(['run', roundId], { mode: 'fastest' })).toBe(2);
    expect(err.join('\n')).toContain('--mode must be one of optimal, balanced, maximin, stable');

    expect(await match(['run', roundId], { mode: 'stable' })).toBe(0);
    expect(out[0]).toMatch(/: proposed, stable$/);
    expect(out[1]).toMatch(/^ {2}\d+ of \d+ placed, total score \d+/);

    const activePairings = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('pairings')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('status', '=', 'active')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await activePairings();
    expect(await match(['publish', roundId])).toBe(0);
    const published = /^Published: (\d+) pairing\(s\) created/.exec(out.at(-1)!);
    expect(Number(published?.[1])).toBeGreaterThan(0);
    expect(await activePairings()).toBe(before + Number(published![1]));

    // Published rounds don't run again; the refusal is printed, with a failing exit code.
    expect(await match(['run', roundId])).toBe(1);
    expect(await match(['publish'])).toBe(2);
    expect(await match(['list'], { institution: 'nowhere' })).toBe(2);
    expect(err.join('\n')).toContain('No institution has the slug "nowhere"');
  });
});
