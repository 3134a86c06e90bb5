/**
 * The real application over a fresh test database, with sign-in and bearer-token helpers;
 * for route tests of the tenancy and roster modules.
 */
import type { LightMyRequestResponse } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import { buildApp } from '../../app.ts';
import type { App } from '../../app-types.ts';
import type { FixedClock } from '../../clock.ts';
import type { AppContext } from '../../context.ts';
import { createApiToken } from '../auth/api-tokens.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { SESSION_COOKIE } from '../auth/auth.plugin.ts';
import type { Actor } from '../../policy/actor.ts';
import type { ApiTokenScope } from '../../policy/actor.ts';
import { createTestContext } from './tenancy.factories.ts';

export const ROUTE_TEST_PASSWORD = 'correct horse battery staple';
// Hashing is slow on purpose; one hash serves every sign-in of the run.
let passwordHash: Promise<string> | undefined;

export interface RouteTestApp {
  app: App;
  ctx: AppContext;
  clock: FixedClock;
  close(): Promise<void>;
}

export async function createRouteTestApp(): Promise<RouteTestApp> {
  const database: TestDatabase = await createTestDatabase();
  const { ctx, clock } = createTestContext(database);
  const app = await buildApp(ctx, { webDistDir: null, logger: false });
  await app.ready();
  return {
    app,
    ctx,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A signed-in browser: gives the user a password, signs in, and sends the cookie and CSRF token on every request. */
export async function signInAs(t: RouteTestApp, user: { id: string; email: string }) {
  await t.ctx.db
    .updateTable('users')
    .set({ password_hash: await (passwordHash ??= hashPassword(ROUTE_TEST_PASSWORD)) })
    .where('id', '=', user.id)
    .execute();
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: ROUTE_TEST_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`Sign-in failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
  const { csrfToken } = login.json() as { csrfToken: string };
  const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': csrfToken };
  return {
    headers,
    request(
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: { json: unknown } | { csv: string },
    ): Promise<LightMyRequestResponse> {
      if (body && 'csv' in body) {
        return t.app.inject({ method, url, headers: { ...headers, 'content-type': 'text/csv' }, payload: body.csv });
      }
      return t.app.inject({ method, url, headers, ...(body ? { payload: body.json as object } : {}) });
    },
  };
}

/** An API token of the actor's institution, as an integration would hold it. */
export async function bearerFor(t: RouteTestApp, admin: Actor, scopes: ApiTokenScope[]) {
  const { secret } = await createApiToken(t.ctx, admin, { name: 'Registrar', scopes });
  return { authorization: `Bearer ${secret}` };
}
