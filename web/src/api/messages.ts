/**
 * Messages between a student and their mentor, the program's responsiveness limits, and the
 * choice of message text in emails. Every response is parsed with the shared schemas in
 * common/messages.ts, the ones the server's routes answer with.
 */
import { z } from 'zod';
import {
  MessageTextChoiceSchema,
  MessageThreadListSchema,
  MessageThreadSchema,
  ProgramResponsivenessSchema,
  type MessageThread,
  type MessageThreadList,
  type ProgramResponsiveness,
  type ResponsivenessSettings,
} from '../../../common/messages.ts';
import { parse, request, withQuery } from './client.ts';

export async function fetchMessageThreads(signal?: AbortSignal): Promise<MessageThreadList> {
  const path = '/api/me/message-threads';
  return parse(MessageThreadListSchema, await request(path, { signal }), path);
}

export async function fetchMessageThread(
  pairingId: string,
  options: { before?: number | undefined; signal?: AbortSignal } = {},
): Promise<MessageThread> {
  const path = withQuery(`/api/pairings/${encodeURIComponent(pairingId)}/messages`, { before: options.before });
  return parse(MessageThreadSchema, await request(path, { signal: options.signal }), path);
}

const SentSchema = z.object({ id: z.uuid(), seq: z.number().int() });

/** Sends a message; with a file it goes as multipart/form-data. `clientKey` is made once per message. */
export async function sendMessage(
  pairingId: string,
  message: { body: string; clientKey: string; file: File | null },
): Promise<{ id: string; seq: number }> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/messages`;
  if (message.file) {
    const form = new FormData();
    form.set('body', message.body);
    form.set('clientKey', message.clientKey);
    form.set('attachment', message.file, message.file.name);
    return parse(SentSchema, await request(path, { method: 'POST', formData: form }), path);
  }
  return parse(
    SentSchema,
    await request(path, { method: 'POST', body: { body: message.body, clientKey: message.clientKey } }),
    path,
  );
}

export async function markThreadRead(pairingId: string, upToSeq: number): Promise<void> {
  await request(`/api/pairings/${encodeURIComponent(pairingId)}/messages/read`, {
    method: 'POST',
    body: { upToSeq },
  });
}

/** Where a message's file downloads from (a plain link: the browser sends the session cookie). */
export const attachmentUrl = (attachmentId: string) => `/api/message-attachments/${encodeURIComponent(attachmentId)}`;

export async function fetchProgramResponsiveness(
  programId: string,
  signal?: AbortSignal,
): Promise<ProgramResponsiveness> {
  const path = `/api/programs/${encodeURIComponent(programId)}/responsiveness`;
  return parse(ProgramResponsivenessSchema, await request(path, { signal }), path);
}

export async function saveProgramResponsiveness(
  programId: string,
  settings: ResponsivenessSettings,
): Promise<ProgramResponsiveness> {
  const path = `/api/programs/${encodeURIComponent(programId)}/responsiveness`;
  return parse(ProgramResponsivenessSchema, await request(path, { method: 'PUT', body: { settings } }), path);
}

export async function fetchMessageTextChoice(signal?: AbortSignal): Promise<boolean> {
  const path = '/api/me/notification-preferences/message-text';
  return parse(MessageTextChoiceSchema, await request(path, { signal }), path).includeMessageText;
}

export async function saveMessageTextChoice(includeMessageText: boolean): Promise<boolean> {
  const path = '/api/me/notification-preferences/message-text';
  return parse(MessageTextChoiceSchema, await request(path, { method: 'PUT', body: { includeMessageText } }), path)
    .includeMessageText;
}
