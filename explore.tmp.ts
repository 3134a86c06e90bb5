import { execFileSync } from 'node:child_process';
import { AppProcess, ApiClient, freePort } from './test/fault/app-process.ts';
import { mkdtempSync, chownSync } from 'node:fs';
const dir = mkdtempSync('/tmp/h3pg-'); chownSync(dir, 101, 104);
const port = await freePort();
const pg = (bin: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', `/usr/lib/postgresql/15/bin/${bin}`, ...args], { stdio: 'pipe' }).toString();
pg('initdb', ['-D', `${dir}/data`, '-U', 'postgres', '-A', 'trust', '--no-sync']);
pg('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/log`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
execFileSync('psql', [`postgres://postgres@127.0.0.1:${port}/postgres`, '-c', 'create database m']);
const db = { engine: 'postgres' as const, env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/m` }, open: null as any, drop: async () => {} };
const app = await AppProcess.start(db);
const mentor = await ApiClient.signIn(app.url, 'mentor@demo.medmentor.test');
const p = await mentor.expect([200], 'GET', '/api/me/pairings');
const pairingId = p.asMentor[0].id;
const m = await mentor.expect([201], 'POST', `/api/pairings/${pairingId}/meetings`, { startsAt: '2026-12-02T15:00:00Z', durationMinutes: 30 });
console.log('restart', pg('pg_ctl', ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'restart']));
for (let i = 0; i < 10; i++) {
  const t = Date.now();
  const h = await fetch(`${app.url}/api/health`).then(r => r.status, e => String(e));
  const w = await mentor.request('POST', `/api/meetings/${m.id}/action-items`, { owner: 'mentor', description: `x${i}` }).then(r => `${r.status} ${JSON.stringify(r.body).slice(0,200)}`, e => String(e));
  console.log(i, h, w, Date.now() - t);
  await new Promise(r => setTimeout(r, 500));
}
console.log(app.output.slice(-3000));
await app.stop();
pg('pg_ctl', ['-D', `${dir}/data`, '-m', 'fast', 'stop']);
