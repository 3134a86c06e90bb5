import {
  EXPIRING_SOON_DAYS,
  type MentorReadiness,
  type MyReadiness,
  type NewReadinessCompletion,
  type NewReadinessRequirement,
  type ProgramReadiness,
  type ReadinessCompletionResult,
  type ReadinessItem,
  type ReadinessRequirement,
  type ReadinessRequirementUpdate,
  type SignAgreement,
} from '../../../../common/readiness.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './readiness.repository.ts';
import type { Db, ReadinessItemRow } from './readiness.repository.ts';

/** YYYY-MM-DD plus whole days, on the calendar (no time zone involved). */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function toItem(row: ReadinessItemRow, today: string): ReadinessItem {
  return {
    requirementId: row.requirement_id,
    name: row.name,
    kind: row.kind,
    required: row.required,
    status: row.status,
    completedOn: row.completed_on,
    expiresOn: row.expires_on,
    signedVersion: row.signed_version,
    description: row.description,
    expiringSoon:
      row.status === 'ready' && row.expires_on !== null && row.expires_on <= addDays(today, EXPIRING_SOON_DAYS),
  };
}

/** What keeps a mentor from being ready: the required items not ready, in the words the database uses. */
const problemsOf = (rows: readonly ReadinessItemRow[]) =>
  rows.filter((r) => r.required && r.status !== 'ready').map((r) => r.description);

function groupByMentor(rows: readonly ReadinessItemRow[]): Map<string, ReadinessItemRow[]> {
  const byMentor = new Map<string, ReadinessItemRow[]>();
  for (const row of rows) {
    const list = byMentor.get(row.mentor_id);
    if (list) list.push(row);
    else byMentor.set(row.mentor_id, [row]);
  }
  return byMentor;
}

/** The sentence a refusal carries; the pairing trigger writes the same one. */
export const notReadyMessage = (mentorName: string, problems: readonly string[]) =>
  `${mentorName} is not ready to mentor: ${problems.join('; ')}`;

/**
 * Of these mentors, those not ready for the program at the instant `at`, each with the sentence
 * that says why ("Dana Reyes is not ready to mentor: Student privacy (FERPA) expired on
 * 2026-09-01"). Empty when the program requires nothing. Pairing and matching call this.
 */
export async function findUnreadyMentors(
  db: Db,
  programId: string,
  mentorIds: readonly string[],
  at: Date,
): Promise<Map<string, string>> {
  const unready = new Map<string, string>();
  if (mentorIds.length === 0 || !(await repo.programHasRequirements(db, programId))) return unready;
  const byMentor = groupByMentor(await repo.readinessItems(db, programId, mentorIds, at));
  const gaps = [...byMentor].map(([id, rows]) => [id, problemsOf(rows)] as const).filter(([, p]) => p.length > 0);
  if (gaps.length === 0) return unready;
  const names = new Map(
    (
      await repo.mentorNames(
        db,
        gaps.map(([id]) => id),
      )
    ).map((n) => [n.id, n.name]),
  );
  for (const [id, problems] of gaps) unready.set(id, notReadyMessage(names.get(id) ?? 'This mentor', problems));
  return unready;
}

/** Why this mentor may not be paired in the program now, or null when they are ready. */
export async function mentorReadinessProblem(
  db: Db,
  programId: string,
  mentorId: string,
  at: Date,
): Promise<string | null> {
  return (await findUnreadyMentors(db, programId, [mentorId], at)).get(mentorId) ?? null;
}

function toRequirement(row: Awaited<ReturnType<typeof repo.listRequirements>>[number]): ReadinessRequirement {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    required: row.required,
    validityMonths: row.validity_months,
    agreementText: row.agreement_text,
    agreementVersion: row.agreement_version,
    updatedAt: row.updated_at.toISOString(),
  };
}

async function mentorsReadiness(
  db: Db,
  programId: string,
  at: Date,
  today: string,
  mentors: Awaited<ReturnType<typeof repo.programMentors>>,
): Promise<MentorReadiness[]> {
  const byMentor = groupByMentor(
    await repo.readinessItems(
      db,
      programId,
      mentors.map((m) => m.id),
      at,
    ),
  );
  return mentors.map((m) => {
    const rows = byMentor.get(m.id) ?? [];
    const problems = problemsOf(rows);
    return {
      mentor: { id: m.id, name: m.name, email: m.email },
      ready: problems.length === 0,
      problems,
      items: rows.map((r) => toItem(r, today)),
      activeMentees: m.active_mentees,
    };
  });
}

/**
 * The program's readiness list for its director: the requirements, and every mentor with what
 * is missing, expired or expiring soon, computed on the school's date today. Not-ready mentors first.
 */
export async function getProgramReadiness(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ProgramReadiness> {
  await authorize(ctx, actor, 'readiness.manage', { programId });
  const now = ctx.clock.now();
  const [program, requirements, mentors, today] = await Promise.all([
    ctx.db.selectFrom('programs').select(['id', 'name']).where('id', '=', programId).executeTakeFirstOrThrow(),
    repo.listRequirements(ctx.db, programId),
    repo.programMentors(ctx.db, programId),
    repo.localDate(ctx.db, programId, now),
  ]);
  const list = await mentorsReadiness(ctx.db, programId, now, today, mentors);
  list.sort((a, b) => Number(a.ready) - Number(b.ready));
  return {
    programId: program.id,
    programName: program.name,
    today,
    requirements: requirements.map(toRequirement),
    mentors: list,
    counts: {
      mentors: list.length,
      ready: list.filter((m) => m.ready).length,
      notReady: list.filter((m) => !m.ready).length,
      expiringSoon: list.filter((m) => m.ready && m.items.some((i) => i.required && i.expiringSoon)).length,
    },
  };
}

function uniqueViolation(error: unknown, index: string): boolean {
  const pg = (typeof error === 'object' && error !== null ? error : {}) as { code?: string; constraint?: string };
  return pg.code === '23505' && pg.constraint === index;
}

function requirementWriteError(error: unknown): AppError | null {
  if (uniqueViolation(error, 'readiness_requirements_name_key')) {
    return new AppError('conflict', 'The program already has a requirement with this name', { field: 'name' });
  }
  if (uniqueViolation(error, 'readiness_requirements_one_agreement')) {
    return new AppError('conflict', 'The program already has a confidentiality agreement; edit that one', {
      field: 'kind',
    });
  }
  return null;
}

/** Adds a requirement to the program (a training module, or the one confidentiality agreement). */
export async function createRequirement(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: NewReadinessRequirement,
): Promise<ProgramReadiness> {
  await authorize(ctx, actor, 'readiness.manage', { programId });
  try {
    await repo.insertRequirement(ctx.db, {
      programId,
      kind: input.kind,
      name: input.name,
      required: input.required,
      validityMonths: input.validityMonths,
      agreementText: input.kind === 'agreement' ? (input.agreementText ?? null) : null,
      createdBy: actor!.kind === 'user' ? actor!.userId : null,
      now: ctx.clock.now(),
    });
  } catch (error) {
    throw requirementWriteError(error) ?? error;
  }
  return getProgramReadiness(ctx, actor, programId);
}

/**
 * Changes a requirement's name, whether it is required and its validity; for the agreement, a
 * changed text makes a new version, and mentors must sign it again before they count as ready.
 */
export async function updateRequirement(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  requirementId: string,
  input: ReadinessRequirementUpdate,
): Promise<ProgramReadiness> {
  await authorize(ctx, actor, 'readiness.manage', { programId });
  await ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('readiness_requirements')
      .selectAll()
      .where('id', '=', requirementId)
      .where('program_id', '=', programId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('not_found', 'Requirement was not found');
    let agreementText: string | null = null;
    let agreementVersion: number | null = null;
    if (current.kind === 'agreement') {
      if (!input.agreementText) {
        throw new AppError('validation_failed', 'Write the text mentors read and sign', { field: 'agreementText' });
      }
      agreementText = input.agreementText;
      agreementVersion =
        input.agreementText === current.agreement_text
          ? current.agreement_version
          : (current.agreement_version ?? 0) + 1;
    } else if (input.agreementText) {
      throw new AppError('validation_failed', 'Only an agreement has a text to sign', { field: 'agreementText' });
    }
    try {
      await repo.updateRequirement(trx, requirementId, {
        name: input.name,
        required: input.required,
        validityMonths: input.validityMonths,
        agreementText,
        agreementVersion,
        now: ctx.clock.now(),
      });
    } catch (error) {
      throw requirementWriteError(error) ?? error;
    }
  });
  return getProgramReadiness(ctx, actor, programId);
}

async function oneMentorReadiness(ctx: AppContext, programId: string, mentorId: string): Promise<MentorReadiness> {
  const now = ctx.clock.now();
  const mentors = (await repo.programMentors(ctx.db, programId)).filter((m) => m.id === mentorId);
  const today = await repo.localDate(ctx.db, programId, now);
  const [mentor] = await mentorsReadiness(ctx.db, programId, now, today, mentors);
  if (!mentor) throw new AppError('not_found', 'This person is not a mentor of this program', { field: 'mentorId' });
  return mentor;
}

/**
 * The director records that a mentor completed a requirement on a date (the expiry computed from
 * the requirement's validity unless given). The same entry again changes nothing.
 */
export async function recordCompletion(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: NewReadinessCompletion,
): Promise<ReadinessCompletionResult> {
  await authorize(ctx, actor, 'readiness.manage', { programId });
  const now = ctx.clock.now();
  const [requirement, mentor, today] = await Promise.all([
    repo.findRequirement(ctx.db, programId, input.requirementId),
    repo.isProgramMentor(ctx.db, programId, input.mentorId),
    repo.localDate(ctx.db, programId, now),
  ]);
  if (!requirement) {
    throw new AppError('validation_failed', 'Choose one of this program’s requirements', { field: 'requirementId' });
  }
  if (!mentor) throw new AppError('validation_failed', 'Choose a mentor of this program', { field: 'mentorId' });
  if (input.completedOn > today) {
    throw new AppError('validation_failed', `The completion date can’t be after today (${today})`, {
      field: 'completedOn',
    });
  }
  const outcome = await ctx.db.transaction().execute((trx) =>
    repo.upsertCompletion(trx, {
      requirementId: requirement.id,
      mentorId: input.mentorId,
      completedOn: input.completedOn,
      expiresOn: input.expiresOn ?? null,
      agreementVersion: requirement.agreement_version,
      source: 'director',
      recordedBy: actor!.kind === 'user' ? actor!.userId : null,
      now,
    }),
  );
  return { outcome, mentor: await oneMentorReadiness(ctx, programId, input.mentorId) };
}

/** The signed-in mentor's readiness in each program they mentor in, with the agreement text to sign. */
export async function getMyReadiness(ctx: AppContext, actor: Extract<Actor, { kind: 'user' }>): Promise<MyReadiness> {
  const now = ctx.clock.now();
  const programs = await repo.programsMentoredBy(ctx.db, actor.userId);
  const result: MyReadiness['programs'] = [];
  for (const program of programs) {
    const [rows, today, agreement] = await Promise.all([
      repo.readinessItems(ctx.db, program.id, [actor.userId], now),
      repo.localDate(ctx.db, program.id, now),
      repo.findAgreement(ctx.db, program.id),
    ]);
    const problems = problemsOf(rows);
    const agreementItem = agreement ? rows.find((r) => r.requirement_id === agreement.id) : undefined;
    result.push({
      programId: program.id,
      programName: program.name,
      ready: problems.length === 0,
      problems,
      items: rows.map((r) => toItem(r, today)),
      agreement: agreement
        ? {
            requirementId: agreement.id,
            name: agreement.name,
            text: agreement.agreement_text ?? '',
            version: agreement.agreement_version ?? 1,
            signedOn:
              agreementItem && agreementItem.status !== 'outdated' && agreementItem.signed_version !== null
                ? agreementItem.completed_on
                : null,
          }
        : null,
    });
  }
  return { programs: result };
}

/**
 * The mentor signs the program's confidentiality agreement in the app: the date (the school's
 * today) and the version they read are stored. A text changed since they opened it is refused, so
 * nobody signs what they did not read; signing twice changes nothing.
 */
export async function signAgreement(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: SignAgreement,
): Promise<MyReadiness> {
  await authorize(ctx, actor, 'readiness.sign_agreement', { programId });
  const user = actor as Extract<Actor, { kind: 'user' }>;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const agreement = await trx
      .selectFrom('readiness_requirements')
      .selectAll()
      .where('program_id', '=', programId)
      .where('kind', '=', 'agreement')
      .forShare()
      .executeTakeFirst();
    if (!agreement) throw new AppError('not_found', 'This program has no confidentiality agreement to sign');
    if (agreement.agreement_version !== input.version) {
      throw new AppError(
        'conflict',
        `The agreement changed while you were reading it (now version ${agreement.agreement_version}); read it again before signing`,
        { field: 'version' },
      );
    }
    await repo.upsertCompletion(trx, {
      requirementId: agreement.id,
      mentorId: user.userId,
      completedOn: await repo.localDate(trx, programId, now),
      expiresOn: null,
      agreementVersion: agreement.agreement_version,
      source: 'signed',
      recordedBy: user.userId,
      now,
    });
  });
  return getMyReadiness(ctx, user);
}

/**
 * Reminds mentors about their required items, each notice once (its dedupe key names the item
 * and its expiry date): 30 days before a completion expires, when it has expired (they keep their
 * mentees but get no new ones and see no records until they renew), and when the program's
 * agreement has a new version to sign. Stale events (more than 30 days past) are not announced.
 */
export async function sendReadinessReminders(ctx: AppContext, signal?: AbortSignal): Promise<number> {
  const now = ctx.clock.now();
  const rows = await repo.itemsOfAllMentors(ctx.db, now);
  const todayOf = new Map<string, string>();
  let sent = 0;
  for (const row of rows) {
    if (signal?.aborted) break;
    if (!row.required) continue;
    let today = todayOf.get(row.program_id);
    if (today === undefined) {
      today = await repo.localDate(ctx.db, row.program_id, now);
      todayOf.set(row.program_id, today);
    }
    const notice = reminderFor(row, today);
    if (!notice) continue;
    const created = await ctx.db.transaction().execute((trx) =>
      notify(trx, ctx, {
        userId: row.mentor_id,
        kind: 'training_expiring',
        title: notice.title,
        body: notice.body,
        link: '/readiness',
        dedupeKey: notice.dedupeKey,
      }),
    );
    if (created) sent++;
  }
  return sent;
}

function reminderFor(row: repo.ReminderRow, today: string): { title: string; body: string; dedupeKey: string } | null {
  const where = `for the ${row.program_name}`;
  if (row.status === 'ready' && row.expires_on !== null) {
    if (today < addDays(row.expires_on, -EXPIRING_SOON_DAYS)) return null;
    return {
      title: `Your ${row.name} ${where} expires on ${row.expires_on}`,
      body: 'Renew it before then: until you do, you can’t be given new mentees or see your mentees’ records.',
      dedupeKey: `training-expiring:${row.requirement_id}:${row.expires_on}:soon`,
    };
  }
  if (row.status === 'expired' && row.expires_on !== null) {
    if (today >= addDays(row.expires_on, EXPIRING_SOON_DAYS)) return null;
    return {
      title: `Your ${row.name} ${where} expired on ${row.expires_on}`,
      body: 'You keep your current mentees. Until you renew it you can’t be given new mentees or see their records.',
      dedupeKey: `training-expiring:${row.requirement_id}:${row.expires_on}:expired`,
    };
  }
  if (row.status === 'outdated') {
    return {
      title: `The ${row.program_name} has a new version of its ${row.name} for you to sign`,
      body: 'Read and sign it in medmentor; until you do, you can’t be given new mentees or see their records.',
      dedupeKey: `training-expiring:${row.requirement_id}:version-${row.current_version}`,
    };
  }
  return null;
}
