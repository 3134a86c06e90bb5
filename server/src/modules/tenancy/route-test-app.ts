/**
 * Route-test conveniences for the tenancy and roster modules over the shared test app
 * (test/helpers/app.ts): sign in any user by id and email, and hold an integration's API token.
 */
import type { LightMyRequestResponse } from 'fastify';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { createApiToken } from '../auth/api-tokens.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Actor, ApiTokenScope } from '../../policy/actor.ts';

export const ROUTE_TEST_PASSWORD = 'correct horse battery staple';
// Hashing is slow on purpose; one hash serves every sign-in of the run.
let passwordHash: Promise<string> | undefined;

export type RouteTestApp = TestApp;

export const createRouteTestApp = (): Promise<RouteTestApp> => createTestApp();

/** A signed-in browser: gives the user a password, signs in, and sends the cookie and CSRF token on every request. */
export async function signInAs(t: RouteTestApp, user: { id: string; email: string }) {
  await t.ctx.db
    .updateTable('users')
    .set({ password_hash: await (passwordHash ??= hashPassword(ROUTE_TEST_PASSWORD)) })
    .where('id', '=', user.id)
    .execute();
  const browser = await signIn(t.app, user.email, ROUTE_TEST_PASSWORD);
  const send = asBrowser(t.app, browser);
  const headers = { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken };
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
      return send(method, url, body?.json);
    },
  };
}

/** An API token of the actor's institution, as an integration would hold it. */
export async function bearerFor(t: RouteTestApp, admin: Actor, scopes: ApiTokenScope[]) {
  const { secret } = await createApiToken(t.ctx, admin, { name: 'Registrar', scopes });
  return { authorization: `Bearer ${secret}` };
}
