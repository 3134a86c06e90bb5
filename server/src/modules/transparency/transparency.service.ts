/**
 * "What my mentor sees": the student's own view of what their mentors see of them and of
 * everything about them that went beyond the mentor. Nothing here is mentoring content the
 * student did not write or receive; a mentor's private notes never appear.
 */
import { RECORD_CATEGORIES } from '../../../../common/records.ts';
import type { BeyondMentorNotice, WhatMyMentorSees } from '../../../../common/transparency.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { listMyAlerts } from '../early-warning/alerts.service.ts';
import { getMySharing } from '../records/records.service.ts';
import { escalationNoticesForStudent } from '../safety/safety.transparency.ts';
import * as repo from './transparency.repository.ts';

/** What a source of notices is handed: the database and the clock (a delayed notice shows from its time). */
export type NoticeContext = Pick<AppContext, 'db' | 'clock'>;

/** Lists the notices about one student that one area sent beyond the mentor. */
export type BeyondMentorNoticeSource = (ctx: NoticeContext, studentId: string) => Promise<BeyondMentorNotice[]>;

const DIRECTOR = 'Program director';

/** Directors told that an early-warning alert was waiting: that one was waiting, never what it said. */
async function alertWaitingNotices(ctx: NoticeContext, studentId: string): Promise<BeyondMentorNotice[]> {
  const rows = await repo.directorAlertNotices(ctx.db, studentId);
  const byAlert = new Map<string, BeyondMentorNotice>();
  for (const row of rows) {
    let notice = byAlert.get(row.id);
    if (!notice) {
      notice = {
        id: `alert_waiting:${row.id}`,
        kind: 'alert_waiting',
        occurredAt: row.director_notified_at!.toISOString(),
        programName: row.program_name,
        summary:
          'An early-warning alert about you waited without your mentor acknowledging it, so the program director was told that an alert was waiting. They were not told what it said.',
        status: row.state === 'resolved' ? 'alert resolved' : 'alert open',
        recipients: [],
      };
      byAlert.set(row.id, notice);
    }
    if (row.recipient_name !== null) notice.recipients.push({ role: DIRECTOR, name: row.recipient_name });
  }
  return [...byAlert.values()];
}

/** The firewall's flags: a mentor who came to assess the student, put in the director's conflict queue. */
async function conflictFlagNotices(ctx: NoticeContext, studentId: string): Promise<BeyondMentorNotice[]> {
  const rows = await repo.conflictFlags(ctx.db, studentId);
  const directors = await repo.programDirectors(ctx.db, [...new Set(rows.map((r) => r.program_id))]);
  return rows.map((row) => ({
    id: `conflict_flag:${row.id}`,
    kind: 'conflict_flag' as const,
    occurredAt: row.detected_at.toISOString(),
    programName: row.program_name,
    summary: `Your mentor came to assess you, so the pairing was flagged to the program director to be changed. What was flagged: ${row.reason}.`,
    status: row.status === 'open' ? 'waiting for the director' : 'resolved',
    recipients: directors.filter((d) => d.program_id === row.program_id).map((d) => ({ role: DIRECTOR, name: d.name })),
  }));
}

/** A mentor's request to end the pairing: the student sees that it was made and to whom, not the reason. */
async function mentorEndRequestNotices(ctx: NoticeContext, studentId: string): Promise<BeyondMentorNotice[]> {
  const rows = await repo.mentorEndRequests(ctx.db, studentId);
  const directors = await repo.programDirectors(ctx.db, [...new Set(rows.map((r) => r.program_id))]);
  const states: Record<string, string> = {
    open: 'waiting for the director',
    rematched: 'you have a new mentor',
    withdrawn: 'withdrawn by your mentor',
    closed: 'the pairing ended',
  };
  return rows.map((row) => ({
    id: `mentor_end_request:${row.id}`,
    kind: 'mentor_end_request' as const,
    occurredAt: row.created_at.toISOString(),
    programName: row.program_name,
    summary: `${row.mentor_name} asked the program director to end your pairing and gave the director a reason. Nobody else was told.`,
    status: states[row.state] ?? row.state,
    recipients: directors.filter((d) => d.program_id === row.program_id).map((d) => ({ role: DIRECTOR, name: d.name })),
  }));
}

/**
 * THE MERGE POINT: every area that tells someone other than the mentor about a student adds its
 * source here, so the student's page lists it (safety escalations come from modules/safety).
 */
export const BEYOND_MENTOR_NOTICE_SOURCES: BeyondMentorNoticeSource[] = [
  alertWaitingNotices,
  conflictFlagNotices,
  mentorEndRequestNotices,
  escalationNoticesForStudent,
];

/** Every notice about the student that went beyond the mentor, newest first. */
export async function listBeyondMentorNotices(ctx: NoticeContext, studentId: string): Promise<BeyondMentorNotice[]> {
  const lists = await Promise.all(BEYOND_MENTOR_NOTICE_SOURCES.map((source) => source(ctx, studentId)));
  return lists
    .flat()
    .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.id < b.id ? -1 : 1));
}

/**
 * The student's "what my mentor sees" page: the categories each current mentor sees today (as the
 * records module decides them, consent dates included), every alert about them with its state, and
 * every notice that went beyond the mentor. The student's own data: nothing is written to the
 * access log, which records who else looked.
 */
export async function getWhatMyMentorSees(ctx: AppContext, actor: Actor | null): Promise<WhatMyMentorSees> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.read_transparency', { studentId });
  const [sharing, alerts, notices] = await Promise.all([
    getMySharing(ctx, actor),
    listMyAlerts(ctx, actor),
    listBeyondMentorNotices(ctx, studentId),
  ]);
  const pairings = new Map<string, { mentorName: string; programName: string }>();
  for (const category of sharing.categories) {
    for (const m of category.mentors)
      pairings.set(m.pairingId, { mentorName: m.mentorName, programName: m.programName });
  }
  return {
    mentors: [...pairings].map(([pairingId, p]) => ({
      pairingId,
      mentorName: p.mentorName,
      programName: p.programName,
      sharedCategories: RECORD_CATEGORIES.filter((category) =>
        sharing.categories.some(
          (c) => c.category === category && c.mentors.some((m) => m.pairingId === pairingId && m.visible),
        ),
      ),
    })),
    alerts: alerts.map((a) => ({
      id: a.id,
      programName: a.programName,
      rule: a.rule,
      reason: a.reason,
      state: a.state,
      raisedAt: a.raisedAt,
      acknowledgedAt: a.acknowledgedAt,
      resolvedAt: a.resolvedAt,
      mentorName: a.mentorName,
      directorNotifiedAt: a.directorNotifiedAt,
      contacts: a.contacts,
    })),
    notices,
  };
}
