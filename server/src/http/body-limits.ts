/**
 * Body size limits by class of route (issue 8): most routes take small JSON (JSON_BODY_LIMIT_KB,
 * the server-wide limit); bulk imports take more (IMPORT_BODY_LIMIT_MB, for the JSON imports here
 * and for every CSV import that sets no limit of its own); message attachments are limited by
 * their own module (MESSAGE_ATTACHMENT_MAX_BYTES). Too large a body is a 413 in the error shape.
 */
import type { App } from '../app-types.ts';
import type { Config } from '../config.ts';

/** Routes that take a whole file or batch: CSV imports and their JSON twins for integrations. */
export const IMPORT_ROUTES: readonly string[] = [
  'POST /api/roster/:kind/import',
  'POST /api/assessments/import',
  'POST /api/assessments',
  'POST /api/programs/:programId/pairings/import',
  'POST /api/records/import',
  'POST /api/records',
];

/** Gives import routes their larger limit, unless a route set one itself. Call once, before the routes. */
export function registerBodyLimits(app: App, config: Pick<Config, 'IMPORT_BODY_LIMIT_MB'>): void {
  const imports = new Set(IMPORT_ROUTES);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.bodyLimit === undefined && methods.some((method) => imports.has(`${method} ${route.url}`))) {
      route.bodyLimit = config.IMPORT_BODY_LIMIT_MB * 1024 * 1024;
    }
  });
}
