import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  getMessageTextChoice,
  getPreferences,
  listNotifications,
  markRead,
  setMessageTextChoice,
  setPreferences,
} from './notifications.service.ts';
import { MessageTextChoiceSchema } from '../../../../common/messages.ts';

// Response shapes are shared with the web app; the request schemas below are the server's own.
import {
  NotificationKindSchema,
  NotificationListSchema,
  NotificationPreferencesSchema,
} from '../../../../common/mentoring.ts';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

/** A person's own notifications and email choices. */
export async function notificationsRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, and how many are unread',
        querystring: z.object({
          unread: z.enum(['true', 'false']).default('false'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: NotificationListSchema, ...errors },
      },
    },
    async (request) => {
      const { notifications, unread } = await listNotifications(ctx, requireUser(request), {
        unreadOnly: request.query.unread === 'true',
        limit: request.query.limit,
      });
      return {
        unread,
        notifications: notifications.map((n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          body: n.body,
          link: n.link,
          createdAt: n.created_at.toISOString(),
          read: n.read_at !== null,
        })),
      };
    },
  );

  app.post(
    '/api/me/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read, or all of them',
        body: z.union([z.object({ id: z.uuid() }), z.object({ all: z.literal(true) })]),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await markRead(ctx, requireUser(request), request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Which notifications I also get by email',
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => ({ preferences: await getPreferences(ctx, requireUser(request)) }),
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose which notifications also come by email',
        body: z.object({ preferences: z.array(z.object({ kind: NotificationKindSchema, email: z.boolean() })).min(1) }),
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => ({ preferences: await setPreferences(ctx, requireUser(request), request.body.preferences) }),
  );

  app.get(
    '/api/me/notification-preferences/message-text',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Whether emails about a new message carry its text (off unless I turn it on)',
        response: { 200: MessageTextChoiceSchema, ...errors },
      },
    },
    async (request) => getMessageTextChoice(ctx, requireUser(request)),
  );

  app.put(
    '/api/me/notification-preferences/message-text',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose whether emails about a new message carry its text',
        body: MessageTextChoiceSchema,
        response: { 200: MessageTextChoiceSchema, ...errors },
      },
    },
    async (request) => setMessageTextChoice(ctx, requireUser(request), request.body.includeMessageText),
  );
}
