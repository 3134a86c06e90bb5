import {
  COMPETENCY_DOMAINS,
  LexiconEditsSchema,
  LexiconSchema,
  normalizePhrase,
  type CompetencyDomain,
  type Cue,
  type Lexicon,
  type LexiconEdits,
  type Polarity,
  type PolarityCue,
} from '../../../../common/themes.ts';
import { DEFAULT_LEXICON } from './default-lexicon.ts';
import { englishNlp } from './nlp.ts';

/** A problem with a lexicon or with a program's edits, naming the field (`themes.2.domain`). */
export interface LexiconIssue {
  field: string;
  message: string;
}

export type LexiconResult = { ok: true; lexicon: Lexicon } | { ok: false; issues: LexiconIssue[] };

function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): LexiconIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

/** Checks a whole lexicon (e.g. one a program uploads). */
export function parseLexicon(input: unknown): LexiconResult {
  const parsed = LexiconSchema.safeParse(input);
  return parsed.success ? { ok: true, lexicon: parsed.data } : { ok: false, issues: zodIssues(parsed.error) };
}

let defaultLexicon: Lexicon | undefined;

/** The default lexicon, checked against the schema once. */
export function getDefaultLexicon(): Lexicon {
  defaultLexicon ??= LexiconSchema.parse(DEFAULT_LEXICON);
  return defaultLexicon;
}

function upsertCues<T extends { phrase: string }>(cues: T[], added: readonly T[]): T[] {
  const result = [...cues];
  for (const cue of added) {
    const key = normalizePhrase(cue.phrase);
    const at = result.findIndex((c) => normalizePhrase(c.phrase) === key);
    if (at >= 0) result[at] = cue;
    else result.push(cue);
  }
  return result;
}

/** Removes the phrases; a phrase that is not there is an issue (a typo would otherwise pass). */
function removeCues<T extends { phrase: string }>(
  cues: T[],
  removed: readonly string[],
  field: string,
  owner: string,
  issues: LexiconIssue[],
): T[] {
  let result = cues;
  removed.forEach((phrase, i) => {
    const key = normalizePhrase(phrase);
    if (!result.some((c) => normalizePhrase(c.phrase) === key)) {
      issues.push({ field: `${field}.${i}`, message: `"${phrase}" is not a cue of ${owner}` });
      return;
    }
    result = result.filter((c) => normalizePhrase(c.phrase) !== key);
  });
  return result;
}

/**
 * A program's lexicon: its edits applied over `base` (the default lexicon unless given). Domain
 * edits come first, then theme edits in order, then polarity and ignore edits. The result is
 * checked as a whole lexicon; every problem names the field of the edit that caused it.
 */
export function mergeLexicon(editsInput: unknown, base: Lexicon = getDefaultLexicon()): LexiconResult {
  const parsedEdits = LexiconEditsSchema.safeParse(editsInput);
  if (!parsedEdits.success) return { ok: false, issues: zodIssues(parsedEdits.error) };
  const edits: LexiconEdits = parsedEdits.data;
  const issues: LexiconIssue[] = [];
  const lexicon: Lexicon = structuredClone(base);

  const disabledDomains = new Set<CompetencyDomain>();
  const seenDomains = new Set<CompetencyDomain>();
  (edits.domains ?? []).forEach((edit, i) => {
    const field = `domains.${i}`;
    if (seenDomains.has(edit.key)) {
      issues.push({ field: `${field}.key`, message: `${edit.key} is edited twice` });
      return;
    }
    seenDomains.add(edit.key);
    let domain = lexicon.domains.find((d) => d.key === edit.key);
    if (edit.enabled === false) {
      disabledDomains.add(edit.key);
      lexicon.domains = lexicon.domains.filter((d) => d.key !== edit.key);
      return;
    }
    if (!domain) {
      domain = { key: edit.key, label: edit.label ?? edit.key, cues: [], themes: [] };
      lexicon.domains.push(domain);
    }
    if (edit.label) domain.label = edit.label;
    if (edit.removeCues) {
      domain.cues = removeCues(domain.cues, edit.removeCues, `${field}.removeCues`, `domain ${edit.key}`, issues);
    }
    if (edit.addCues) domain.cues = upsertCues(domain.cues, edit.addCues);
  });

  const seenThemes = new Set<string>();
  (edits.themes ?? []).forEach((edit, i) => {
    const field = `themes.${i}`;
    if (seenThemes.has(edit.key)) {
      issues.push({ field: `${field}.key`, message: `theme ${edit.key} is edited twice` });
      return;
    }
    seenThemes.add(edit.key);
    const owner = lexicon.domains.find((d) => d.themes.some((t) => t.key === edit.key));
    if (edit.enabled === false) {
      if (!owner) {
        issues.push({ field: `${field}.key`, message: `there is no theme ${edit.key} to turn off` });
        return;
      }
      owner.themes = owner.themes.filter((t) => t.key !== edit.key);
      return;
    }
    if (edit.domain && disabledDomains.has(edit.domain)) {
      issues.push({ field: `${field}.domain`, message: `domain ${edit.domain} is turned off` });
      return;
    }
    if (!owner) {
      if (!edit.domain) {
        issues.push({ field: `${field}.domain`, message: `a new theme (${edit.key}) needs a domain` });
        return;
      }
      if (!edit.label) {
        issues.push({ field: `${field}.label`, message: `a new theme (${edit.key}) needs a label` });
        return;
      }
      if (!edit.addCues?.length) {
        issues.push({ field: `${field}.addCues`, message: `a new theme (${edit.key}) needs at least one cue` });
        return;
      }
      let domain = lexicon.domains.find((d) => d.key === edit.domain);
      if (!domain) {
        domain = { key: edit.domain, label: edit.domain, cues: [], themes: [] };
        lexicon.domains.push(domain);
      }
      domain.themes.push({ key: edit.key, label: edit.label, cues: upsertCues([], edit.addCues) });
      return;
    }
    const theme = owner.themes.find((t) => t.key === edit.key)!;
    if (edit.label) theme.label = edit.label;
    if (edit.removeCues) {
      theme.cues = removeCues(theme.cues, edit.removeCues, `${field}.removeCues`, `theme ${edit.key}`, issues);
    }
    if (edit.addCues) theme.cues = upsertCues(theme.cues, edit.addCues);
    if (theme.cues.length === 0) {
      issues.push({ field: `${field}.removeCues`, message: `theme ${edit.key} would be left without cues` });
    }
    if (edit.domain && edit.domain !== owner.key) {
      owner.themes = owner.themes.filter((t) => t.key !== edit.key);
      let target = lexicon.domains.find((d) => d.key === edit.domain);
      if (!target) {
        target = { key: edit.domain, label: edit.domain, cues: [], themes: [] };
        lexicon.domains.push(target);
      }
      target.themes.push(theme);
    }
  });

  if (edits.polarity) {
    const { addStrength = [], addConcern = [], remove = [] } = edits.polarity;
    const all = [...lexicon.polarity.strength, ...lexicon.polarity.concern];
    remove.forEach((phrase, i) => {
      if (!all.some((c) => normalizePhrase(c.phrase) === normalizePhrase(phrase))) {
        issues.push({ field: `polarity.remove.${i}`, message: `"${phrase}" is not a polarity cue` });
      }
    });
    const removed = new Set(remove.map(normalizePhrase));
    // A phrase lives on one side: adding it as a strength takes it off the concerns, and back.
    const strengthAdded = new Set(addStrength.map((c) => normalizePhrase(c.phrase)));
    const concernAdded = new Set(addConcern.map((c) => normalizePhrase(c.phrase)));
    const keep = (side: PolarityCue[], other: Set<string>) =>
      side.filter((c) => !removed.has(normalizePhrase(c.phrase)) && !other.has(normalizePhrase(c.phrase)));
    lexicon.polarity.strength = upsertCues(keep(lexicon.polarity.strength, concernAdded), addStrength);
    lexicon.polarity.concern = upsertCues(keep(lexicon.polarity.concern, strengthAdded), addConcern);
  }

  if (edits.ignore) {
    const { add = [], remove = [] } = edits.ignore;
    const current = lexicon.ignore.map(normalizePhrase);
    remove.forEach((phrase, i) => {
      if (!current.includes(normalizePhrase(phrase))) {
        issues.push({ field: `ignore.remove.${i}`, message: `"${phrase}" is not in the ignore list` });
      }
    });
    const removed = new Set(remove.map(normalizePhrase));
    const kept = lexicon.ignore.filter((p) => !removed.has(normalizePhrase(p)));
    for (const phrase of add) if (!kept.some((p) => normalizePhrase(p) === normalizePhrase(phrase))) kept.push(phrase);
    lexicon.ignore = kept;
  }

  if (edits.threshold !== undefined) lexicon.threshold = edits.threshold;
  if (lexicon.domains.length === 0) issues.push({ field: 'domains', message: 'at least one domain must stay on' });
  if (issues.length > 0) return { ok: false, issues };

  lexicon.domains.sort((a, b) => COMPETENCY_DOMAINS.indexOf(a.key) - COMPETENCY_DOMAINS.indexOf(b.key));
  return parseLexicon(lexicon);
}

/** One word of a compiled cue. */
export type CueWord = { kind: 'word'; form: string } | { kind: 'prefix'; prefix: string } | { kind: 'any' };

/** Who a cue speaks for: a theme (or the domain itself), a polarity, or nothing (ignored words). */
export type CueTarget =
  | { layer: 'theme'; domain: CompetencyDomain; theme: string | null; weight: number; polarity: Polarity | null }
  | { layer: 'polarity'; polarity: Polarity; weight: number }
  | { layer: 'ignore' };

export interface CompiledCue {
  phrase: string;
  words: CueWord[];
  target: CueTarget;
}

export interface CompiledLexicon {
  lexicon: Lexicon;
  threshold: number;
  themeLabels: Map<string, { label: string; domain: CompetencyDomain }>;
  /** Per layer: cues by the form of their first word, and by the first three letters of a prefix. */
  layers: Record<'ignore' | 'theme' | 'polarity', CueIndex>;
}

export interface CueIndex {
  byForm: Map<string, CompiledCue[]>;
  byPrefix: Map<string, CompiledCue[]>;
}

const HYPHENS = new Set(['-', '‐', '‑']);
const wordsCache = new Map<string, CueWord[]>();

/**
 * A phrase's words in the form the text is matched against: each word as the tokenizer splits it
 * (so "h&p", "n't" and "write-up" are read the same way in the cue and in the narrative), hyphens
 * dropped. A plain word matches a token whose lower-case form or lemma equals it, so a cue written
 * in the base form ("struggle") matches every inflection ("struggled", "struggles").
 */
export function compilePhrase(phrase: string): CueWord[] {
  const key = normalizePhrase(phrase);
  const cached = wordsCache.get(key);
  if (cached) return cached;
  const nlp = englishNlp();
  const words: CueWord[] = [];
  for (const piece of key.split(' ')) {
    if (piece === '*') {
      words.push({ kind: 'any' });
      continue;
    }
    const isPrefix = piece.endsWith('*');
    const body = isPrefix ? piece.slice(0, -1) : piece;
    const forms = (nlp.readDoc(body).tokens().out(nlp.its.normal) as string[]).filter((f) => !HYPHENS.has(f));
    forms.forEach((form, i) => {
      words.push(isPrefix && i === forms.length - 1 ? { kind: 'prefix', prefix: form } : { kind: 'word', form });
    });
  }
  wordsCache.set(key, words);
  return words;
}

function emptyIndex(): CueIndex {
  return { byForm: new Map(), byPrefix: new Map() };
}

function addToIndex(index: CueIndex, cue: CompiledCue): void {
  const first = cue.words[0]!;
  const [map, key] = first.kind === 'word' ? [index.byForm, first.form] : [index.byPrefix, prefixKey(first)];
  const list = map.get(key);
  if (list) list.push(cue);
  else map.set(key, [cue]);
}

function prefixKey(word: CueWord): string {
  return word.kind === 'prefix' ? word.prefix.slice(0, 3) : '';
}

function themeCue(cue: Cue, domain: CompetencyDomain, theme: string | null): CompiledCue {
  return {
    phrase: cue.phrase,
    words: compilePhrase(cue.phrase),
    target: { layer: 'theme', domain, theme, weight: cue.weight, polarity: cue.polarity ?? null },
  };
}

/** Prepares a lexicon for tagging: every phrase tokenized once, cues indexed by their first word. */
export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const layers = { ignore: emptyIndex(), theme: emptyIndex(), polarity: emptyIndex() };
  const themeLabels = new Map<string, { label: string; domain: CompetencyDomain }>();
  for (const domain of lexicon.domains) {
    for (const cue of domain.cues) addToIndex(layers.theme, themeCue(cue, domain.key, null));
    for (const theme of domain.themes) {
      themeLabels.set(theme.key, { label: theme.label, domain: domain.key });
      for (const cue of theme.cues) addToIndex(layers.theme, themeCue(cue, domain.key, theme.key));
    }
  }
  for (const polarity of ['strength', 'concern'] as const) {
    for (const cue of lexicon.polarity[polarity]) {
      addToIndex(layers.polarity, {
        phrase: cue.phrase,
        words: compilePhrase(cue.phrase),
        target: { layer: 'polarity', polarity, weight: cue.weight },
      });
    }
  }
  for (const phrase of lexicon.ignore) {
    addToIndex(layers.ignore, { phrase, words: compilePhrase(phrase), target: { layer: 'ignore' } });
  }
  return { lexicon, threshold: lexicon.threshold, themeLabels, layers };
}

let defaultCompiled: CompiledLexicon | undefined;

/** The default lexicon, compiled once. */
export function getDefaultCompiledLexicon(): CompiledLexicon {
  defaultCompiled ??= compileLexicon(getDefaultLexicon());
  return defaultCompiled;
}
