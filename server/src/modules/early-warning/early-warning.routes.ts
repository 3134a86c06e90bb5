/**
 * Early warning: the mentor's alert inbox and outreach workflow, the student's alerts and monthly
 * wellbeing check-in, and the program's settings for its director.
 */
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  acknowledgeAlert,
  countMyMentorAlerts,
  getAlert,
  listMyAlerts,
  listMyMentorAlerts,
  logAlertContact,
  resolveAlert,
} from './alerts.service.ts';
import {
  AlertChangeSchema,
  AlertCountsSchema,
  AlertDetailSchema,
  AlertInboxSchema,
  AlertParamsSchema,
  InboxQuerySchema,
  LogContactSchema,
  MyAlertsSchema,
  MyWellbeingSchema,
  ProgramEarlyWarningSchema,
  ProgramParamsSchema,
  ResolveAlertSchema,
  SaveWellbeingSchema,
  UpdateEarlyWarningSettingsSchema,
} from './early-warning.schemas.ts';
import { getProgramEarlyWarning, updateProgramEarlyWarning } from './settings.service.ts';
import { getMyWellbeing, saveMyWellbeing } from './wellbeing.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  412: ErrorBodySchema,
};

export async function earlyWarningRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/mentor-alerts',
    {
      schema: {
        tags: ['early warning'],
        summary: 'My alert inbox as a mentor: alerts about my current mentees, open first (logged per mentee)',
        querystring: InboxQuerySchema,
        response: { 200: AlertInboxSchema, ...errors },
      },
    },
    async (request) => ({ alerts: await listMyMentorAlerts(ctx, requireUser(request), request.query.state) }),
  );

  app.get(
    '/api/me/mentor-alerts/count',
    {
      schema: {
        tags: ['early warning'],
        summary: 'How many alerts wait in my inbox (counts only, for the navigation)',
        response: { 200: AlertCountsSchema, ...errors },
      },
    },
    async (request) => countMyMentorAlerts(ctx, requireUser(request)),
  );

  app.get(
    '/api/alerts/:alertId',
    {
      schema: {
        tags: ['early warning'],
        summary: 'One alert with its reason and the outreach so far (the student’s current mentor); logged',
        params: AlertParamsSchema,
        response: { 200: AlertDetailSchema, ...errors },
      },
    },
    async (request) => getAlert(ctx, requireUser(request), request.params.alertId),
  );

  app.post(
    '/api/alerts/:alertId/acknowledge',
    {
      schema: {
        tags: ['early warning'],
        summary: 'Acknowledge an alert (idempotent)',
        params: AlertParamsSchema,
        response: { 200: AlertChangeSchema, ...errors },
      },
    },
    async (request) => acknowledgeAlert(ctx, requireUser(request), request.params.alertId),
  );

  app.post(
    '/api/alerts/:alertId/contacts',
    {
      schema: {
        tags: ['early warning'],
        summary: 'Log a contact with the student (email, meeting, phone, message); the alert moves to outreach',
        description:
          'version is the alert’s version as shown; a stale one is refused with 412, so a repeated submit logs once.',
        params: AlertParamsSchema,
        body: LogContactSchema,
        response: { 200: AlertChangeSchema, ...errors },
      },
    },
    async (request) => logAlertContact(ctx, requireUser(request), request.params.alertId, request.body),
  );

  app.post(
    '/api/alerts/:alertId/resolve',
    {
      schema: {
        tags: ['early warning'],
        summary: 'Resolve an alert with a note',
        params: AlertParamsSchema,
        body: ResolveAlertSchema,
        response: { 200: AlertChangeSchema, ...errors },
      },
    },
    async (request) => resolveAlert(ctx, requireUser(request), request.params.alertId, request.body),
  );

  app.get(
    '/api/me/alerts',
    {
      schema: {
        tags: ['early warning'],
        summary:
          'The alerts about me: reason, state, who sees them, outreach dates, and whether a director was told (students)',
        response: { 200: MyAlertsSchema, ...errors },
      },
    },
    async (request) => ({ alerts: await listMyAlerts(ctx, requireUser(request)) }),
  );

  app.get(
    '/api/me/wellbeing',
    {
      schema: {
        tags: ['early warning'],
        summary: 'My wellbeing check-in for this month and earlier ones (students)',
        response: { 200: MyWellbeingSchema, ...errors },
      },
    },
    async (request) => getMyWellbeing(ctx, requireUser(request)),
  );

  app.put(
    '/api/me/wellbeing',
    {
      schema: {
        tags: ['early warning'],
        summary: 'Check in for this month (1 struggling … 5 thriving, optional note); saving again edits it (students)',
        description:
          'The note is private unless noteShared is true; then the mentor reads it with a low-wellbeing alert.',
        body: SaveWellbeingSchema,
        response: { 200: MyWellbeingSchema, ...errors },
      },
    },
    async (request) => saveMyWellbeing(ctx, requireUser(request), request.body),
  );

  app.get(
    '/api/programs/:programId/early-warning',
    {
      schema: {
        tags: ['early warning'],
        summary: 'The program’s early-warning rules and counts of its alerts, never their content (directors, admins)',
        params: ProgramParamsSchema,
        response: { 200: ProgramEarlyWarningSchema, ...errors },
      },
    },
    async (request) => getProgramEarlyWarning(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/early-warning',
    {
      schema: {
        tags: ['early warning'],
        summary: 'Set the program’s early-warning rules and reminders (directors, admins)',
        params: ProgramParamsSchema,
        body: UpdateEarlyWarningSettingsSchema,
        response: { 200: ProgramEarlyWarningSchema, ...errors },
      },
    },
    async (request) =>
      updateProgramEarlyWarning(ctx, requireUser(request), request.params.programId, request.body.settings),
  );
}
