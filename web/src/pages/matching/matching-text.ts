/** The words the matching pages use for the API's keys, in one place. */
import { MENTOR_TOPICS, type MatchingMode, type MatchingRound } from '../../../../common/matching.ts';

const TOPIC_LABELS = new Map<string, string>(MENTOR_TOPICS.map((topic) => [topic.key, topic.label]));
export const MENTOR_TOPIC_KEYS = new Set<string>(MENTOR_TOPICS.map((topic) => topic.key));

/** The usual topics are stored by key ("first-generation"); others read as they were written. */
export const topicLabel = (topic: string): string => TOPIC_LABELS.get(topic) ?? topic;

export const MODE_TEXT: Record<MatchingMode, { label: string; explanation: string }> = {
  optimal: {
    label: 'Optimal',
    explanation: 'The highest total compatibility across all students, proved optimal.',
  },
  balanced: {
    label: 'Balanced load',
    explanation: 'Nearly as high a total, but spreads mentees so no mentor is loaded far beyond the others.',
  },
  maximin: {
    label: 'Raise the worst match first',
    explanation: 'Makes the lowest score as high as it can be, then the best total above it.',
  },
  stable: {
    label: 'Stable',
    explanation: 'No student and mentor would both rather have each other than the pair they got.',
  },
};

export const STATUS_TEXT: Record<MatchingRound['status'], { label: string; badge: string }> = {
  draft: { label: 'Draft', badge: 'badge-muted' },
  proposed: { label: 'Proposed', badge: 'badge-attention' },
  published: { label: 'Published', badge: 'badge-positive' },
  cancelled: { label: 'Cancelled', badge: 'badge-muted' },
};

export type WeightKey = 'specialty' | 'topics' | 'language' | 'campus' | 'preference';

export const WEIGHT_TEXT: { key: WeightKey; label: string; explanation: string }[] = [
  {
    key: 'specialty',
    label: 'Specialty',
    explanation: 'How many of the student’s interests are among the mentor’s specialties.',
  },
  {
    key: 'topics',
    label: 'Life and career topics',
    explanation: 'How many of the topics the student wants help with the mentor speaks to.',
  },
  {
    key: 'language',
    label: 'Language',
    explanation: 'Whether they share a language other than the common languages below.',
  },
  { key: 'campus', label: 'Campus', explanation: 'Whether they are on the same campus.' },
  {
    key: 'preference',
    label: 'Student’s ranking',
    explanation: 'How high the student ranked the mentor among their preferred mentors.',
  },
];

/** Scores run from 0 to 1000; a whole match of everything the student asked for is 1000. */
export const SCORE_MAX = 1000;

/** The ten score bins of the summary's histogram, as they read on the chart and in its table. */
export const HISTOGRAM_BINS = Array.from({ length: 10 }, (_, i) =>
  i === 9 ? '900–1000' : `${i * 100}–${i * 100 + 99}`,
);
