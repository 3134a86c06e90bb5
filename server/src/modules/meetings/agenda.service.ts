import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface AgendaTemplateView {
  id: string;
  phaseId: string | null;
  phaseName: string | null;
  topics: { title: string; required: boolean; coversPlan: boolean }[];
}

/** The program's agenda templates: one per phase, and a default for phases without one. */
export async function listAgendaTemplates(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<AgendaTemplateView[]> {
  await authorize(ctx, actor, 'program.read', { programId });
  const templates = await ctx.db
    .selectFrom('agenda_templates')
    .leftJoin('phases', 'phases.id', 'agenda_templates.phase_id')
    .select(['agenda_templates.id', 'agenda_templates.phase_id', 'phases.name as phase_name'])
    .where('agenda_templates.program_id', '=', programId)
    .orderBy('phases.ordinal')
    .execute();
  const topics = templates.length
    ? await ctx.db
        .selectFrom('agenda_topics')
        .selectAll()
        .where(
          'template_id',
          'in',
          templates.map((t) => t.id),
        )
        .orderBy('ordinal')
        .execute()
    : [];
  return templates.map((t) => ({
    id: t.id,
    phaseId: t.phase_id,
    phaseName: t.phase_name,
    topics: topics
      .filter((topic) => topic.template_id === t.id)
      .map((topic) => ({ title: topic.title, required: topic.required, coversPlan: topic.covers_plan })),
  }));
}

/** Replaces the template of one phase (or the default); meetings already proposed keep their agenda. */
export async function setAgendaTemplate(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: { phaseId: string | null; topics: { title: string; required: boolean; coversPlan: boolean }[] },
) {
  await authorize(ctx, actor, 'program.manage', { programId });
  const titles = input.topics.map((t) => t.title.trim().toLowerCase());
  if (new Set(titles).size !== titles.length)
    throw new AppError('validation_failed', 'Each topic must appear once', { field: 'topics' });
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('agenda_templates')
      .select('id')
      .where('program_id', '=', programId)
      .where((eb) => (input.phaseId ? eb('phase_id', '=', input.phaseId) : eb('phase_id', 'is', null)))
      .forUpdate()
      .executeTakeFirst();
    const templateId =
      existing?.id ??
      (
        await trx
          .insertInto('agenda_templates')
          .values({ program_id: programId, phase_id: input.phaseId, updated_at: ctx.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await trx.deleteFrom('agenda_topics').where('template_id', '=', templateId).execute();
    if (input.topics.length > 0) {
      await trx
        .insertInto('agenda_topics')
        .values(
          input.topics.map((topic, ordinal) => ({
            template_id: templateId,
            title: topic.title.trim(),
            required: topic.required,
            covers_plan: topic.coversPlan,
            ordinal,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('agenda_templates')
      .set({ updated_at: ctx.clock.now() })
      .where('id', '=', templateId)
      .execute();
  });
  return listAgendaTemplates(ctx, actor, programId);
}

/** Gives a new meeting the agenda of the template for the student's phase (or the program's default). */
export async function copyAgendaTemplate(db: Db, meetingId: string, pairingId: string): Promise<void> {
  const pairing = await db
    .selectFrom('pairings')
    .innerJoin('students', 'students.user_id', 'pairings.student_id')
    .select(['pairings.program_id', 'students.phase_id'])
    .where('pairings.id', '=', pairingId)
    .executeTakeFirstOrThrow();
  const templates = await db
    .selectFrom('agenda_templates')
    .select(['id', 'phase_id'])
    .where('program_id', '=', pairing.program_id)
    .execute();
  const template =
    templates.find((t) => t.phase_id !== null && t.phase_id === pairing.phase_id) ??
    templates.find((t) => t.phase_id === null);
  if (!template) return;
  const topics = await db
    .selectFrom('agenda_topics')
    .select(['title', 'required', 'ordinal', 'covers_plan'])
    .where('template_id', '=', template.id)
    .orderBy('ordinal')
    .execute();
  if (topics.length === 0) return;
  await db
    .insertInto('meeting_agenda_items')
    .values(
      topics.map((t) => ({
        meeting_id: meetingId,
        title: t.title,
        required: t.required,
        source: 'template' as const,
        ordinal: t.ordinal,
        covers_plan: t.covers_plan,
      })),
    )
    .execute();
}

export function listAgendaItems(db: Db, meetingId: string) {
  return db
    .selectFrom('meeting_agenda_items')
    .select(['id', 'title', 'required', 'source', 'covered', 'covers_plan as coversPlan'])
    .where('meeting_id', '=', meetingId)
    .orderBy('ordinal')
    .execute();
}

async function meetingPairing(db: Db, meetingId: string) {
  const meeting = await db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .select(['meetings.pairing_id', 'pairings.student_id'])
    .where('meetings.id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'Meeting was not found');
  return meeting;
}

/** Adds an item of one's own to a meeting's agenda: what the student wants to ask, what the mentor wants to raise. */
export async function addAgendaItem(ctx: AppContext, actor: Actor | null, meetingId: string, title: string) {
  const meeting = await meetingPairing(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.write_content', { pairingId: meeting.pairing_id });
  const userId = (actor as Extract<Actor, { kind: 'user' }>).userId;
  return ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('meeting_agenda_items')
      .select((eb) => eb.fn.max('ordinal').as('max'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return trx
      .insertInto('meeting_agenda_items')
      .values({
        meeting_id: meetingId,
        title: title.trim(),
        source: userId === meeting.student_id ? 'student' : 'mentor',
        ordinal: Number(last?.max ?? -1) + 1,
        added_by: userId,
        created_at: ctx.clock.now(),
      })
      .returning(['id', 'title', 'required', 'source', 'covered', 'covers_plan as coversPlan'])
      .executeTakeFirstOrThrow();
  });
}

/** Marks an agenda item covered (or not) in the meeting. */
export async function setAgendaItemCovered(ctx: AppContext, actor: Actor | null, itemId: string, covered: boolean) {
  const item = await ctx.db
    .selectFrom('meeting_agenda_items')
    .select('meeting_id')
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw new AppError('not_found', 'Agenda item was not found');
  const meeting = await meetingPairing(ctx.db, item.meeting_id);
  await authorize(ctx, actor, 'pairing.write_content', { pairingId: meeting.pairing_id });
  return ctx.db
    .updateTable('meeting_agenda_items')
    .set({ covered })
    .where('id', '=', itemId)
    .returning(['id', 'title', 'required', 'source', 'covered', 'covers_plan as coversPlan'])
    .executeTakeFirstOrThrow();
}
