import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMPATIBILITY_WEIGHTS,
  scoreAllowedPairs,
  scoreCompatibility,
  type MentorProfile,
  type StudentProfile,
} from './compatibility.ts';

const mentor: MentorProfile = {
  id: 'dr-ruiz',
  specialties: ['Pediatrics', 'Emergency Medicine'],
  topics: ['first-generation', 'parenting-in-training', 'Global health'],
  languages: ['English', 'Spanish'],
  campus: 'North',
};

const student: StudentProfile = {
  id: 'ana',
  interests: ['pediatrics', 'surgery'],
  topicsWanted: ['first-generation', 'finances'],
  languages: ['english', 'spanish'],
  campus: 'north ',
  preferences: ['dr-kim', 'dr-ruiz'],
};

const options = { weights: DEFAULT_COMPATIBILITY_WEIGHTS, commonLanguages: ['English'] };

describe('compatibility', () => {
  it('explains a score in words, strongest attribute first', () => {
    const result = scoreCompatibility(student, mentor, options);
    expect(result.reasons).toEqual([
      'both: interest in pediatrics',
      'mentee ranked this mentor #2',
      'mentor speaks to first-generation experience',
      'same campus',
      'shared language: spanish',
    ]);
    // specialty 4·½ + topics 3·½ + language 1 + campus 1 + preference 3·½ = 7 of 12 → 583.
    expect(result.score).toBe(583);
  });

  it('scores exactly 1000 when everything the student asked for is there, whatever the weights', () => {
    const perfect: StudentProfile = {
      id: 'ben',
      interests: ['Pediatrics'],
      topicsWanted: ['parenting-in-training'],
      languages: ['Spanish'],
      campus: 'North',
      preferences: ['dr-ruiz'],
    };
    expect(scoreCompatibility(perfect, mentor, options).score).toBe(1000);
    const odd = { specialty: 7, topics: 1, language: 13, campus: 2, preference: 5 };
    expect(scoreCompatibility(perfect, mentor, { weights: odd }).score).toBe(1000);
  });

  it('gives nothing for the language everyone shares, and nothing for attributes weighted 0', () => {
    const onlyEnglish: StudentProfile = { ...student, languages: ['English'] };
    expect(scoreCompatibility(onlyEnglish, mentor, options).reasons).not.toContain('shared language: English');
    const noCampus = { ...DEFAULT_COMPATIBILITY_WEIGHTS, campus: 0 };
    expect(scoreCompatibility(student, mentor, { weights: noCampus }).reasons).not.toContain('same campus');
  });

  it('scores a stranger 0 with no reasons', () => {
    const stranger: StudentProfile = { id: 'c', interests: ['dermatology'], topicsWanted: [], languages: [] };
    expect(scoreCompatibility(stranger, mentor, options)).toEqual({ score: 0, reasons: [] });
  });

  it('is deterministic and integer for any input order', () => {
    const shuffled: MentorProfile = { ...mentor, specialties: [...mentor.specialties].reverse() };
    const a = scoreCompatibility(student, mentor, options);
    const b = scoreCompatibility(student, shuffled, options);
    expect(b).toEqual(a);
    expect(Number.isInteger(a.score)).toBe(true);
  });

  it('rejects negative or fractional weights', () => {
    expect(() =>
      scoreCompatibility(student, mentor, { weights: { ...DEFAULT_COMPATIBILITY_WEIGHTS, topics: -1 } }),
    ).toThrow(/topics/);
    expect(() =>
      scoreCompatibility(student, mentor, { weights: { ...DEFAULT_COMPATIBILITY_WEIGHTS, campus: 0.5 } }),
    ).toThrow(/campus/);
  });

  it('never scores a forbidden pair', () => {
    const pairs = scoreAllowedPairs(
      [student],
      [mentor, { ...mentor, id: 'dr-kim' }],
      options,
      (_s, m) => m !== 'dr-kim',
    );
    expect(pairs.map((p) => p.mentorId)).toEqual(['dr-ruiz']);
  });
});
