/**
 * The private thread of a pairing: its student and its current (non-assessing) mentor write to
 * each other, with a file now and then. Messages are mentoring content: the policy decides every
 * read and write, and every read by the mentor is in the student's access log.
 */
import type { Message, MessageThread, MessageThreadList } from '../../../../common/messages.ts';
import type { AppContext } from '../../context.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import { notify, wantsMessageTextByEmail } from '../notifications/notifications.service.ts';
import { checkAttachment } from './attachment-check.ts';
import * as repo from './messages.repository.ts';
import { evaluatePairingResponsiveness } from './responsiveness.service.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

async function threadPairing(ctx: AppContext, pairingId: string) {
  const pairing = await repo.findThreadPairing(ctx.db, pairingId);
  if (!pairing) throw notFound('Pairing');
  return pairing;
}

const sideOf = (pairing: repo.ThreadPairing, userId: string): 'student' | 'mentor' =>
  pairing.student_id === userId ? 'student' : 'mentor';

function mapMessage(row: repo.MessageRow, pairing: repo.ThreadPairing, readerId: string): Message {
  return {
    id: row.id,
    seq: Number(row.seq),
    side: row.sender_side,
    senderName: row.sender_side === 'student' ? pairing.student_name : pairing.mentor_name,
    mine: row.sender_id === readerId,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    attachment:
      row.attachment_id && row.file_name && row.content_type && row.size_bytes !== null
        ? { id: row.attachment_id, fileName: row.file_name, contentType: row.content_type, sizeBytes: row.size_bytes }
        : null,
  };
}

/**
 * The thread as its reader sees it: the newest messages (or those before `beforeSeq`), what is
 * new since the reader last looked, and who owes a reply. Opening it does not mark it read; the
 * page does that once the messages are on screen. The mentor's read goes to the access log
 * first: if it cannot be written, nothing is read.
 */
export async function getThread(
  ctx: AppContext,
  actor: UserActor,
  pairingId: string,
  options: { beforeSeq: number | null; limit: number },
): Promise<MessageThread> {
  await authorize(ctx, actor, 'pairing.read_messages', { pairingId });
  const pairing = await threadPairing(ctx, pairingId);
  const mySide = sideOf(pairing, actor.userId);
  if (mySide === 'mentor') {
    await recordAccess(
      ctx.db,
      actor,
      {
        studentId: pairing.student_id,
        resource: 'messages',
        resourceId: pairingId,
        reason: 'mentor opened the message thread',
      },
      ctx.clock.now(),
    );
  }
  const [rows, lastReadSeq, threads, changeOffered] = await Promise.all([
    repo.listMessages(ctx.db, pairingId, options),
    repo.readMarker(ctx.db, pairingId, actor.userId),
    repo.listThreadsOf(ctx.db, actor.userId),
    mySide === 'student' ? repo.hasOpenUnresponsivePeriod(ctx.db, pairingId) : Promise.resolve(false),
  ]);
  const hasEarlier = rows.length > options.limit;
  const page = rows.slice(0, options.limit).reverse();
  const summary = threads.find((t) => t.pairing_id === pairingId);
  return {
    pairingId,
    pairingStatus: pairing.status,
    mySide,
    counterpart: {
      name: mySide === 'student' ? pairing.mentor_name : pairing.student_name,
      side: mySide === 'student' ? 'mentor' : 'student',
    },
    programName: pairing.program_name,
    canSend: pairing.status === 'active',
    lastReadSeq,
    unread: summary?.unread ?? 0,
    awaitingMyReply: summary?.last_side != null && summary.last_side !== mySide,
    awaitingTheirReply: summary?.last_side === mySide,
    mentorChangeOffered: changeOffered,
    hasEarlier,
    attachmentMaxBytes: ctx.config.MESSAGE_ATTACHMENT_MAX_BYTES,
    messages: page.map((row) => mapMessage(row, pairing, actor.userId)),
  };
}

/** The reader has seen the thread up to `upToSeq` (at most its newest message); the marker never moves back. */
export async function markThreadRead(
  ctx: AppContext,
  actor: UserActor,
  pairingId: string,
  upToSeq: number,
): Promise<void> {
  await authorize(ctx, actor, 'pairing.read_messages', { pairingId });
  const latest = await repo.latestSeq(ctx.db, pairingId);
  await repo.advanceReadMarker(ctx.db, pairingId, actor.userId, Math.min(upToSeq, latest), ctx.clock.now());
}

/** Every thread of the person (their mentees' and their mentor's), with unread counts. */
export async function listMyThreads(ctx: AppContext, actor: UserActor): Promise<MessageThreadList> {
  const rows = await repo.listThreadsOf(ctx.db, actor.userId);
  return {
    unread: rows.reduce((sum, row) => sum + row.unread, 0),
    threads: rows.map((row) => ({
      pairingId: row.pairing_id,
      pairingStatus: row.status,
      mySide: row.my_side,
      counterpartName: row.counterpart_name,
      programName: row.program_name,
      unread: row.unread,
      awaitingMyReply: row.last_side !== null && row.last_side !== row.my_side,
      lastMessageAt: row.last_at ? row.last_at.toISOString() : null,
    })),
  };
}

export interface IncomingMessage {
  body: string;
  clientKey: string;
  attachment: { fileName: string; bytes: Uint8Array } | null;
}

/**
 * Sends a message in an active pairing. The file is checked by its content before anything is
 * written; a refused file stores nothing. Sending again with the same `clientKey` stores nothing
 * new and answers with the first message. The other side hears of it once per unread stretch;
 * the email carries the text only if they asked for that.
 */
export async function sendMessage(
  ctx: AppContext,
  actor: UserActor,
  pairingId: string,
  input: IncomingMessage,
): Promise<{ id: string; seq: number; created: boolean }> {
  await authorize(ctx, actor, 'pairing.send_message', { pairingId });
  const pairing = await threadPairing(ctx, pairingId);
  const side = sideOf(pairing, actor.userId);
  const body = input.body.replace(/\r\n/g, '\n');
  if (body.trim().length === 0 && !input.attachment) throw invalid('body', 'Write a message or attach a file');

  const again = await repo.findMessageByClientKey(ctx.db, pairingId, actor.userId, input.clientKey);
  if (again) return { id: again.id, seq: Number(again.seq), created: false };

  const file = input.attachment ? await checkAttachment(input.attachment.fileName, input.attachment.bytes) : null;
  if (file && !file.ok) throw new AppError('unprocessable', file.reason, { field: 'attachment' });

  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertMessage(trx, {
      pairingId,
      senderId: actor.userId,
      side,
      body,
      hasAttachment: file !== null,
      clientKey: input.clientKey,
      at: now,
    });
    if (!inserted) {
      // The same message, sent twice at once: the other request stored it.
      const first = await repo.findMessageByClientKey(trx, pairingId, actor.userId, input.clientKey);
      return { id: first!.id, seq: Number(first!.seq), created: false };
    }
    const seq = Number(inserted.seq);
    if (file?.ok) {
      await repo.insertAttachment(trx, {
        messageId: inserted.id,
        fileName: file.fileName,
        contentType: file.contentType,
        sha256: file.sha256,
        content: input.attachment!.bytes,
      });
    }
    // Whoever writes has seen the thread up to their own message.
    await repo.advanceReadMarker(trx, pairingId, actor.userId, seq, now);

    const recipientId = side === 'student' ? pairing.mentor_id : pairing.student_id;
    const senderName = side === 'student' ? pairing.student_name : pairing.mentor_name;
    const recipientMarker = await repo.readMarker(trx, pairingId, recipientId);
    const firstUnread = await repo.firstUnreadFrom(trx, pairingId, side, recipientMarker);
    const withText = await wantsMessageTextByEmail(trx, recipientId);
    const fileLine = file?.ok ? `\n\nAttached: ${file.fileName}` : '';
    await notify(trx, ctx, {
      userId: recipientId,
      kind: 'message_received',
      title: `${senderName} sent you a message`,
      body: 'Open the conversation in medmentor to read it and reply.',
      ...(withText ? { emailBody: `${senderName} wrote:\n\n${body.trim()}${fileLine}` } : {}),
      link: `/messages/${pairingId}`,
      dedupeKey: `message-received:${firstUnread?.id ?? inserted.id}`,
    });
    // A mentor's answer ends the student's wait at once, not at the next sweep.
    if (side === 'mentor') await evaluatePairingResponsiveness(trx, ctx, pairingId);
    return { id: inserted.id, seq, created: true };
  });
}

/** A message's file, for the thread's student and current mentor; the mentor's download is logged. */
export async function downloadAttachment(ctx: AppContext, actor: UserActor, attachmentId: string) {
  const attachment = await repo.findAttachment(ctx.db, attachmentId);
  if (!attachment) throw notFound('Attachment');
  await authorize(ctx, actor, 'pairing.read_messages', { pairingId: attachment.pairing_id });
  const pairing = await threadPairing(ctx, attachment.pairing_id);
  if (actor.userId !== pairing.student_id) {
    await recordAccess(
      ctx.db,
      actor,
      {
        studentId: pairing.student_id,
        resource: 'message attachment',
        resourceId: attachment.id,
        reason: 'mentor downloaded a file from the message thread',
      },
      ctx.clock.now(),
    );
  }
  return {
    fileName: attachment.file_name,
    contentType: attachment.content_type,
    content: Buffer.from(attachment.content),
  };
}

/**
 * The messages the person wrote as a mentor, in the threads the policy still lets them read (their
 * active pairings), for their own data export. Only their own words are read, nothing of the
 * student's, so nothing goes to the student's access log; a thread of an ended pairing is the
 * student's alone (pairing.read_messages) and is not in it.
 */
export async function listMessagesWrittenAsMentor(
  ctx: AppContext,
  actor: UserActor,
): Promise<{ pairingId: string; programName: string; menteeName: string; messages: Message[] }[]> {
  const threads = (await repo.listThreadsOf(ctx.db, actor.userId)).filter((t) => t.my_side === 'mentor');
  const written = [];
  for (const thread of threads) {
    if (!(await can(ctx, actor, 'pairing.read_messages', { pairingId: thread.pairing_id }))) continue;
    const pairing = await threadPairing(ctx, thread.pairing_id);
    const rows = await repo.listMessagesBySender(ctx.db, thread.pairing_id, actor.userId);
    written.push({
      pairingId: thread.pairing_id,
      programName: pairing.program_name,
      menteeName: pairing.student_name,
      messages: rows.map((row) => mapMessage(row, pairing, actor.userId)),
    });
  }
  return written;
}
