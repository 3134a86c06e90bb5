import {
  COMPETENCY_DOMAINS,
  type CompetencyDomain,
  type CueMatch,
  type NarrativeTags,
  type Polarity,
  type PolarityMatch,
  type SentenceTag,
  type TaggedSentence,
  type TagPolarity,
} from '../../../../common/themes.ts';
import { getDefaultCompiledLexicon, type CompiledCue, type CompiledLexicon, type CueIndex } from './lexicon.ts';
import { readText, type WordToken } from './nlp.ts';

/**
 * Tags a narrative evaluation with competency domains and themes, sentence by sentence.
 *
 * 1. wink-nlp splits the text into sentences and tokens (with lemmas and its negation flags).
 * 2. Three layers of cues are matched, each longest first: ignored phrases first (their words
 *    never count), then theme and domain cues, then strength/concern words.
 * 3. A theme is tagged in a sentence when its cues there weigh at least the lexicon's threshold; a
 *    domain, when its own cues do, or when its themes' cues add up to it without any one theme
 *    doing so.
 * 4. Each cue is negated when a negator ("not", "never", "no", "without", …) stands shortly before
 *    it in the same clause; a negated strength reads as a concern and the other way round ("did
 *    not demonstrate poor communication" is not a concern).
 * 5. A tag's polarity comes from the strength/concern words in its clause (clauses split at "but",
 *    "however", "although", semicolons…), or, when its clause says nothing either way, from the
 *    sentence when the sentence says one thing only.
 */

const NEGATORS = new Set([
  'not',
  "n't",
  'no',
  'never',
  'nor',
  'neither',
  'none',
  'nothing',
  'without',
  'hardly',
  'barely',
  'rarely',
  'seldom',
  'cannot',
]);
/** Words that end a clause for negation scope and for polarity. */
const CLAUSE_WORDS = new Set(['but', 'however', 'although', 'though', 'whereas', 'while', 'yet', 'except', 'despite']);
/** Also end a negation's reach ("not late and well prepared": "prepared" is not negated). */
const NEGATION_STOPS = new Set([...CLAUSE_WORDS, 'and', 'or', 'so', 'because', 'which', 'who', 'that']);
const CLAUSE_PUNCTUATION = new Set([';', ':', '—', '–', '(', ')', '[', ']']);
const HYPHENS = new Set(['-', '‐', '‑']);
/** A negator this many words before a cue negates it; with wink-nlp's flag set, twice as far. */
const NEGATION_WINDOW = 3;

interface Token extends WordToken {
  /** Index of the major clause within the sentence. */
  clause: number;
  isWord: boolean;
  isHyphen: boolean;
}

interface Match {
  cue: CompiledCue;
  /** Token indexes within the sentence, inclusive. */
  from: number;
  to: number;
  negated: boolean;
}

function isWordToken(token: WordToken): boolean {
  return token.type !== 'punctuation' && token.type !== 'tabCRLF' && token.type !== 'symbol';
}

function wordMatches(word: CompiledCue['words'][number], token: Token): boolean {
  if (!token.isWord) return false;
  switch (word.kind) {
    case 'any':
      return true;
    case 'word':
      return token.normal === word.form || token.lemma === word.form;
    case 'prefix':
      return token.normal.startsWith(word.prefix) || token.lemma.startsWith(word.prefix);
  }
}

/** The last token index of `cue` matched from `from`, or -1. Hyphens between words are skipped. */
function matchAt(cue: CompiledCue, tokens: Token[], from: number, blocked: boolean[]): number {
  let t = from;
  for (let w = 0; w < cue.words.length; w++) {
    if (w > 0) {
      t++;
      while (t < tokens.length && tokens[t]!.isHyphen) t++;
    }
    const token = tokens[t];
    if (!token || blocked[t] || !wordMatches(cue.words[w]!, token)) return -1;
  }
  return t;
}

function candidates(index: CueIndex, token: Token): CompiledCue[] {
  const found: CompiledCue[] = [];
  const forms = token.lemma === token.normal ? [token.normal] : [token.normal, token.lemma];
  for (const form of forms) {
    const exact = index.byForm.get(form);
    if (exact) found.push(...exact);
    for (let n = 1; n <= 3; n++) {
      const byPrefix = index.byPrefix.get(form.slice(0, n));
      if (byPrefix) found.push(...byPrefix);
    }
  }
  return found;
}

function targetKey(cue: CompiledCue): string {
  const t = cue.target;
  if (t.layer === 'theme') return `${t.domain}/${t.theme ?? ''}`;
  return t.layer === 'polarity' ? 'polarity' : 'ignore';
}

function weightOf(cue: CompiledCue): number {
  return cue.target.layer === 'ignore' ? 0 : cue.target.weight;
}

/**
 * Matching of one layer, longest first: every cue is tried at every token, then matches are taken
 * from the longest down, and a match is dropped when it overlaps a longer one already taken ("time
 * management" beats "management"). Overlapping matches of the same length are both kept ("work on
 * time management" is about time management and mentions "on time"), but never two of one target,
 * so a theme's score counts each stretch of words once.
 */
function matchLayer(index: CueIndex, tokens: Token[], blocked: boolean[]): Match[] {
  const found: Match[] = [];
  tokens.forEach((token, i) => {
    if (blocked[i] || !token.isWord) return;
    for (const cue of candidates(index, token)) {
      const end = matchAt(cue, tokens, i, blocked);
      if (end >= 0) found.push({ cue, from: i, to: end, negated: false });
    }
  });
  found.sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from || weightOf(b.cue) - weightOf(a.cue));
  const taken: Match[] = [];
  for (const m of found) {
    const length = m.to - m.from;
    const conflict = taken.some(
      (t) => t.from <= m.to && m.from <= t.to && (t.to - t.from > length || targetKey(t.cue) === targetKey(m.cue)),
    );
    if (!conflict) taken.push(m);
  }
  return taken.sort((a, b) => a.from - b.from);
}

/** Whether a negator stands within the window before token `at`, inside the same clause. */
function isNegated(tokens: Token[], at: number): boolean {
  const window = tokens[at]!.negationFlag ? NEGATION_WINDOW * 2 : NEGATION_WINDOW;
  let words = 0;
  for (let t = at - 1; t >= 0 && words < window; t--) {
    const token = tokens[t]!;
    if (token.isHyphen) continue;
    if (!token.isWord) return false;
    const before = tokens[t - 1]?.normal;
    const notYet = token.normal === 'yet' && (before === 'not' || before === "n't");
    if (NEGATION_STOPS.has(token.normal) && !notYet) return false;
    words++;
    // "not only … but also" praises twice; it negates nothing.
    if (NEGATORS.has(token.normal) && tokens[t + 1]?.normal !== 'only') return true;
  }
  return false;
}

function assignClauses(tokens: Token[]): void {
  let clause = 0;
  tokens.forEach((token, t) => {
    const previous = tokens[t - 1]?.normal;
    const startsClause =
      (CLAUSE_WORDS.has(token.normal) && !(token.normal === 'yet' && (previous === 'not' || previous === "n't"))) ||
      CLAUSE_PUNCTUATION.has(token.normal);
    if (startsClause && t > 0) clause++;
    token.clause = clause;
  });
}

interface Balance {
  strength: number;
  concern: number;
}

function readPolarity({ strength, concern }: Balance): TagPolarity {
  if (strength === 0 && concern === 0) return 'neutral';
  if (concern === 0) return 'strength';
  if (strength === 0) return 'concern';
  const net = strength - concern;
  if (net >= 1) return 'strength';
  if (net <= -1) return 'concern';
  return 'mixed';
}

function flip(polarity: Polarity, negated: boolean): Polarity {
  if (!negated) return polarity;
  return polarity === 'strength' ? 'concern' : 'strength';
}

function span(text: string, tokens: Token[], from: number, to: number): { start: number; end: number; text: string } {
  const start = tokens[from]!.start;
  const end = tokens[to]!.end;
  return { start, end, text: text.slice(start, end) };
}

function tagSentence(
  text: string,
  sentenceTokens: WordToken[],
  index: number,
  compiled: CompiledLexicon,
): TaggedSentence | null {
  const tokens: Token[] = sentenceTokens
    .filter((t) => t.type !== 'tabCRLF')
    .map((t) => ({ ...t, clause: 0, isWord: isWordToken(t), isHyphen: HYPHENS.has(t.normal) }));
  if (tokens.length === 0) return null;
  assignClauses(tokens);

  const blocked = tokens.map(() => false);
  for (const m of matchLayer(compiled.layers.ignore, tokens, blocked)) {
    for (let t = m.from; t <= m.to; t++) blocked[t] = true;
  }
  const themeMatches = matchLayer(compiled.layers.theme, tokens, blocked);
  const polarityMatches = matchLayer(compiled.layers.polarity, tokens, blocked);
  for (const m of [...themeMatches, ...polarityMatches]) m.negated = isNegated(tokens, m.from);
  if (themeMatches.length === 0) return null;

  // Strength and concern weight per clause: the polarity words, and theme cues that carry their own.
  const clauses = new Map<number, Balance>();
  const add = (clause: number, polarity: Polarity, weight: number) => {
    const balance = clauses.get(clause) ?? { strength: 0, concern: 0 };
    balance[polarity] += weight;
    clauses.set(clause, balance);
  };
  const polarityStarts = new Set<number>();
  const outPolarity: PolarityMatch[] = [];
  for (const m of polarityMatches) {
    if (m.cue.target.layer !== 'polarity') continue;
    const polarity = flip(m.cue.target.polarity, m.negated);
    add(tokens[m.from]!.clause, polarity, m.cue.target.weight);
    polarityStarts.add(m.from);
    outPolarity.push({ ...span(text, tokens, m.from, m.to), cue: m.cue.phrase, negated: m.negated, polarity });
  }
  for (const m of themeMatches) {
    if (m.cue.target.layer !== 'theme' || !m.cue.target.polarity || polarityStarts.has(m.from)) continue;
    add(tokens[m.from]!.clause, flip(m.cue.target.polarity, m.negated), m.cue.target.weight);
  }
  const sentenceReadings = new Set([...clauses.values()].map(readPolarity));
  const sentenceOnly =
    sentenceReadings.size === 1 && (sentenceReadings.has('strength') || sentenceReadings.has('concern'))
      ? [...sentenceReadings][0]!
      : 'neutral';
  const polarityOf = (matches: Match[]): TagPolarity => {
    const balance = { strength: 0, concern: 0 };
    for (const clause of new Set(matches.map((m) => tokens[m.from]!.clause))) {
      const b = clauses.get(clause);
      if (b) {
        balance.strength += b.strength;
        balance.concern += b.concern;
      }
    }
    const own = readPolarity(balance);
    return own === 'neutral' ? sentenceOnly : own;
  };

  const byTarget = new Map<string, Match[]>();
  for (const m of themeMatches) {
    const key = targetKey(m.cue);
    byTarget.set(key, [...(byTarget.get(key) ?? []), m]);
  }
  const toCueMatches = (matches: Match[]): CueMatch[] =>
    matches
      .sort((a, b) => a.from - b.from)
      .map((m) => ({ ...span(text, tokens, m.from, m.to), cue: m.cue.phrase, negated: m.negated }));
  const score = (matches: Match[]) => matches.reduce((sum, m) => sum + weightOf(m.cue), 0);

  const tags: SentenceTag[] = [];
  for (const domain of COMPETENCY_DOMAINS) {
    const tagged: SentenceTag[] = [];
    const weak: Match[] = [];
    let domainOwn: Match[] = [];
    for (const [key, matches] of byTarget) {
      const [keyDomain, theme] = key.split('/') as [CompetencyDomain, string];
      if (keyDomain !== domain) continue;
      if (theme === '') {
        domainOwn = matches;
        continue;
      }
      const themeScore = score(matches);
      if (themeScore >= compiled.threshold) {
        tagged.push({
          domain,
          theme,
          polarity: polarityOf(matches),
          score: themeScore,
          matches: toCueMatches(matches),
        });
      } else {
        weak.push(...matches);
      }
    }
    const ownScore = score(domainOwn);
    if (ownScore >= compiled.threshold) {
      tagged.push({
        domain,
        theme: null,
        polarity: polarityOf(domainOwn),
        score: ownScore,
        matches: toCueMatches(domainOwn),
      });
    } else if (tagged.length === 0 && ownScore + score(weak) >= compiled.threshold) {
      const together = [...domainOwn, ...weak];
      tagged.push({
        domain,
        theme: null,
        polarity: polarityOf(together),
        score: score(together),
        matches: toCueMatches(together),
      });
    }
    tags.push(...tagged.sort((a, b) => (a.theme ?? '').localeCompare(b.theme ?? '')));
  }
  if (tags.length === 0) return null;

  const first = tokens[0]!;
  const last = tokens.at(-1)!;
  return {
    index,
    start: first.start,
    end: last.end,
    text: text.slice(first.start, last.end),
    domains: [...new Set(tags.map((t) => t.domain))],
    tags,
    polarityMatches: outPolarity,
  };
}

interface Tally {
  sentences: number;
  strengths: number;
  concerns: number;
}

function overall(tally: Tally): TagPolarity {
  if (tally.strengths > 0 && tally.concerns > 0) return 'mixed';
  if (tally.strengths > 0) return 'strength';
  if (tally.concerns > 0) return 'concern';
  return 'neutral';
}

function count(tallies: Map<string, Tally>, key: string, polarities: TagPolarity[]): void {
  const tally = tallies.get(key) ?? { sentences: 0, strengths: 0, concerns: 0 };
  tally.sentences++;
  if (polarities.some((p) => p === 'strength' || p === 'mixed')) tally.strengths++;
  if (polarities.some((p) => p === 'concern' || p === 'mixed')) tally.concerns++;
  tallies.set(key, tally);
}

/**
 * Tags one narrative with the program's compiled lexicon (the default lexicon when none is given).
 * Pure apart from the NLP model, which loads once and is then shared.
 */
export function tagNarrative(text: string, compiled: CompiledLexicon = getDefaultCompiledLexicon()): NarrativeTags {
  const { tokens, sentences: ranges } = readText(text);
  const sentences: TaggedSentence[] = [];
  ranges.forEach(([from, to], index) => {
    const sentence = tagSentence(text, tokens.slice(from, to + 1), index, compiled);
    if (sentence) sentences.push(sentence);
  });

  const domainTallies = new Map<string, Tally>();
  const themeTallies = new Map<string, Tally>();
  for (const sentence of sentences) {
    for (const domain of sentence.domains) {
      count(
        domainTallies,
        domain,
        sentence.tags.filter((t) => t.domain === domain).map((t) => t.polarity),
      );
    }
    for (const tag of sentence.tags) if (tag.theme) count(themeTallies, tag.theme, [tag.polarity]);
  }
  return {
    sentences,
    domains: COMPETENCY_DOMAINS.filter((d) => domainTallies.has(d)).map((domain) => {
      const tally = domainTallies.get(domain)!;
      return { domain, ...tally, polarity: overall(tally) };
    }),
    themes: [...themeTallies].map(([theme, tally]) => {
      const info = compiled.themeLabels.get(theme)!;
      return { theme, label: info.label, domain: info.domain, ...tally, polarity: overall(tally) };
    }),
  };
}
