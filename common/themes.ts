/**
 * Recurring themes in narrative evaluations: the lexicon a program can edit (competency domains →
 * themes → cue phrases with weights, plus the words that tell a strength from a concern), the
 * program's edits over the default, and the tags found in a narrative. Shared by the server's
 * route schemas and the web client so the two can't drift apart.
 *
 * A cue phrase is words separated by spaces, matched in order against the narrative's words by
 * their lemma or their lower-cased form ("manage time" matches "managing time"). A word ending in
 * `*` matches any word starting with it ("organi*" matches "organised" and "organization"); a lone
 * `*` matches any one word ("manage * time" matches "manage her time"). Hyphens are ignored, so
 * "follow-up" and "follow up" are the same cue.
 */
import { z } from 'zod';

/** The six ACGME-style competency domains, plus personal and career development. */
export const COMPETENCY_DOMAINS = [
  'patient_care',
  'medical_knowledge',
  'interpersonal_communication',
  'professionalism',
  'practice_based_learning',
  'systems_based_practice',
  'personal_career',
] as const;
export const CompetencyDomainSchema = z.enum(COMPETENCY_DOMAINS);
export type CompetencyDomain = z.infer<typeof CompetencyDomainSchema>;

export const COMPETENCY_DOMAIN_LABELS: Record<CompetencyDomain, string> = {
  patient_care: 'Patient care',
  medical_knowledge: 'Medical knowledge',
  interpersonal_communication: 'Interpersonal and communication skills',
  professionalism: 'Professionalism',
  practice_based_learning: 'Practice-based learning and improvement',
  systems_based_practice: 'Systems-based practice',
  personal_career: 'Personal and career development',
};

export const POLARITIES = ['strength', 'concern'] as const;
export const PolaritySchema = z.enum(POLARITIES);
export type Polarity = z.infer<typeof PolaritySchema>;

/** How a tag reads overall: strengths only, concerns only, both, or neither told. */
export const TAG_POLARITIES = ['strength', 'concern', 'mixed', 'neutral'] as const;
export const TagPolaritySchema = z.enum(TAG_POLARITIES);
export type TagPolarity = z.infer<typeof TagPolaritySchema>;

/** Lower-case, single spaces: two phrases that differ only in case or spacing are the same cue. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().toLowerCase().replace(/\s+/g, ' ');
}

function phraseProblem(phrase: string): string | null {
  const words = normalizePhrase(phrase).split(' ');
  if (words[0] === '*' || words.at(-1) === '*') return 'must not start or end with a lone *';
  if (words.every((w) => w === '*')) return 'needs at least one word';
  for (const word of words) {
    if (word === '*') continue;
    if (word.slice(0, -1).includes('*')) return `"${word}": * may only end a word`;
    if (word.endsWith('*') && word.length < 3)
      return `"${word}": a word ending in * needs at least 2 letters before it`;
  }
  return null;
}

export const CuePhraseSchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .superRefine((phrase, ctx) => {
    const problem = phraseProblem(phrase);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const CueSchema = z.object({
  phrase: CuePhraseSchema,
  /** How much one occurrence counts towards the threshold (a weak cue needs company). */
  weight: z.number().min(0.1).max(5).default(1),
  /** Set when the cue itself says strength or concern ("punctual", "tardy"). */
  polarity: PolaritySchema.optional(),
});
export type Cue = z.infer<typeof CueSchema>;
export type CueInput = z.input<typeof CueSchema>;

export const PolarityCueSchema = z.object({
  phrase: CuePhraseSchema,
  weight: z.number().min(0.1).max(5).default(1),
});
export type PolarityCue = z.infer<typeof PolarityCueSchema>;

export const ThemeKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2–40 lower-case letters, digits or hyphens, starting with a letter');

export const ThemeSchema = z.object({
  key: ThemeKeySchema,
  label: z.string().trim().min(1).max(80),
  cues: z.array(CueSchema).min(1).max(300),
});
export type Theme = z.infer<typeof ThemeSchema>;

export const DomainLexiconSchema = z.object({
  key: CompetencyDomainSchema,
  label: z.string().trim().min(1).max(80),
  /** Cues that name the domain without a particular theme ("professionalism"). */
  cues: z.array(CueSchema).max(300),
  themes: z.array(ThemeSchema).max(60),
});
export type DomainLexicon = z.infer<typeof DomainLexiconSchema>;

function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const at: number[] = [];
  values.forEach((value, i) => {
    if (seen.has(value)) at.push(i);
    seen.add(value);
  });
  return at;
}

export const LexiconSchema = z
  .object({
    version: z.literal(1),
    /** A theme (or domain) is tagged in a sentence when its cues there weigh at least this much. */
    threshold: z.number().min(0.1).max(10),
    domains: z.array(DomainLexiconSchema).min(1).max(COMPETENCY_DOMAINS.length),
    polarity: z.object({
      strength: z.array(PolarityCueSchema).max(500),
      concern: z.array(PolarityCueSchema).max(500),
    }),
    /** Phrases whose words never count as cues ("family history" is not about families). */
    ignore: z.array(CuePhraseSchema).max(300),
  })
  .superRefine((lexicon, ctx) => {
    for (const i of duplicates(lexicon.domains.map((d) => d.key))) {
      ctx.addIssue({ code: 'custom', path: ['domains', i, 'key'], message: 'appears twice' });
    }
    const themeKeys: string[] = [];
    const themePaths: (string | number)[][] = [];
    lexicon.domains.forEach((domain, d) => {
      for (const i of duplicates(domain.cues.map((c) => normalizePhrase(c.phrase)))) {
        ctx.addIssue({ code: 'custom', path: ['domains', d, 'cues', i, 'phrase'], message: 'appears twice' });
      }
      domain.themes.forEach((theme, t) => {
        themeKeys.push(theme.key);
        themePaths.push(['domains', d, 'themes', t, 'key']);
        for (const i of duplicates(theme.cues.map((c) => normalizePhrase(c.phrase)))) {
          ctx.addIssue({
            code: 'custom',
            path: ['domains', d, 'themes', t, 'cues', i, 'phrase'],
            message: 'appears twice',
          });
        }
      });
    });
    for (const i of duplicates(themeKeys)) {
      ctx.addIssue({ code: 'custom', path: themePaths[i]!, message: 'theme key appears twice' });
    }
  });
export type Lexicon = z.infer<typeof LexiconSchema>;
export type LexiconInput = z.input<typeof LexiconSchema>;

const CueChanges = {
  /** Added, or replacing the cue with the same phrase. */
  addCues: z.array(CueSchema).max(300).optional(),
  removeCues: z.array(CuePhraseSchema).max(300).optional(),
};

/**
 * A program's changes to the default lexicon. Kept as edits rather than a copy, so the program
 * gets later improvements to the default for everything it did not change.
 */
export const LexiconEditsSchema = z.object({
  threshold: z.number().min(0.1).max(10).optional(),
  domains: z
    .array(
      z.object({
        key: CompetencyDomainSchema,
        label: z.string().trim().min(1).max(80).optional(),
        /** false drops the domain and its themes (e.g. a program that does not track personal_career). */
        enabled: z.boolean().optional(),
        ...CueChanges,
      }),
    )
    .max(COMPETENCY_DOMAINS.length)
    .optional(),
  themes: z
    .array(
      z.object({
        key: ThemeKeySchema,
        /** Required for a new theme; for an existing one, moves it to this domain. */
        domain: CompetencyDomainSchema.optional(),
        /** Required for a new theme. */
        label: z.string().trim().min(1).max(80).optional(),
        /** false drops the theme. */
        enabled: z.boolean().optional(),
        ...CueChanges,
      }),
    )
    .max(200)
    .optional(),
  polarity: z
    .object({
      addStrength: z.array(PolarityCueSchema).max(300).optional(),
      addConcern: z.array(PolarityCueSchema).max(300).optional(),
      remove: z.array(CuePhraseSchema).max(300).optional(),
    })
    .optional(),
  ignore: z
    .object({
      add: z.array(CuePhraseSchema).max(300).optional(),
      remove: z.array(CuePhraseSchema).max(300).optional(),
    })
    .optional(),
});
export type LexiconEdits = z.infer<typeof LexiconEditsSchema>;
export type LexiconEditsInput = z.input<typeof LexiconEditsSchema>;

/** Character offsets into the narrative's text, end exclusive: `text === body.slice(start, end)`. */
export const TextSpanSchema = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  text: z.string(),
});
export type TextSpan = z.infer<typeof TextSpanSchema>;

export const CueMatchSchema = TextSpanSchema.extend({
  /** The lexicon's phrase that matched. */
  cue: z.string(),
  /** Said in the negative ("did not demonstrate poor communication"). */
  negated: z.boolean(),
});
export type CueMatch = z.infer<typeof CueMatchSchema>;

export const PolarityMatchSchema = CueMatchSchema.extend({
  /** What the words say once negation is taken into account ("no concerns" is a strength). */
  polarity: PolaritySchema,
});
export type PolarityMatch = z.infer<typeof PolarityMatchSchema>;

export const SentenceTagSchema = z.object({
  domain: CompetencyDomainSchema,
  /** null: the sentence names the domain itself, not one of its themes. */
  theme: ThemeKeySchema.nullable(),
  polarity: TagPolaritySchema,
  score: z.number(),
  matches: z.array(CueMatchSchema),
});
export type SentenceTag = z.infer<typeof SentenceTagSchema>;

export const TaggedSentenceSchema = TextSpanSchema.extend({
  /** The sentence's position in the narrative, from 0. */
  index: z.number().int().min(0),
  domains: z.array(CompetencyDomainSchema),
  tags: z.array(SentenceTagSchema),
  polarityMatches: z.array(PolarityMatchSchema),
});
export type TaggedSentence = z.infer<typeof TaggedSentenceSchema>;

const TallySchema = z.object({
  /** Sentences that support the tag. */
  sentences: z.number().int(),
  strengths: z.number().int(),
  concerns: z.number().int(),
});

export const NarrativeTagsSchema = z.object({
  /** Only the sentences that carry at least one tag, in order. */
  sentences: z.array(TaggedSentenceSchema),
  domains: z.array(TallySchema.extend({ domain: CompetencyDomainSchema, polarity: TagPolaritySchema })),
  themes: z.array(
    TallySchema.extend({
      theme: ThemeKeySchema,
      label: z.string(),
      domain: CompetencyDomainSchema,
      polarity: TagPolaritySchema,
    }),
  ),
});
export type NarrativeTags = z.infer<typeof NarrativeTagsSchema>;

const CountSchema = z.object({
  /** Narratives that mention it. */
  narratives: z.number().int(),
  /** Of those, narratives where it reads as a strength / as a concern (a narrative can be both). */
  strengths: z.number().int(),
  concerns: z.number().int(),
});

export const ThemeCountSchema = CountSchema.extend({
  theme: ThemeKeySchema,
  label: z.string(),
  domain: CompetencyDomainSchema,
});
export type ThemeCount = z.infer<typeof ThemeCountSchema>;

export const DomainCountSchema = CountSchema.extend({ domain: CompetencyDomainSchema });
export type DomainCount = z.infer<typeof DomainCountSchema>;

export const ThemePeriodSchema = z.object({
  /** 'YYYY-MM' for months; the phase's name (or 'none') for phases. */
  key: z.string(),
  /** First and last day of the period that holds narratives ('YYYY-MM-DD'). */
  from: z.string(),
  to: z.string(),
  narratives: z.number().int(),
  themes: z.array(ThemeCountSchema),
  domains: z.array(DomainCountSchema),
});
export type ThemePeriod = z.infer<typeof ThemePeriodSchema>;

export const ThemeTimelineSchema = z.object({
  by: z.enum(['month', 'phase']),
  periods: z.array(ThemePeriodSchema),
  /** Over all periods, most mentioned first; `recurring` when in at least two narratives. */
  totals: z.array(ThemeCountSchema.extend({ recurring: z.boolean() })),
});
export type ThemeTimeline = z.infer<typeof ThemeTimelineSchema>;
