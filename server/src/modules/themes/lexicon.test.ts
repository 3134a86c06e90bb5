import { describe, expect, it } from 'vitest';
import { LexiconSchema, type Lexicon } from '../../../../common/themes.ts';
import { DEFAULT_LEXICON } from './default-lexicon.ts';
import { compileLexicon, getDefaultLexicon, mergeLexicon, parseLexicon } from './lexicon.ts';
import { tagNarrative } from './tag-narrative.ts';

function merged(edits: unknown): Lexicon {
  const result = mergeLexicon(edits);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.lexicon;
}

function issuesOf(edits: unknown) {
  const result = mergeLexicon(edits);
  if (result.ok) throw new Error('expected the edits to be refused');
  return result.issues;
}

function themeKeys(lexicon: Lexicon): string[] {
  return lexicon.domains.flatMap((d) => d.themes.map((t) => t.key));
}

describe('the default lexicon', () => {
  it('is valid and covers every competency domain with themes', () => {
    const lexicon = LexiconSchema.parse(DEFAULT_LEXICON);
    expect(lexicon.domains.map((d) => d.key)).toEqual([
      'patient_care',
      'medical_knowledge',
      'interpersonal_communication',
      'professionalism',
      'practice_based_learning',
      'systems_based_practice',
      'personal_career',
    ]);
    for (const domain of lexicon.domains) expect(domain.themes.length, domain.key).toBeGreaterThanOrEqual(3);
    expect(themeKeys(lexicon)).toEqual(
      expect.arrayContaining([
        'time-management',
        'clinical-reasoning',
        'communication-with-patients',
        'confidence',
        'organisation',
        'receptiveness-to-feedback',
        'teamwork',
        'documentation',
        'fund-of-knowledge',
        'empathy',
        'reliability',
      ]),
    );
  });
});

describe('lexicon validation', () => {
  it('names the field at fault', () => {
    const lexicon = structuredClone(getDefaultLexicon()) as unknown as {
      domains: { themes: { key: string; cues: { phrase: string; weight: number }[] }[] }[];
      threshold: number;
    };
    lexicon.domains[1]!.themes[0]!.cues[2]!.weight = 9;
    const result = parseLexicon(lexicon);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.field).toBe('domains.1.themes.0.cues.2.weight');

    const badPhrase = structuredClone(getDefaultLexicon());
    badPhrase.domains[0]!.themes[1]!.cues[0]!.phrase = 'exam * ';
    const second = parseLexicon(badPhrase);
    expect(second).toMatchObject({ ok: false, issues: [{ field: 'domains.0.themes.1.cues.0.phrase' }] });
  });

  it('refuses duplicate theme keys and duplicate cues within a theme', () => {
    const lexicon = structuredClone(getDefaultLexicon());
    lexicon.domains[2]!.themes[0]!.key = lexicon.domains[0]!.themes[0]!.key;
    lexicon.domains[3]!.themes[0]!.cues.push({ phrase: ' PUNCTUAL ', weight: 1 });
    const result = parseLexicon(lexicon);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining([
        'domains.2.themes.0.key',
        `domains.3.themes.0.cues.${lexicon.domains[3]!.themes[0]!.cues.length - 1}.phrase`,
      ]),
    );
  });

  it('refuses malformed cue phrases', () => {
    for (const phrase of ['*', '* late', 'late *', 'mid*dle', 'a*', '']) {
      const issues = issuesOf({ themes: [{ key: 'reliability', addCues: [{ phrase }] }] });
      expect(issues[0]!.field, phrase).toBe('themes.0.addCues.0.phrase');
    }
  });
});

describe('mergeLexicon', () => {
  it('changes only what the program edited and keeps the default for the rest', () => {
    const lexicon = merged({
      threshold: 1.5,
      themes: [
        {
          key: 'reliability',
          label: 'Dependability',
          addCues: [{ phrase: 'clocked in', weight: 2, polarity: 'strength' }],
        },
      ],
    });
    expect(lexicon.threshold).toBe(1.5);
    const reliability = lexicon.domains
      .find((d) => d.key === 'professionalism')!
      .themes.find((t) => t.key === 'reliability')!;
    expect(reliability.label).toBe('Dependability');
    expect(reliability.cues.at(-1)).toEqual({ phrase: 'clocked in', weight: 2, polarity: 'strength' });
    expect(themeKeys(lexicon)).toEqual(themeKeys(getDefaultLexicon()));
    // The default itself is untouched.
    expect(getDefaultLexicon().threshold).toBe(1);
  });

  it('adds a new theme, moves one between domains, and turns themes and domains off', () => {
    const lexicon = merged({
      domains: [{ key: 'personal_career', enabled: false }],
      themes: [
        {
          key: 'research',
          domain: 'practice_based_learning',
          label: 'Research',
          addCues: [{ phrase: 'research project' }, { phrase: 'abstract' }],
        },
        { key: 'organisation', domain: 'professionalism' },
        { key: 'empathy', enabled: false },
      ],
    });
    expect(lexicon.domains.map((d) => d.key)).not.toContain('personal_career');
    expect(themeKeys(lexicon)).not.toContain('confidence');
    expect(themeKeys(lexicon)).not.toContain('empathy');
    expect(lexicon.domains.find((d) => d.key === 'professionalism')!.themes.map((t) => t.key)).toContain(
      'organisation',
    );
    const compiled = compileLexicon(lexicon);
    const tags = tagNarrative('She presented an abstract from her research project and was very organized.', compiled);
    expect(tags.themes.map((t) => [t.theme, t.domain])).toEqual(
      expect.arrayContaining([
        ['research', 'practice_based_learning'],
        ['organisation', 'professionalism'],
      ]),
    );
    expect(tagNarrative('She lacks confidence.', compiled).sentences).toEqual([]);
  });

  it('replaces a cue with the same phrase instead of adding it twice, and removes cues', () => {
    const lexicon = merged({
      themes: [
        {
          key: 'reliability',
          addCues: [{ phrase: 'Late', weight: 3, polarity: 'concern' }],
          removeCues: ['tardy'],
        },
      ],
    });
    const cues = lexicon.domains.find((d) => d.key === 'professionalism')!.themes[0]!.cues;
    expect(cues.filter((c) => c.phrase.toLowerCase() === 'late')).toEqual([
      { phrase: 'Late', weight: 3, polarity: 'concern' },
    ]);
    expect(cues.map((c) => c.phrase)).not.toContain('tardy');
    expect(tagNarrative('He was often tardy.', compileLexicon(lexicon)).themes.map((t) => t.theme)).not.toContain(
      'reliability',
    );
  });

  it('moves a polarity phrase to the side it is added to', () => {
    const lexicon = merged({ polarity: { addStrength: [{ phrase: 'quiet', weight: 1 }], remove: ['good'] } });
    expect(lexicon.polarity.strength.map((c) => c.phrase)).toContain('quiet');
    expect(lexicon.polarity.strength.map((c) => c.phrase)).not.toContain('good');
    const flipped = merged({ polarity: { addConcern: [{ phrase: 'excellent', weight: 1 }] } });
    expect(flipped.polarity.strength.map((c) => c.phrase)).not.toContain('excellent');
    expect(flipped.polarity.concern.map((c) => c.phrase)).toContain('excellent');
  });

  it('names the field of each edit it cannot apply', () => {
    expect(
      issuesOf({ themes: [{ key: 'bedside-ultrasound', label: 'POCUS', addCues: [{ phrase: 'ultrasound' }] }] }),
    ).toEqual([{ field: 'themes.0.domain', message: 'a new theme (bedside-ultrasound) needs a domain' }]);
    expect(
      issuesOf({ themes: [{ key: 'pocus', domain: 'patient_care', addCues: [{ phrase: 'ultrasound' }] }] })[0]!.field,
    ).toBe('themes.0.label');
    expect(issuesOf({ themes: [{ key: 'pocus', domain: 'patient_care', label: 'POCUS' }] })[0]!.field).toBe(
      'themes.0.addCues',
    );
    expect(issuesOf({ themes: [{ key: 'reliability', removeCues: ['punctual', 'not a cue'] }] })).toEqual([
      { field: 'themes.0.removeCues.1', message: '"not a cue" is not a cue of theme reliability' },
    ]);
    expect(issuesOf({ themes: [{ key: 'no-such-theme', enabled: false }] })[0]!.field).toBe('themes.0.key');
    expect(
      issuesOf({
        domains: [{ key: 'personal_career', enabled: false }],
        themes: [{ key: 'mentoring', domain: 'personal_career', label: 'Mentoring', addCues: [{ phrase: 'mentor' }] }],
      })[0]!.field,
    ).toBe('themes.0.domain');
    expect(issuesOf({ themes: [{ key: 'Bad Key' }] })[0]!.field).toBe('themes.0.key');
    expect(issuesOf({ threshold: 0 })[0]!.field).toBe('threshold');
    expect(issuesOf({ domains: [{ key: 'surgery' }] })[0]!.field).toBe('domains.0.key');
    expect(issuesOf({ polarity: { remove: ['not there'] } })[0]!.field).toBe('polarity.remove.0');
    expect(issuesOf({ ignore: { remove: ['not there'] } })[0]!.field).toBe('ignore.remove.0');
    const allOff = [
      'patient_care',
      'medical_knowledge',
      'interpersonal_communication',
      'professionalism',
      'practice_based_learning',
      'systems_based_practice',
      'personal_career',
    ].map((key) => ({ key, enabled: false }));
    expect(issuesOf({ domains: allOff })[0]!.field).toBe('domains');
  });

  it('refuses to leave a theme without cues', () => {
    const cues = getDefaultLexicon()
      .domains[3]!.themes.find((t) => t.key === 'reliability')!
      .cues.map((c) => c.phrase);
    expect(issuesOf({ themes: [{ key: 'reliability', removeCues: cues }] })).toEqual([
      { field: 'themes.0.removeCues', message: 'theme reliability would be left without cues' },
    ]);
  });

  it('adds and removes ignored phrases', () => {
    const lexicon = merged({ ignore: { add: ['time management course'], remove: ['family medicine'] } });
    const compiled = compileLexicon(lexicon);
    expect(tagNarrative('She took the time management course.', compiled).sentences).toEqual([]);
    const clinic = 'She joined the family medicine clinic.';
    expect(tagNarrative(clinic).sentences).toEqual([]);
    expect(tagNarrative(clinic, compiled).themes.map((t) => t.theme)).toContain('communication-with-patients');
  });
});
