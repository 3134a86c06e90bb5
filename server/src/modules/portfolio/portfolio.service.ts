/**
 * The signed-in mentor's portfolio for a promotion dossier: mentees by academic year, meetings and
 * hours, program agenda topics covered, and mentee feedback. Counts only: no student's name, no
 * meeting text (portfolio.ts), so reading it writes nothing to any student's access log.
 */
import type { Portfolio } from '../../../../common/compensation.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { localDate } from '../compensation/ledger.ts';
import { myResults, mySurveys } from '../surveys/surveys.service.ts';
import { displayName } from '../tenancy/tenancy.mappers.ts';
import { portfolioFigures } from './portfolio.ts';
import { renderPortfolioPdf } from './portfolio.pdf.ts';

const NO_FEEDBACK =
  'No feedback yet: mentee survey results appear here only as aggregates of enough responses to keep every answer anonymous.';

/**
 * Mentee surveys about this mentor, through the surveys module's own threshold-respecting results:
 * a survey with too few responses (or still open) is listed as withheld. Only the Likert means and
 * counts go into a dossier; free-text answers stay in the app.
 */
async function menteeFeedback(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
): Promise<Portfolio['feedback']> {
  const { aboutMe } = await mySurveys(ctx, actor);
  const surveys: Portfolio['feedback']['surveys'] = [];
  for (const survey of aboutMe) {
    const { result } = await myResults(ctx, actor, survey.surveyId);
    surveys.push({
      title: survey.title,
      programName: survey.programName,
      closesOn: survey.closesOn,
      responses: result.status === 'available' ? result.responses : null,
      withheld: result.status === 'withheld' ? result.reason : null,
      items:
        result.status === 'available'
          ? result.items.flatMap((item) =>
              item.kind === 'likert'
                ? [{ prompt: item.prompt, mean: item.mean, answers: item.counts.reduce((a, b) => a + b, 0) }]
                : [],
            )
          : [],
    });
  }
  const available = surveys.some((s) => s.withheld === null);
  return {
    available,
    note: available
      ? 'Mean answers on a scale of 1 to 5, from anonymous mentee surveys with enough responses to protect anonymity.'
      : NO_FEEDBACK,
    surveys,
  };
}

/** The mentor's own portfolio figures. */
export async function getMyPortfolio(ctx: AppContext, actor: Actor | null): Promise<Portfolio> {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  await authorize(ctx, actor, 'portfolio.read_own', { institutionId: actor.institutionId });
  if (actor.kind !== 'user') throw new AppError('forbidden', 'This route is for signed-in users, not API tokens');
  const mentor = await ctx.db
    .selectFrom('users')
    .innerJoin('institutions', 'institutions.id', 'users.institution_id')
    .leftJoin('faculty', 'faculty.user_id', 'users.id')
    .select([
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
      'faculty.department',
      'institutions.name as institution_name',
      'institutions.time_zone',
    ])
    .where('users.id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const pairings = await ctx.db
    .selectFrom('pairings')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .select([
      'pairings.id',
      'pairings.student_id',
      'pairings.starts_on',
      'pairings.ends_on',
      'pairings.ended_at',
      'programs.name as program_name',
    ])
    .where('pairings.mentor_id', '=', actor.userId)
    .execute();
  const pairingIds = pairings.map((p) => p.id);
  const meetings =
    pairingIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('meetings')
          .select(['id', 'starts_at', 'actual_minutes', 'duration_minutes'])
          .where('pairing_id', 'in', pairingIds)
          .where('status', '=', 'completed')
          .execute();
  const meetingIds = meetings.map((m) => m.id);
  // Only whether an item was covered and, for the program's own topics, its title: never the
  // titles students or mentors wrote themselves.
  const topics =
    meetingIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('meeting_agenda_items')
          .select(['meeting_id', 'source', 'title'])
          .where('meeting_id', 'in', meetingIds)
          .where('covered', '=', true)
          .execute();
  const today = localDate(ctx.clock.now(), mentor.time_zone);
  const figures = portfolioFigures({
    today,
    pairings: pairings.map((p) => {
      const endedOn = p.ended_at ? localDate(p.ended_at, mentor.time_zone) : null;
      return {
        studentId: p.student_id,
        startsOn: p.starts_on,
        lastDayOn: [p.ends_on, endedOn].filter((d): d is string => d !== null).sort()[0] ?? null,
      };
    }),
    meetings: meetings.map((m) => ({
      on: localDate(m.starts_at, mentor.time_zone),
      minutes: m.actual_minutes ?? m.duration_minutes,
      coveredTopics: topics
        .filter((t) => t.meeting_id === m.id)
        .map((t) => ({ title: t.source === 'template' ? t.title : '', fromTemplate: t.source === 'template' })),
    })),
  });
  return {
    mentorName: displayName(mentor),
    department: mentor.department,
    institutionName: mentor.institution_name,
    programs: [...new Set(pairings.map((p) => p.program_name))].sort(),
    generatedOn: today,
    ...figures,
    feedback: await menteeFeedback(ctx, actor),
  };
}

/** The mentor's own portfolio as a PDF. */
export async function getMyPortfolioPdf(ctx: AppContext, actor: Actor | null) {
  const portfolio = await getMyPortfolio(ctx, actor);
  const pdf = await renderPortfolioPdf(portfolio);
  const slug = portfolio.mentorName
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-|-$/g, '');
  return { fileName: `mentoring-portfolio-${slug || 'mentor'}.pdf`, pdf };
}
