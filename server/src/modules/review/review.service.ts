/**
 * The mentor's review of a pairing's records, themes pinned to the development plan, and a
 * program's edits to the theme lexicon.
 *
 * Records are read only through `listPairingRecords` (records module): consent is decided there
 * on every read and the mentor's read is written to the student's access log there. What the
 * student does not share today is absent from every part of the review.
 */
import { RECORD_CATEGORIES, type StudentRecord } from '../../../../common/records.ts';
import type { PairingReview, PinThemeResult, ProgramLexicon, ThemePin } from '../../../../common/review.ts';
import { COMPETENCY_DOMAIN_LABELS, type Lexicon, type NarrativeTags } from '../../../../common/themes.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { localDate } from '../meetings/cadence.service.ts';
import { listPairingMeetings } from '../meetings/meetings.service.ts';
import { addProgressNote, createGoal } from '../plans/plans.service.ts';
import { listPairingRecords } from '../records/records.service.ts';
import {
  compileLexicon,
  getDefaultCompiledLexicon,
  mergeLexicon,
  type CompiledLexicon,
  type LexiconIssue,
} from '../themes/lexicon.ts';
import { tagNarrative } from '../themes/tag-narrative.ts';
import { countThemesOverTime } from '../themes/theme-counts.ts';
import * as repo from './review.repository.ts';
import {
  buildExamSeries,
  buildGradeTrend,
  buildThemes,
  supportingSentences,
  type TaggedRecord,
} from './review.trends.ts';

// ── the program's lexicon ──────────────────────────────────────────────────────────────────────

interface ResolvedLexicon {
  edits: unknown;
  lexicon: Lexicon;
  compiled: CompiledLexicon;
  problems: LexiconIssue[];
}

/** Compiled lexicons by their edits' JSON: a changed edit is a new key, so it applies on the next read. */
const compiledByEdits = new Map<string, CompiledLexicon>();
const MAX_CACHED_LEXICONS = 32;

function compiledFor(editsJson: string, lexicon: Lexicon): CompiledLexicon {
  let compiled = compiledByEdits.get(editsJson);
  if (!compiled) {
    compiled = compileLexicon(lexicon);
    if (compiledByEdits.size >= MAX_CACHED_LEXICONS) compiledByEdits.delete(compiledByEdits.keys().next().value!);
    compiledByEdits.set(editsJson, compiled);
  }
  return compiled;
}

/**
 * The lexicon the program's reviews tag with: its stored edits over the default. Edits the current
 * default no longer accepts are reported, and the default is used until they are fixed.
 */
async function resolveLexicon(
  db: repo.Db,
  programId: string,
): Promise<ResolvedLexicon & { row: Awaited<ReturnType<typeof repo.findProgramLexicon>> }> {
  const row = await repo.findProgramLexicon(db, programId);
  const edits = row?.edits ?? {};
  const editsJson = JSON.stringify(edits);
  if (editsJson === '{}') {
    const compiled = getDefaultCompiledLexicon();
    return { row, edits, lexicon: compiled.lexicon, compiled, problems: [] };
  }
  const merged = mergeLexicon(edits);
  if (!merged.ok) {
    const compiled = getDefaultCompiledLexicon();
    return { row, edits, lexicon: compiled.lexicon, compiled, problems: merged.issues };
  }
  return { row, edits, lexicon: merged.lexicon, compiled: compiledFor(editsJson, merged.lexicon), problems: [] };
}

function mapProgramLexicon(programId: string, resolved: Awaited<ReturnType<typeof resolveLexicon>>): ProgramLexicon {
  return {
    programId,
    edits: resolved.edits as ProgramLexicon['edits'],
    lexicon: resolved.lexicon,
    updatedAt: resolved.row?.updated_at.toISOString() ?? null,
    updatedBy: resolved.row?.updated_by_name ?? null,
    problems: resolved.problems,
  };
}

/** The program's lexicon edits and the lexicon they make (the program's director). */
export async function getProgramLexicon(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.manage_lexicon', { programId });
  return mapProgramLexicon(programId, await resolveLexicon(ctx.db, programId));
}

/**
 * Replaces the program's lexicon edits. They are checked against the default lexicon first; every
 * problem names its field under `edits` (e.g. `edits.themes.2.domain`) and nothing is saved. The
 * next review of any of the program's pairings tags with the new lexicon.
 */
export async function updateProgramLexicon(ctx: AppContext, actor: Actor | null, programId: string, edits: unknown) {
  await authorize(ctx, actor, 'program.manage_lexicon', { programId });
  const merged = mergeLexicon(edits);
  if (!merged.ok) {
    const issues = merged.issues.map((issue) => ({ field: `edits.${issue.field}`, message: issue.message }));
    throw new AppError('validation_failed', `${issues[0]!.field}: ${issues[0]!.message}`, {
      field: issues[0]!.field,
      details: issues,
    });
  }
  await repo.saveProgramLexicon(ctx.db, {
    programId,
    edits,
    by: (actor as Extract<Actor, { kind: 'user' }>).userId,
    at: ctx.clock.now(),
  });
  return getProgramLexicon(ctx, actor, programId);
}

// ── the review ─────────────────────────────────────────────────────────────────────────────────

function tagNarratives(records: readonly StudentRecord[], compiled: CompiledLexicon): TaggedRecord[] {
  // Each narrative is tagged once per request; everything below reads these tags.
  return records
    .filter((r) => r.category === 'narrative' && r.body !== null)
    .map((record) => ({ record, tags: tagNarrative(record.body!, compiled) as NarrativeTags }));
}

function mapPin(row: repo.PinRow): ThemePin {
  return {
    themeKey: row.theme_key,
    goalId: row.goal_id,
    goalTitle: row.goal_title,
    pinnedAt: row.pinned_at.toISOString(),
    pinnedBy: row.pinned_by_name,
    sentenceCount: Number(row.sentence_count ?? 0),
  };
}

/** What both the review and a pin start from: the records the mentor may see, tagged. */
async function readPairing(ctx: AppContext, actor: Actor | null, pairingId: string) {
  await authorize(ctx, actor, 'pairing.review', { pairingId });
  const pairing = await repo.loadPairing(ctx.db, pairingId);
  const view = await listPairingRecords(ctx, actor, pairingId);
  const resolved = await resolveLexicon(ctx.db, pairing.program_id);
  const narratives = view.sharedCategories.includes('narrative') ? tagNarratives(view.records, resolved.compiled) : [];
  return { pairing, view, resolved, narratives };
}

/**
 * The review of one pairing, for its mentor and its student (who sees exactly what the mentor
 * sees): the shared records since the last completed meeting, grade and exam trends, and the
 * themes that recur across the shared narratives with their supporting sentences. Built from the
 * categories the student shares today; the others are named as hidden and nothing more.
 */
export async function getPairingReview(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  options: { by: 'month' | 'phase' },
): Promise<PairingReview> {
  const { pairing, view, narratives } = await readPairing(ctx, actor, pairingId);
  const [meetings, pins] = await Promise.all([
    listPairingMeetings(ctx, actor, pairingId),
    repo.listPins(ctx.db, pairing.student_id),
  ]);
  const now = ctx.clock.now();
  const last = meetings
    .filter((m) => m.status === 'completed' && m.starts_at <= now)
    .sort((a, b) => b.starts_at.getTime() - a.starts_at.getTime())[0];
  const lastMeeting = last
    ? { id: last.id, startsAt: last.starts_at.toISOString(), on: localDate(last.starts_at, pairing.time_zone) }
    : null;
  const shared = new Set(view.sharedCategories);
  const timeline = countThemesOverTime(
    narratives.map((n) => ({ occurredOn: n.record.occurredOn, phase: n.record.phase, tags: n.tags })),
    options.by,
  );
  return {
    pairingId,
    programId: pairing.program_id,
    student: view.student,
    mentorName: pairing.mentor_name,
    viewer: actor?.kind === 'user' && actor.userId === pairing.student_id ? 'student' : 'mentor',
    sharedCategories: view.sharedCategories,
    hiddenCategories: RECORD_CATEGORIES.filter((c) => !shared.has(c)),
    lastMeeting,
    recordsSinceLastMeeting: lastMeeting ? view.records.filter((r) => r.occurredOn >= lastMeeting.on) : view.records,
    grades: shared.has('grade') ? buildGradeTrend(view.records) : null,
    exams: shared.has('exam') ? buildExamSeries(view.records) : null,
    themes: shared.has('narrative')
      ? buildThemes(timeline, narratives, new Map(pins.map((p) => [p.theme_key, mapPin(p)])))
      : null,
  };
}

function describeTheme(
  label: string,
  domainLabel: string,
  sentences: ReturnType<typeof supportingSentences>,
  narratives: number,
): string {
  if (narratives === 0) return `Theme “${label}” (${domainLabel}), pinned from the records review.`;
  const concerns = sentences.filter((s) => s.polarity === 'concern' || s.polarity === 'mixed').length;
  const strengths = sentences.filter((s) => s.polarity === 'strength' || s.polarity === 'mixed').length;
  const dates = sentences.map((s) => s.occurredOn).sort();
  return (
    `Theme “${label}” (${domainLabel}), pinned from the records review: mentioned in ${narratives} ` +
    `narrative evaluation${narratives === 1 ? '' : 's'} between ${dates[0]} and ${dates.at(-1)} ` +
    `(${strengths} sentence${strengths === 1 ? '' : 's'} read as a strength, ${concerns} as a concern).`
  );
}

/**
 * Pins a theme to the student's development plan: a new goal in the theme's competency domain, or
 * (with `goalId`) one of the student's goals, which gets a progress note saying so. The supporting
 * sentences are kept by reference to their records. Pinning a theme that is already pinned makes
 * nothing new (`created: false`) and only adds references to sentences that came in since; asking
 * to pin it to a different goal is a conflict.
 */
export async function pinTheme(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  themeKey: string,
  input: { goalId?: string | undefined },
): Promise<PinThemeResult> {
  const { pairing, resolved, narratives } = await readPairing(ctx, actor, pairingId);
  const theme = resolved.compiled.themeLabels.get(themeKey);
  if (!theme) {
    throw new AppError('not_found', `There is no theme “${themeKey}” in the program’s lexicon`, { field: 'themeKey' });
  }
  const sentences = supportingSentences(narratives, themeKey);
  const narrativeCount = new Set(sentences.map((s) => s.recordId)).size;
  const userId = (actor as Extract<Actor, { kind: 'user' }>).userId;
  const studentId = pairing.student_id;

  const created = await ctx.db.transaction().execute(async (trx) => {
    const inTrx: AppContext = { ...ctx, db: trx };
    await repo.lockStudentPins(trx, studentId);
    const existing = await repo.findPin(trx, studentId, themeKey);
    if (existing) {
      if (input.goalId !== undefined && input.goalId !== existing.goal_id) {
        throw new AppError('conflict', `This theme is already pinned to the goal “${existing.goal_title}”`, {
          field: 'goalId',
          details: { goalId: existing.goal_id },
        });
      }
      await repo.addPinSentences(trx, existing.id, sentences);
      return false;
    }
    const domainLabel = COMPETENCY_DOMAIN_LABELS[theme.domain];
    const description = describeTheme(theme.label, domainLabel, sentences, narrativeCount);
    let goalId: string;
    if (input.goalId !== undefined) {
      if (!(await repo.isGoalOfStudent(trx, input.goalId, studentId))) {
        throw new AppError('validation_failed', 'That goal is not one of this student’s', { field: 'goalId' });
      }
      goalId = input.goalId;
      await addProgressNote(inTrx, actor, goalId, { body: description });
    } else {
      goalId = (await createGoal(inTrx, actor, studentId, { domain: theme.domain, title: theme.label, description }))
        .id;
    }
    const pinId = await repo.insertPin(trx, {
      studentId,
      pairingId,
      themeKey,
      domain: theme.domain,
      goalId,
      createdGoal: input.goalId === undefined,
      by: userId,
      at: ctx.clock.now(),
    });
    await repo.addPinSentences(trx, pinId!, sentences);
    return true;
  });
  const pin = await repo.findPin(ctx.db, studentId, themeKey);
  return { created, pin: mapPin(pin!) };
}
