/**
 * The accreditation report (LCME-style) as data: program description, participation, meeting
 * frequency per term, compliance by cohort and phase, the twelve-month trend and student
 * satisfaction aggregates. Built from the same facts as the dashboard; aggregates and program
 * facts only, no student's name and no mentoring content. The PDF and CSV render this one shape.
 */
import { counts } from '../meetings/cadence.ts';
import { median, previousTerm, termOf, type Term } from './compliance.ts';
import { summarize, trendsOf, countResults, type ProgramFacts } from './compliance.service.ts';
import { evaluateCompliance } from './compliance.ts';

export const TERMS_IN_REPORT = 3;

export interface TermFrequency {
  term: Term;
  /** The day the term was measured to: its last day, or today for the current term. */
  measuredTo: string;
  students: number;
  meetings: number;
  meanPerStudent: number | null;
  medianPerStudent: number | null;
  percentOnCadence: number | null;
}

export interface SatisfactionItem {
  question: string;
  responses: number;
  /** Mean on the survey's scale, or null when the survey withheld it. */
  mean: number | null;
  scale: string;
}

export interface Satisfaction {
  /** Shown when there is nothing to report: no survey yet, or too few answers to protect anonymity. */
  note: string | null;
  items: SatisfactionItem[];
}

export const NO_SURVEY_RESULTS = 'No survey results yet';

export function buildAccreditationReport(facts: ProgramFacts, satisfaction: Satisfaction, generatedAt: Date) {
  const summary = summarize(facts);
  const terms: TermFrequency[] = [];
  let term = termOf(facts.today);
  for (let i = 0; i < TERMS_IN_REPORT; i++) {
    const measuredTo = term.endsOn < facts.today ? term.endsOn : facts.today;
    const inTerm = facts.students.filter((s) => s.history.countsFrom <= measuredTo);
    const perStudent = inTerm.map(
      (s) =>
        s.history.pairings
          .flatMap((p) => p.meetings)
          .filter((m) => m.on >= term.startsOn && m.on <= measuredTo)
          .filter((m) => (s.rule ? counts(m, s.rule) : m.status === 'completed')).length,
    );
    const total = perStudent.reduce((a, b) => a + b, 0);
    const atEnd = countResults(
      inTerm.map((s) => evaluateCompliance({ day: measuredTo, rule: s.rule, history: s.history })),
    );
    terms.push({
      term,
      measuredTo,
      students: inTerm.length,
      meetings: total,
      meanPerStudent: inTerm.length === 0 ? null : Math.round((total / inTerm.length) * 10) / 10,
      medianPerStudent: median(perStudent),
      percentOnCadence: atEnd.percentOnCadence,
    });
    term = previousTerm(term);
  }
  return {
    program: {
      name: facts.program.name,
      institution: facts.program.institution_name,
      description: facts.program.description.trim(),
      cohorts: facts.cohorts.map((c) => c.name),
    },
    generatedAt,
    asOf: facts.today,
    summary,
    terms,
    trends: trendsOf(facts),
    satisfaction,
  };
}

export type AccreditationReport = ReturnType<typeof buildAccreditationReport>;
