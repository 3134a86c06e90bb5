/**
 * Safety escalation: the program's wellbeing contacts and settings (its director), the mentor's
 * escalation form, the contact's inbox and escalation (until it expires), the student's list of
 * escalations about them, and the program's monthly counts.
 */
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  AddWellbeingContactSchema,
  ContactParamsSchema,
  CreateEscalationSchema,
  EscalationCountsSchema,
  EscalationDetailSchema,
  EscalationOptionsSchema,
  EscalationParamsSchema,
  MentorEscalationSchema,
  MyEscalationsSchema,
  PairingParamsSchema,
  ProgramParamsSchema,
  ProgramSafetySchema,
  RenewEscalationSchema,
  SafetySettingsSchema,
  WellbeingInboxSchema,
} from './safety.schemas.ts';
import {
  addWellbeingContact,
  countEscalations,
  createEscalation,
  getEscalation,
  getEscalationOptions,
  getProgramSafety,
  listMyEscalations,
  listWellbeingInbox,
  removeWellbeingContact,
  renewEscalation,
  updateSafetySettings,
} from './safety.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const tags = ['safety'];

export async function safetyRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/safety',
    {
      schema: {
        tags,
        summary: 'The program’s escalation settings and wellbeing contacts (directors, admins)',
        params: ProgramParamsSchema,
        response: { 200: ProgramSafetySchema, ...errors },
      },
    },
    async (request) => getProgramSafety(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/safety/settings',
    {
      schema: {
        tags,
        summary: 'How long a contact sees an escalation, and how long the student’s notice waits (directors, admins)',
        params: ProgramParamsSchema,
        body: SafetySettingsSchema,
        response: { 200: ProgramSafetySchema, ...errors },
      },
    },
    async (request) => updateSafetySettings(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.post(
    '/api/programs/:programId/wellbeing-contacts',
    {
      schema: {
        tags,
        summary: 'Make a member of staff a wellbeing contact of the program (directors, admins)',
        params: ProgramParamsSchema,
        body: AddWellbeingContactSchema,
        response: { 200: ProgramSafetySchema, ...errors },
      },
    },
    async (request) => addWellbeingContact(ctx, requireUser(request), request.params.programId, request.body.userId),
  );

  app.delete(
    '/api/programs/:programId/wellbeing-contacts/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a wellbeing contact; their open escalations close to them at once (directors, admins)',
        params: ContactParamsSchema,
        response: { 200: ProgramSafetySchema, ...errors },
      },
    },
    async (request) =>
      removeWellbeingContact(ctx, requireUser(request), request.params.programId, request.params.userId),
  );

  app.get(
    '/api/programs/:programId/escalation-counts',
    {
      schema: {
        tags,
        summary: 'Escalations and renewals per month: counts only (directors, deans, admins)',
        params: ProgramParamsSchema,
        response: { 200: EscalationCountsSchema, ...errors },
      },
    },
    async (request) => countEscalations(ctx, requireUser(request), request.params.programId),
  );

  app.get(
    '/api/pairings/:pairingId/escalations',
    {
      schema: {
        tags,
        summary:
          'The escalation form: contacts who do not assess the student, what can be shared, escalations made (the pairing’s mentor)',
        params: PairingParamsSchema,
        response: { 200: EscalationOptionsSchema, ...errors },
      },
    },
    async (request) => getEscalationOptions(ctx, requireUser(request), request.params.pairingId),
  );

  app.post(
    '/api/pairings/:pairingId/escalations',
    {
      schema: {
        tags,
        summary: 'Escalate a safety concern to a wellbeing contact, with a reason and chosen material (the mentor)',
        description:
          'A contact who assesses the student is refused (field contactId); a missing reason is refused (field reason). ' +
          'The same requestId again returns the escalation already made.',
        params: PairingParamsSchema,
        body: CreateEscalationSchema,
        response: { 200: MentorEscalationSchema, ...errors },
      },
    },
    async (request) => createEscalation(ctx, requireUser(request), request.params.pairingId, request.body),
  );

  app.get(
    '/api/wellbeing-inbox',
    {
      schema: {
        tags,
        summary: 'The escalations I can still open as a wellbeing contact',
        response: { 200: WellbeingInboxSchema, ...errors },
      },
    },
    async (request) => listWellbeingInbox(ctx, requireUser(request)),
  );

  app.get(
    '/api/escalations/:escalationId',
    {
      schema: {
        tags,
        summary: 'An escalation and exactly what was shared, until it expires (its wellbeing contact); logged',
        params: EscalationParamsSchema,
        response: { 200: EscalationDetailSchema, ...errors },
      },
    },
    async (request) => getEscalation(ctx, requireUser(request), request.params.escalationId),
  );

  app.post(
    '/api/escalations/:escalationId/renew',
    {
      schema: {
        tags,
        summary: 'Renew access to an escalation before it expires, with a reason (its wellbeing contact)',
        params: EscalationParamsSchema,
        body: RenewEscalationSchema,
        response: { 200: EscalationDetailSchema, ...errors },
      },
    },
    async (request) => renewEscalation(ctx, requireUser(request), request.params.escalationId, request.body),
  );

  app.get(
    '/api/me/escalations',
    {
      schema: {
        tags,
        summary: 'Safety escalations about me: when, to whom, what kinds of material, until when (students)',
        response: { 200: MyEscalationsSchema, ...errors },
      },
    },
    async (request) => ({ escalations: await listMyEscalations(ctx, requireUser(request)) }),
  );
}
