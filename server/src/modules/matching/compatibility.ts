import { MAX_COMPATIBILITY, type AllowedPair } from './matching.types.ts';

/** What a mentor offers. Free-text labels; matching is case- and space-insensitive. */
export interface MentorProfile {
  readonly id: string;
  readonly specialties: readonly string[];
  /** Topics they will speak to: see MENTOR_TOPIC_LABELS for the usual ones. */
  readonly topics: readonly string[];
  readonly languages: readonly string[];
  readonly campus?: string | null;
}

/** What a student asks for. */
export interface StudentProfile {
  readonly id: string;
  readonly interests: readonly string[];
  readonly topicsWanted: readonly string[];
  readonly languages: readonly string[];
  readonly campus?: string | null;
  /** Mentor ids, most wanted first. */
  readonly preferences?: readonly string[];
}

/** Integer weights a program sets per attribute; 0 turns an attribute off. */
export interface CompatibilityWeights {
  readonly specialty: number;
  readonly topics: number;
  readonly language: number;
  readonly campus: number;
  readonly preference: number;
}

export const DEFAULT_COMPATIBILITY_WEIGHTS: CompatibilityWeights = {
  specialty: 4,
  topics: 3,
  language: 1,
  campus: 1,
  preference: 3,
};

export interface CompatibilityOptions {
  readonly weights: CompatibilityWeights;
  /**
   * Languages everyone shares (the language of instruction): sharing one of these says nothing
   * about fit, so it earns no points and no reason.
   */
  readonly commonLanguages?: readonly string[];
}

/** How the usual topic keys read in a reason; other topics read as written. */
export const MENTOR_TOPIC_LABELS: Readonly<Record<string, string>> = {
  'parenting-in-training': 'parenting in training',
  'first-generation': 'first-generation experience',
  'dual-physician-couple': 'dual-physician couples',
  'research-vs-clinical': 'research vs clinical careers',
  'specialty-choice': 'specialty choice',
  finances: 'finances',
  wellness: 'wellness',
};

export interface Compatibility {
  /** 0..MAX_COMPATIBILITY. */
  readonly score: number;
  /** Why, in words a student or director can read, strongest first. */
  readonly reasons: readonly string[];
}

/**
 * Scores one student–mentor pair. Each attribute contributes a fraction in [0, 1] times its
 * program weight; the sum over the total weight is scaled to 0..1000 and rounded, so a pair that
 * satisfies everything a student asked for scores exactly 1000 whatever the weights are.
 * Fractions, not counts, so a student with many interests is not favoured over one with few:
 * - specialty: share of the student's interests among the mentor's specialties;
 * - topics: share of the student's wanted topics the mentor speaks to;
 * - language: 1 if they share a language outside `commonLanguages`;
 * - campus: 1 on the same campus;
 * - preference: (P − r) / P for the student's r-th (0-based) of P ranked mentors.
 * An attribute the student did not fill in scores 0 for every mentor, so it reorders nobody.
 * Deterministic: same profiles and weights, same score and reasons.
 */
export function scoreCompatibility(
  student: StudentProfile,
  mentor: MentorProfile,
  options: CompatibilityOptions,
): Compatibility {
  const { weights } = options;
  const totalWeight = weights.specialty + weights.topics + weights.language + weights.campus + weights.preference;
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isSafeInteger(weight) || weight < 0) throw new RangeError(`Weight ${name} must be an integer ≥ 0`);
  }
  if (totalWeight === 0) return { score: 0, reasons: [] };

  const reasons: { weight: number; text: string }[] = [];
  let weighted = 0;

  const sharedInterests = intersect(student.interests, mentor.specialties);
  if (student.interests.length > 0) {
    weighted += (weights.specialty * sharedInterests.length) / distinct(student.interests).size;
  }
  if (weights.specialty > 0) {
    for (const interest of sharedInterests)
      reasons.push({ weight: weights.specialty, text: `both: interest in ${interest}` });
  }

  const sharedTopics = intersect(student.topicsWanted, mentor.topics);
  if (student.topicsWanted.length > 0) {
    weighted += (weights.topics * sharedTopics.length) / distinct(student.topicsWanted).size;
  }
  if (weights.topics > 0) {
    for (const topic of sharedTopics) {
      reasons.push({
        weight: weights.topics,
        text: `mentor speaks to ${MENTOR_TOPIC_LABELS[normalize(topic)] ?? topic}`,
      });
    }
  }

  const common = distinct(options.commonLanguages ?? []);
  const sharedLanguages = intersect(student.languages, mentor.languages).filter((l) => !common.has(normalize(l)));
  if (sharedLanguages.length > 0) weighted += weights.language;
  if (weights.language > 0) {
    for (const language of sharedLanguages)
      reasons.push({ weight: weights.language, text: `shared language: ${language}` });
  }

  const sameCampus =
    student.campus != null && mentor.campus != null && normalize(student.campus) === normalize(mentor.campus);
  if (sameCampus) {
    weighted += weights.campus;
    if (weights.campus > 0) reasons.push({ weight: weights.campus, text: 'same campus' });
  }

  const ranked = student.preferences ?? [];
  const rank = ranked.indexOf(mentor.id);
  if (rank >= 0) {
    weighted += (weights.preference * (ranked.length - rank)) / ranked.length;
    if (weights.preference > 0)
      reasons.push({ weight: weights.preference, text: `mentee ranked this mentor #${rank + 1}` });
  }

  const score = Math.min(MAX_COMPATIBILITY, Math.round((MAX_COMPATIBILITY * weighted) / totalWeight));
  // Stable order: heavier attributes first, then alphabetical.
  reasons.sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { score, reasons: reasons.map((r) => r.text) };
}

function normalize(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, ' ');
}

function distinct(labels: readonly string[]): Set<string> {
  return new Set(labels.map(normalize));
}

/** The student's labels (as the student wrote them, deduplicated) that the mentor also lists. */
function intersect(wanted: readonly string[], offered: readonly string[]): string[] {
  const offer = distinct(offered);
  const seen = new Set<string>();
  const shared: string[] = [];
  for (const label of wanted) {
    const key = normalize(label);
    if (offer.has(key) && !seen.has(key)) {
      seen.add(key);
      shared.push(label.trim());
    }
  }
  return shared;
}

/**
 * Scores every allowed pair, for building a `MatchingInput`. `isAllowed` is where the firewall
 * and program exclusions come in: a forbidden pair is never scored, so it never exists.
 */
export function scoreAllowedPairs(
  students: readonly StudentProfile[],
  mentors: readonly MentorProfile[],
  options: CompatibilityOptions,
  isAllowed: (studentId: string, mentorId: string) => boolean,
): AllowedPair[] {
  const pairs: AllowedPair[] = [];
  for (const student of students) {
    for (const mentor of mentors) {
      if (!isAllowed(student.id, mentor.id)) continue;
      pairs.push({
        studentId: student.id,
        mentorId: mentor.id,
        score: scoreCompatibility(student, mentor, options).score,
      });
    }
  }
  return pairs;
}
