/**
 * Roster routes: CSV in (as a text/csv body) and CSV out. The text/csv parser is registered
 * inside this plugin only, so the rest of the API keeps accepting JSON alone.
 */
import type { FastifyReply } from 'fastify';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { FileNameHeadersSchema, fileNameFromHeader } from '../../http/url-privacy.ts';
import { requireActor } from '../auth/request-actor.ts';
import { MAX_ROSTER_BYTES } from './roster.csv.ts';
import {
  CsvBodySchema,
  ImportQuerySchema,
  ImportResultSchema,
  RosterKindParamsSchema,
  StudentExportQuerySchema,
} from './roster.schemas.ts';
import { exportRoster, importRoster, type RosterExport } from './roster.service.ts';

const tags = ['roster'];

function sendCsv(reply: FastifyReply, file: RosterExport) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.csv);
}

/** Roster import (students, faculty) and export, for administrators and API tokens with roster scopes. */
export async function rosterRoutes(app: App, ctx: AppContext): Promise<void> {
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_ROSTER_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    scope.post(
      '/api/roster/:kind/import',
      {
        bodyLimit: MAX_ROSTER_BYTES,
        schema: {
          tags,
          summary: 'Import a students or faculty CSV file (all or nothing; dryRun=true to check only)',
          description:
            'Students columns: external_id,email,given_name,family_name,preferred_name,pronouns,graduation_year,phase,campus. ' +
            'Faculty columns: external_id,email,given_name,family_name,preferred_name,pronouns,department,title,campus,roles ' +
            '(roles separated by ";": mentor:<program-slug>, director:<program-slug>, assessor, dean, admin). ' +
            'A file with any problem imports nothing: 400 validation_failed with the problems in error.details. ' +
            'The file name, kept with the import, goes in the X-File-Name header (a fileName query parameter is refused).',
          consumes: ['text/csv'],
          params: RosterKindParamsSchema,
          querystring: ImportQuerySchema,
          headers: FileNameHeadersSchema,
          body: CsvBodySchema,
          response: { 200: ImportResultSchema },
        },
      },
      async (request) =>
        importRoster(ctx, requireActor(request), request.params.kind, request.body, {
          dryRun: request.query.dryRun,
          fileName: fileNameFromHeader(request) ?? 'roster.csv',
        }),
    );

    scope.get(
      '/api/roster/students.csv',
      {
        schema: {
          tags,
          summary: 'Export the students roster as CSV (optionally one cohort), in the import format',
          produces: ['text/csv'],
          querystring: StudentExportQuerySchema,
        },
      },
      async (request, reply) =>
        sendCsv(
          reply,
          await exportRoster(ctx, requireActor(request), 'students', { cohortId: request.query.cohortId }),
        ),
    );

    scope.get(
      '/api/roster/faculty.csv',
      { schema: { tags, summary: 'Export the faculty roster as CSV, in the import format', produces: ['text/csv'] } },
      async (request, reply) => sendCsv(reply, await exportRoster(ctx, requireActor(request), 'faculty')),
    );
  });
}
