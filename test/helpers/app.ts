import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import type { App } from '../../server/src/app-types.ts';
import { FixedClock } from '../../server/src/clock.ts';
import { testConfig } from '../../server/src/config.ts';
import type { AppContext } from '../../server/src/context.ts';
import type { Mailer, OutgoingMail } from '../../server/src/mail/mailer.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** A mailer that keeps what it was asked to send, for tests that read the email. */
export class CapturingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
  }
  close(): void {}
}

export interface TestApp {
  app: App;
  ctx: AppContext;
  clock: FixedClock;
  mailer: CapturingMailer;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real application over a fresh test database, with a clock the test sets. */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new FixedClock('2026-09-15T14:00:00Z');
  const mailer = new CapturingMailer();
  const ctx: AppContext = { db: database.db, engine: database.engine, config: testConfig(overrides), clock, mailer };
  const app = await buildApp(ctx, { webDistDir: null, logger: false });
  await app.ready();
  return {
    app,
    ctx,
    clock,
    mailer,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A signed-in browser as far as the API can tell: its cookie and CSRF token. */
export interface Browser {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export async function signIn(app: App, email: string, password: string, ip = '10.0.0.1'): Promise<Browser> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
  if (response.statusCode !== 200) throw new Error(`Sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === '__Host-mm_session');
  if (!cookie) throw new Error('No session cookie was set');
  const body = response.json() as { csrfToken: string; user: { id: string } };
  return { cookie: `${cookie.name}=${cookie.value}`, csrfToken: body.csrfToken, userId: body.user.id };
}

/** A request as the signed-in browser sends it: cookie always, CSRF header on writes. */
export function asBrowser(app: App, browser: Browser) {
  return (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { cookie: browser.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': browser.csrfToken }) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}
