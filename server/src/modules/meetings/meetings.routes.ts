/**
 * Meetings of a pairing: the schedule, the shared record, the student's reflection, the mentor's
 * private notes and action items. Only the pairing's student and mentor reach any of it.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  addActionItem,
  getMeeting,
  listPairingMeetings,
  proposeMeeting,
  savePrivateNotes,
  saveReflection,
  updateActionItem,
  updateMeeting,
} from './meetings.service.ts';
import { availableTimes, getMyAvailability, setMyAvailability } from './availability.service.ts';
import { addAgendaItem, listAgendaTemplates, setAgendaItemCovered, setAgendaTemplate } from './agenda.service.ts';
import { getPairingCadence, listCadenceRules, setCadenceRule } from './cadence.service.ts';
import { calendarFeed, meetingInvitation, rotateCalendarFeed } from './calendar.service.ts';

// Response shapes are shared with the web app; the request schemas below are the server's own.
import {
  ActionItemOwnerSchema,
  ActionItemSchema,
  AgendaItemSchema,
  AgendaTemplateListSchema,
  AgendaTopicSchema,
  AvailabilitySchema,
  AvailabilityWindowSchema,
  AvailableTimesSchema,
  CadenceRuleListSchema,
  CadenceRuleSchema,
  CalendarFeedSchema,
  CreatedIdSchema,
  MeetingDetailSchema,
  MeetingListSchema,
  MeetingStatusSchema,
  MeetingVersionSchema,
  NoteVersionSchema,
  PairingCadenceSchema,
  type MeetingStatus,
} from '../../../../common/mentoring.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  412: ErrorBodySchema,
};
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD');
const MeetingParams = z.object({ meetingId: z.uuid() });

const mapSummary = (m: {
  id: string;
  status: MeetingStatus;
  starts_at: Date;
  duration_minutes: number;
  location: string | null;
  video_url: string | null;
  actual_minutes: number | null;
  version: number;
}) => ({
  id: m.id,
  status: m.status,
  startsAt: m.starts_at.toISOString(),
  durationMinutes: m.duration_minutes,
  location: m.location,
  videoUrl: m.video_url,
  actualMinutes: m.actual_minutes,
  version: m.version,
});
const mapNote = (n: { body: string; version: number; updated_at: Date } | null) =>
  n ? { body: n.body, version: n.version, updatedAt: n.updated_at.toISOString() } : null;
const mapItem = (i: {
  id: string;
  owner: 'student' | 'mentor';
  description: string;
  due_on: string | null;
  done_at: Date | null;
  version: number;
}) => ({
  id: i.id,
  owner: i.owner,
  description: i.description,
  dueOn: i.due_on,
  done: i.done_at !== null,
  version: i.version,
});

export async function meetingsRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pairings/:pairingId/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'A pairing’s meetings (its student and mentor)',
        params: z.object({ pairingId: z.uuid() }),
        response: { 200: MeetingListSchema, ...errors },
      },
    },
    async (request) => ({
      meetings: (await listPairingMeetings(ctx, requireUser(request), request.params.pairingId)).map(mapSummary),
    }),
  );

  app.post(
    '/api/pairings/:pairingId/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Propose a meeting',
        params: z.object({ pairingId: z.uuid() }),
        body: z.object({
          startsAt: z.iso.datetime({ offset: true }),
          durationMinutes: z.number().int().min(5).max(480),
          location: z.string().trim().max(300).nullable().optional(),
          videoUrl: z
            .url({ protocol: /^https$/ })
            .nullable()
            .optional(),
        }),
        response: { 201: CreatedIdSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await proposeMeeting(ctx, requireUser(request), request.params.pairingId, request.body)),
  );

  app.get(
    '/api/meetings/:meetingId',
    {
      schema: {
        tags: ['meetings'],
        summary: 'A meeting record: shared summary, reflection, action items; private notes for the mentor only',
        params: MeetingParams,
        response: { 200: MeetingDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { meeting, agenda, actionItems, reflection, privateNotes } = await getMeeting(
        ctx,
        requireUser(request),
        request.params.meetingId,
      );
      return {
        ...mapSummary(meeting),
        pairingId: meeting.pairing_id,
        sharedSummary: meeting.shared_summary,
        nextSteps: meeting.next_steps,
        cancelReason: meeting.cancel_reason,
        agenda,
        reflection: mapNote(reflection),
        ...(privateNotes === undefined ? {} : { privateNotes: mapNote(privateNotes) }),
        actionItems: actionItems.map(mapItem),
      };
    },
  );

  app.patch(
    '/api/meetings/:meetingId',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Change a meeting; `version` must be the one you read (412 when someone changed it since)',
        params: MeetingParams,
        body: z.object({
          version: z.number().int().min(1),
          status: MeetingStatusSchema.optional(),
          startsAt: z.iso.datetime({ offset: true }).optional(),
          durationMinutes: z.number().int().min(5).max(480).optional(),
          location: z.string().trim().max(300).nullable().optional(),
          videoUrl: z
            .url({ protocol: /^https$/ })
            .nullable()
            .optional(),
          actualMinutes: z.number().int().min(0).max(600).nullable().optional(),
          sharedSummary: z.string().max(20000).optional(),
          nextSteps: z.string().max(5000).optional(),
          cancelReason: z.string().trim().min(1).max(500).optional(),
        }),
        response: { 200: MeetingVersionSchema, ...errors },
      },
    },
    async (request) => updateMeeting(ctx, requireUser(request), request.params.meetingId, request.body),
  );

  const NoteBody = z.object({ body: z.string().max(20000), version: z.number().int().min(1).nullable() });
  app.put(
    '/api/meetings/:meetingId/private-notes',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Save the mentor’s private notes (the mentor of the pairing only); version null for the first save',
        params: MeetingParams,
        body: NoteBody,
        response: { 200: NoteVersionSchema, ...errors },
      },
    },
    async (request) => savePrivateNotes(ctx, requireUser(request), request.params.meetingId, request.body),
  );

  app.put(
    '/api/meetings/:meetingId/reflection',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Save the student’s reflection (the student only); version null for the first save',
        params: MeetingParams,
        body: NoteBody,
        response: { 200: NoteVersionSchema, ...errors },
      },
    },
    async (request) => saveReflection(ctx, requireUser(request), request.params.meetingId, request.body),
  );

  app.post(
    '/api/meetings/:meetingId/action-items',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Add an action item to a meeting',
        params: MeetingParams,
        body: z.object({
          owner: ActionItemOwnerSchema,
          description: z.string().trim().min(1).max(1000),
          dueOn: isoDate.nullable().optional(),
        }),
        response: { 201: ActionItemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(mapItem(await addActionItem(ctx, requireUser(request), request.params.meetingId, request.body))),
  );

  app.patch(
    '/api/action-items/:itemId',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Change or tick off an action item; `version` must be the one you read',
        params: z.object({ itemId: z.uuid() }),
        body: z.object({
          version: z.number().int().min(1),
          description: z.string().trim().min(1).max(1000).optional(),
          dueOn: isoDate.nullable().optional(),
          done: z.boolean().optional(),
        }),
        response: { 200: ActionItemSchema, ...errors },
      },
    },
    async (request) => mapItem(await updateActionItem(ctx, requireUser(request), request.params.itemId, request.body)),
  );

  app.get(
    '/api/programs/:programId/cadence-rules',
    {
      schema: {
        tags: ['meetings'],
        summary: 'How often the program’s pairings must meet, per phase (directors, deans, admins)',
        params: z.object({ programId: z.uuid() }),
        response: { 200: CadenceRuleListSchema, ...errors },
      },
    },
    async (request) => ({ rules: await listCadenceRules(ctx, requireUser(request), request.params.programId) }),
  );

  app.put(
    '/api/programs/:programId/cadence-rules',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Set the cadence for one phase, or the default when phaseId is null (directors, admins)',
        params: z.object({ programId: z.uuid() }),
        body: CadenceRuleSchema.extend({ phaseId: z.uuid().nullable() }),
        response: { 200: CadenceRuleListSchema, ...errors },
      },
    },
    async (request) => ({
      rules: await setCadenceRule(ctx, requireUser(request), request.params.programId, request.body),
    }),
  );

  app.get(
    '/api/pairings/:pairingId/cadence',
    {
      schema: {
        tags: ['meetings'],
        summary: 'When the next meeting is due and whether the requirement is met (the pairing’s student and mentor)',
        params: z.object({ pairingId: z.uuid() }),
        response: { 200: PairingCadenceSchema, ...errors },
      },
    },
    async (request) => ({ cadence: await getPairingCadence(ctx, requireUser(request), request.params.pairingId) }),
  );

  app.get(
    '/api/meetings/:meetingId/invite.ics',
    {
      schema: {
        tags: ['meetings'],
        summary: 'The meeting as an iCalendar file (the pairing’s student and mentor)',
        params: MeetingParams,
        produces: ['text/calendar'],
      },
    },
    async (request, reply) => {
      const ics = await meetingInvitation(ctx, requireUser(request), request.params.meetingId);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="mentoring-meeting.ics"')
        .send(ics);
    },
  );

  app.post(
    '/api/me/calendar-feed',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Create or replace my calendar subscription address (the old one stops working)',
        response: { 200: CalendarFeedSchema, ...errors },
      },
    },
    async (request) => rotateCalendarFeed(ctx, requireUser(request)),
  );

  app.get(
    '/api/calendar/:feed',
    {
      schema: {
        tags: ['meetings'],
        summary: 'A calendar subscription: the address itself is the credential (no sign-in, for calendar apps)',
        params: z.object({ feed: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/, 'Not a calendar address') }),
        produces: ['text/calendar'],
      },
    },
    async (request, reply) => {
      const ics = await calendarFeed(ctx, request.params.feed.slice(0, -4));
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(ics);
    },
  );

  app.get(
    '/api/programs/:programId/agenda-templates',
    {
      schema: {
        tags: ['meetings'],
        summary: 'The program’s agenda templates: required and optional topics per phase (directors, deans, admins)',
        params: z.object({ programId: z.uuid() }),
        response: { 200: AgendaTemplateListSchema, ...errors },
      },
    },
    async (request) => ({ templates: await listAgendaTemplates(ctx, requireUser(request), request.params.programId) }),
  );

  app.put(
    '/api/programs/:programId/agenda-templates',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Set the agenda template of one phase, or the default when phaseId is null (directors, admins)',
        params: z.object({ programId: z.uuid() }),
        body: z.object({ phaseId: z.uuid().nullable(), topics: z.array(AgendaTopicSchema).max(30) }),
        response: { 200: AgendaTemplateListSchema, ...errors },
      },
    },
    async (request) => ({
      templates: await setAgendaTemplate(ctx, requireUser(request), request.params.programId, request.body),
    }),
  );

  app.post(
    '/api/meetings/:meetingId/agenda-items',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Add an item to a meeting’s agenda (the student before the meeting, or the mentor)',
        params: MeetingParams,
        body: z.object({ title: z.string().trim().min(1).max(200) }),
        response: { 201: AgendaItemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addAgendaItem(ctx, requireUser(request), request.params.meetingId, request.body.title)),
  );

  app.patch(
    '/api/agenda-items/:agendaItemId',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Mark an agenda item covered or not',
        params: z.object({ agendaItemId: z.uuid() }),
        body: z.object({ covered: z.boolean() }),
        response: { 200: AgendaItemSchema, ...errors },
      },
    },
    async (request) =>
      setAgendaItemCovered(ctx, requireUser(request), request.params.agendaItemId, request.body.covered),
  );

  app.get(
    '/api/me/availability',
    {
      schema: {
        tags: ['meetings'],
        summary: 'My weekly windows for mentoring meetings, in the school’s time zone (named in `timeZone`)',
        response: { 200: AvailabilitySchema, ...errors },
      },
    },
    async (request) => getMyAvailability(ctx, requireUser(request)),
  );

  app.put(
    '/api/me/availability',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Replace my weekly windows for mentoring meetings (mentors)',
        body: z.object({ windows: z.array(AvailabilityWindowSchema).max(50) }),
        response: { 200: AvailabilitySchema, ...errors },
      },
    },
    async (request) => setMyAvailability(ctx, requireUser(request), request.body.windows),
  );

  app.get(
    '/api/pairings/:pairingId/available-times',
    {
      schema: {
        tags: ['meetings'],
        summary:
          'Times the pairing can meet: the mentor’s windows less their other meetings (the pairing’s student and mentor)',
        params: z.object({ pairingId: z.uuid() }),
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(60).default(14),
          durationMinutes: z.coerce.number().int().min(15).max(240).default(45),
        }),
        response: { 200: AvailableTimesSchema, ...errors },
      },
    },
    async (request) => ({
      slots: (await availableTimes(ctx, requireUser(request), request.params.pairingId, request.query)).map((s) => ({
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        location: s.location,
      })),
    }),
  );
}
