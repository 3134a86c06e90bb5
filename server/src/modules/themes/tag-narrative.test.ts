import { describe, expect, it } from 'vitest';
import { COMPETENCY_DOMAINS as SCHEMA_DOMAINS } from '../../db/schema.ts';
import { COMPETENCY_DOMAINS, type NarrativeTags } from '../../../../common/themes.ts';
import { compileLexicon, mergeLexicon } from './lexicon.ts';
import { tagNarrative } from './tag-narrative.ts';

function tagsOf(result: NarrativeTags, theme: string) {
  return result.sentences.flatMap((s) => s.tags.filter((t) => t.theme === theme));
}

describe('tagNarrative', () => {
  it('uses the same competency domains as development plans', () => {
    expect([...COMPETENCY_DOMAINS]).toEqual([...SCHEMA_DOMAINS]);
  });

  it('gives spans that point at the matched words in the original text, across sentences and line breaks', () => {
    const text =
      'Rotation: Internal Medicine.\r\n\r\n  Her  fund of knowledge is excellent!\nHe   struggles with time management;\tneeds to work on organizing his presentations. Ünïcode — “quotes” aside, she wasn’t late.';
    const result = tagNarrative(text);
    expect(result.sentences.length).toBeGreaterThanOrEqual(3);
    for (const sentence of result.sentences) {
      expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text);
      for (const tag of sentence.tags) {
        for (const m of tag.matches) {
          expect(text.slice(m.start, m.end)).toBe(m.text);
          expect(m.start).toBeGreaterThanOrEqual(sentence.start);
          expect(m.end).toBeLessThanOrEqual(sentence.end);
        }
      }
      for (const p of sentence.polarityMatches) expect(text.slice(p.start, p.end)).toBe(p.text);
    }
    const knowledge = tagsOf(result, 'fund-of-knowledge')[0]!;
    expect(knowledge.matches.map((m) => m.text)).toEqual(['fund of knowledge']);
    expect(knowledge.polarity).toBe('strength');
    expect(tagsOf(result, 'time-management')[0]!.matches.map((m) => m.text)).toEqual(['time management']);
    expect(tagsOf(result, 'time-management')[0]!.polarity).toBe('concern');
    expect(tagsOf(result, 'oral-presentations')[0]!.polarity).toBe('concern');
    const late = tagsOf(result, 'reliability')[0]!;
    expect(late.matches[0]!.negated).toBe(true);
    expect(late.polarity).toBe('strength');
  });

  it('reads negated concerns as strengths and negated strengths as concerns', () => {
    const notPoor = tagNarrative('She did not demonstrate poor communication.');
    const tag = notPoor.sentences[0]!.tags.find((t) => t.domain === 'interpersonal_communication')!;
    expect(tag.polarity).toBe('strength');
    expect(notPoor.sentences[0]!.polarityMatches).toMatchObject([
      { text: 'poor', negated: true, polarity: 'strength' },
    ]);

    expect(
      tagsOf(tagNarrative('He was not always receptive to feedback.'), 'receptiveness-to-feedback')[0]!.polarity,
    ).toBe('concern');
    expect(tagNarrative('There were no concerns about her professionalism.').domains).toMatchObject([
      { domain: 'professionalism', polarity: 'strength' },
    ]);
    expect(tagsOf(tagNarrative('He never arrived late.'), 'reliability')[0]!.polarity).toBe('strength');
    expect(
      tagsOf(tagNarrative('She is not yet able to synthesize a differential diagnosis.'), 'clinical-reasoning')[0]!
        .polarity,
    ).toBe('concern');
    expect(tagsOf(tagNarrative('Completed her notes without reminders.'), 'documentation')[0]!.polarity).toBe(
      'strength',
    );
  });

  it('keeps a negation inside its own clause and does not treat "not only" as one', () => {
    const both = tagNarrative('She was not late and was always well prepared.');
    expect(tagsOf(both, 'reliability')[0]!.polarity).toBe('strength');
    expect(tagsOf(both, 'organisation')[0]!.matches[0]!.negated).toBe(false);
    const notOnly = tagNarrative('He is not only knowledgeable but also an excellent communicator.');
    expect(tagsOf(notOnly, 'fund-of-knowledge')[0]!.matches[0]!.negated).toBe(false);
    expect(notOnly.domains.find((d) => d.domain === 'interpersonal_communication')?.polarity).toBe('strength');
  });

  it('gives each clause its own polarity', () => {
    const result = tagNarrative(
      'Her rapport with patients was outstanding, but she needs to work on the organization of her presentations.',
    );
    expect(tagsOf(result, 'communication-with-patients')[0]!.polarity).toBe('strength');
    expect(tagsOf(result, 'organisation')[0]!.polarity).toBe('concern');
    expect(result.domains.find((d) => d.domain === 'interpersonal_communication')?.polarity).toBe('mixed');
  });

  it('needs weak cues to add up to the threshold before tagging', () => {
    // "history" alone (0.5) is not enough; with "findings" (0.5) the theme is there.
    expect(tagsOf(tagNarrative('The history was noted.'), 'history-and-physical')).toEqual([]);
    expect(tagsOf(tagNarrative('The history and the findings were noted.'), 'history-and-physical')).toHaveLength(1);
  });

  it('ignores the words of ignored phrases', () => {
    expect(tagNarrative('She rotated through family medicine.').sentences).toEqual([]);
    expect(tagsOf(tagNarrative('She met the families.'), 'communication-with-patients')).toHaveLength(1);
  });

  it('returns nothing for text without cues, and for empty text', () => {
    expect(tagNarrative('He rotated with us for four weeks.')).toEqual({ sentences: [], domains: [], themes: [] });
    expect(tagNarrative('')).toEqual({ sentences: [], domains: [], themes: [] });
    expect(tagNarrative('   \n\t ')).toEqual({ sentences: [], domains: [], themes: [] });
  });

  it('counts sentences per theme and domain with their strengths and concerns', () => {
    const result = tagNarrative(
      'Excellent fund of knowledge. Knowledge of pharmacology is weak. She arrived late twice.',
    );
    expect(result.themes.find((t) => t.theme === 'fund-of-knowledge')).toMatchObject({
      label: 'Fund of knowledge',
      domain: 'medical_knowledge',
      sentences: 2,
      strengths: 1,
      concerns: 1,
      polarity: 'mixed',
    });
    expect(result.domains.map((d) => d.domain)).toEqual(['medical_knowledge', 'professionalism']);
  });

  it('matches hyphenated and spaced forms, inflections and wildcards alike', () => {
    const merged = mergeLexicon({
      themes: [
        {
          key: 'handover-skill',
          domain: 'systems_based_practice',
          label: 'Handover',
          addCues: [{ phrase: 'hand over' }, { phrase: 'manage * handover' }, { phrase: 'pagers*' }],
        },
      ],
    });
    if (!merged.ok) throw new Error(JSON.stringify(merged.issues));
    const lexicon = compileLexicon(merged.lexicon);
    for (const text of ['A clean hand-over.', 'She hands over well.', 'Managed every handover.', 'Answered pagers.']) {
      const t = tagNarrative(text, lexicon).themes.map((x) => x.theme);
      expect(t, text).toContain('handover-skill');
    }
    expect(tagNarrative('Managed handover.', lexicon).themes.map((x) => x.theme)).not.toContain('handover-skill');
  });
});
