/**
 * Messages of a pairing (its student and current mentor), their files, the person's threads, and
 * the program's responsiveness limits and unresponsive pairings (its director). Sending takes a
 * JSON body, or multipart/form-data when a file comes with the message.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  MarkThreadReadSchema,
  MessageThreadListSchema,
  MessageThreadSchema,
  ProgramResponsivenessSchema,
  ResponsivenessSettingsSchema,
  SendMessageSchema,
} from '../../../../common/messages.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { AppError, invalid } from '../../errors.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  downloadAttachment,
  getThread,
  listMyThreads,
  markThreadRead,
  sendMessage,
  type IncomingMessage,
} from './messages.service.ts';
import { getProgramResponsiveness, updateProgramResponsiveness } from './responsiveness.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  413: ErrorBodySchema,
  422: ErrorBodySchema,
};
const PairingParams = z.object({ pairingId: z.uuid() });
const SentSchema = z.object({ id: z.uuid(), seq: z.number().int() });

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** The first problem of a zod result as our error, naming the field. */
function firstIssue(error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  return invalid(field, issue.message);
}

/** Reads a message from JSON or from multipart/form-data (fields `body`, `clientKey`, file `attachment`). */
async function readIncoming(request: FastifyRequest, maxBytes: number): Promise<IncomingMessage> {
  if (!request.isMultipart()) {
    const parsed = SendMessageSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw firstIssue(parsed.error);
    return { ...parsed.data, attachment: null };
  }
  const fields: Record<string, string> = {};
  let attachment: IncomingMessage['attachment'] = null;
  try {
    for await (const part of request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 64 * 1024, parts: 6 },
    })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname !== 'attachment') throw invalid(part.fieldname, 'Send the file in the attachment field');
        // A file input left empty still sends a part, with no name and no bytes.
        if (part.filename === '' && bytes.length === 0) continue;
        attachment = { fileName: part.filename, bytes };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', `The file is larger than ${megabytes(maxBytes)}; attach a smaller one`, {
        field: 'attachment',
      });
    if (code === 'FST_FILES_LIMIT')
      throw new AppError('payload_too_large', 'Attach one file per message', { field: 'attachment' });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION')
      throw invalid('body', 'The message form has more parts than it should');
    throw error;
  }
  const parsed = SendMessageSchema.safeParse(fields);
  if (!parsed.success) throw firstIssue(parsed.error);
  return { ...parsed.data, attachment };
}

/** `attachment; filename="…"` with an ASCII fallback and the real name in RFC 5987 form. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function messagesRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/message-threads',
    {
      schema: {
        tags: ['messages'],
        summary: 'My message threads (with my mentor, with my mentees) and how many messages are unread',
        response: { 200: MessageThreadListSchema, ...errors },
      },
    },
    async (request) => listMyThreads(ctx, requireUser(request)),
  );

  app.get(
    '/api/pairings/:pairingId/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'A pairing’s message thread (its student, and its current mentor, whose read is logged)',
        params: PairingParams,
        querystring: z.object({
          before: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(100),
        }),
        response: { 200: MessageThreadSchema, ...errors },
      },
    },
    async (request) =>
      getThread(ctx, requireUser(request), request.params.pairingId, {
        beforeSeq: request.query.before ?? null,
        limit: request.query.limit,
      }),
  );

  app.post(
    '/api/pairings/:pairingId/messages/read',
    {
      schema: {
        tags: ['messages'],
        summary: 'Mark the thread read up to a message (the marker never moves back)',
        params: PairingParams,
        body: MarkThreadReadSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await markThreadRead(ctx, requireUser(request), request.params.pairingId, request.body.upToSeq);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/message-attachments/:attachmentId',
    {
      schema: {
        tags: ['messages'],
        summary: 'Download a message’s file (the thread’s student and current mentor; the mentor’s download is logged)',
        params: z.object({ attachmentId: z.uuid() }),
        produces: ['application/octet-stream'],
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await downloadAttachment(ctx, requireUser(request), request.params.attachmentId);
      return (reply as FastifyReply)
        .header('content-type', file.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );

  app.get(
    '/api/programs/:programId/responsiveness',
    {
      schema: {
        tags: ['messages'],
        summary: 'The program’s answer limits and its unresponsive pairings: names and dates, never messages',
        params: z.object({ programId: z.uuid() }),
        response: { 200: ProgramResponsivenessSchema, ...errors },
      },
    },
    async (request) => getProgramResponsiveness(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/responsiveness',
    {
      schema: {
        tags: ['messages'],
        summary: 'Set after how many working days a mentor is reminded and the student is offered another mentor',
        params: z.object({ programId: z.uuid() }),
        body: z.object({ settings: ResponsivenessSettingsSchema }),
        response: { 200: ProgramResponsivenessSchema, ...errors },
      },
    },
    async (request) =>
      updateProgramResponsiveness(ctx, requireUser(request), request.params.programId, request.body.settings),
  );

  // Sending, with multipart parsing registered for this route alone.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      throwFileSizeLimit: true,
      limits: { fileSize: ctx.config.MESSAGE_ATTACHMENT_MAX_BYTES, files: 1 },
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/pairings/:pairingId/messages',
      {
        schema: {
          tags: ['messages'],
          summary: 'Send a message (JSON, or multipart/form-data with fields body, clientKey and file attachment)',
          description: `Attachments: PDF, PNG, JPEG, Word (.docx) or plain text, checked by content; at most ${megabytes(ctx.config.MESSAGE_ATTACHMENT_MAX_BYTES)}. The same clientKey sent again stores nothing new.`,
          consumes: ['application/json', 'multipart/form-data'],
          params: PairingParams,
          response: { 200: SentSchema, 201: SentSchema, ...errors },
        },
      },
      async (request, reply) => {
        const actor = requireUser(request);
        const incoming = await readIncoming(request, ctx.config.MESSAGE_ATTACHMENT_MAX_BYTES);
        const sent = await sendMessage(ctx, actor, request.params.pairingId, incoming);
        return reply.code(sent.created ? 201 : 200).send({ id: sent.id, seq: sent.seq });
      },
    );
  });
}
