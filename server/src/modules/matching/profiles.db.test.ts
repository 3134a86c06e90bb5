import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';

type User = Awaited<ReturnType<typeof makeUser>>;

describe(`matching profiles and weights on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let mentor: User;
  let assessingMentor: User;
  let excludedMentor: User;
  let student: User;
  let as: Record<'mentor' | 'student' | 'director' | 'dean', ReturnType<typeof asBrowser>>;

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    mentor = await makeUser(db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    assessingMentor = await makeUser(db, school, { roles: ['mentor', 'assessor'], name: 'Farah Haddad' });
    excludedMentor = await makeUser(db, school, { roles: ['mentor'], name: 'Ben Carter' });
    student = await makeUser(db, school, { roles: ['student'] });
    const director = await makeUser(db, school, { roles: ['director'] });
    const dean = await makeUser(db, school, { roles: ['dean'] });
    await makeAssessment(db, school, assessingMentor.id, { studentId: student.id });
    await db
      .insertInto('program_exclusions')
      .values({ program_id: school.program.id, student_id: student.id, mentor_id: excludedMentor.id, reason: 'Family' })
      .execute();
    const browser = async (u: User) => asBrowser(t.app, await signIn(t.app, u.email, TEST_PASSWORD));
    as = {
      mentor: await browser(mentor),
      student: await browser(student),
      director: await browser(director),
      dean: await browser(dean),
    };
  });
  afterAll(() => t.close());

  const mentorInput = {
    specialties: ['Pediatrics', ' pediatrics ', 'Family Medicine'],
    topics: ['first-generation', 'wellness'],
    languages: ['Spanish'],
    campus: 'Main campus',
    capacity: 4,
  };

  it('shows each person the profiles they can have', async () => {
    const ofMentor = (await as.mentor('GET', '/api/me/matching-profile')).json();
    expect(ofMentor.student).toBeNull();
    expect(ofMentor.mentor).toMatchObject({ specialties: [], capacity: 0, updatedAt: null, activeMentees: 0 });
    const ofStudent = (await as.student('GET', '/api/me/matching-profile')).json();
    expect(ofStudent.mentor).toBeNull();
    expect(ofStudent.student).toMatchObject({ interests: [], preferences: [], preferredMentors: [], updatedAt: null });
    expect((await as.director('GET', '/api/me/matching-profile')).json()).toEqual({ mentor: null, student: null });
  });

  it('saves a mentor’s own profile, each label once', async () => {
    const response = await as.mentor('PUT', '/api/me/matching-profile/mentor', mentorInput);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().mentor).toMatchObject({
      specialties: ['Pediatrics', 'Family Medicine'],
      topics: ['first-generation', 'wellness'],
      capacity: 4,
      campus: 'Main campus',
    });
    expect(response.json().mentor.updatedAt).not.toBeNull();
  });

  it('names the field of bad profile input', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...mentorInput, capacity: 31 }, 'capacity'],
      [{ ...mentorInput, capacity: 2.5 }, 'capacity'],
      [{ ...mentorInput, specialties: ['Pediatrics', '   '] }, 'specialties.1'],
      [{ ...mentorInput, languages: Array.from({ length: 31 }, (_, i) => `L${i}`) }, 'languages'],
      [{ ...mentorInput, campus: 'x'.repeat(81) }, 'campus'],
    ];
    for (const [body, field] of cases) {
      const response = await as.mentor('PUT', '/api/me/matching-profile/mentor', body);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
    const noPrefs = await as.student('PUT', '/api/me/matching-profile/student', {
      interests: ['Pediatrics'],
      topicsWanted: [],
      languages: [],
      campus: null,
    });
    expect(noPrefs.statusCode).toBe(400);
    expect(noPrefs.json().error.field).toBe('preferences');
  });

  it('lets only a mentor edit a mentor profile and only a student a student profile', async () => {
    expect((await as.student('PUT', '/api/me/matching-profile/mentor', mentorInput)).statusCode).toBe(403);
    expect((await as.director('PUT', '/api/me/matching-profile/mentor', mentorInput)).statusCode).toBe(403);
    const studentInput = { interests: [], topicsWanted: [], languages: [], campus: null, preferences: [] };
    expect((await as.mentor('PUT', '/api/me/matching-profile/student', studentInput)).statusCode).toBe(403);
    expect((await as.dean('GET', '/api/me/matching-profile/mentor-choices')).statusCode).toBe(403);
  });

  it('offers a student only the mentors the firewall allows, and refuses any other preference', async () => {
    const choices = await as.student('GET', '/api/me/matching-profile/mentor-choices');
    expect(choices.statusCode).toBe(200);
    const ids = (choices.json().mentors as { id: string }[]).map((m) => m.id);
    expect(ids).toContain(mentor.id);
    expect(ids).not.toContain(assessingMentor.id);
    expect(ids).not.toContain(excludedMentor.id);
    expect(choices.json().mentors.find((m: { id: string }) => m.id === mentor.id)).toMatchObject({
      specialties: ['Pediatrics', 'Family Medicine'],
    });

    const base = { interests: ['Pediatrics'], topicsWanted: ['wellness'], languages: ['Spanish'], campus: null };
    for (const [preferences, field] of [
      [[mentor.id, assessingMentor.id], 'preferences.1'],
      [[excludedMentor.id], 'preferences.0'],
      [[mentor.id, mentor.id], 'preferences.1'],
      [[student.id], 'preferences.0'],
    ] as const) {
      const response = await as.student('PUT', '/api/me/matching-profile/student', { ...base, preferences });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe(field);
      // The reason stays private: no word of assessments or exclusions reaches the student.
      expect(response.json().error.message).not.toMatch(/assess|exclu|family/i);
    }
    const saved = await as.student('PUT', '/api/me/matching-profile/student', { ...base, preferences: [mentor.id] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().student).toMatchObject({
      interests: ['Pediatrics'],
      preferences: [mentor.id],
      preferredMentors: [{ id: mentor.id, name: 'Amara Okafor' }],
    });
  });

  it('keeps program weights for its director, with defaults until set, and names bad fields', async () => {
    const url = `/api/programs/${school.program.id}/matching-weights`;
    const initial = await as.director('GET', url);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toMatchObject({ specialty: 4, topics: 3, updatedAt: null, commonLanguages: [] });
    const body = { specialty: 5, topics: 2, language: 1, campus: 0, preference: 3, commonLanguages: ['English'] };
    const saved = await as.director('PUT', url, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ ...body, programId: school.program.id });
    expect((await as.director('GET', url)).json()).toMatchObject(body);
    const tooHeavy = await as.director('PUT', url, { ...body, specialty: 11 });
    expect(tooHeavy.statusCode).toBe(400);
    expect(tooHeavy.json().error.field).toBe('specialty');
    const allZero = await as.director('PUT', url, {
      ...body,
      specialty: 0,
      topics: 0,
      language: 0,
      campus: 0,
      preference: 0,
    });
    expect(allZero.statusCode).toBe(400);
    expect(allZero.json().error.field).toBe('specialty');
    expect((await as.dean('PUT', url, body)).statusCode).toBe(403);
    expect((await as.mentor('GET', url)).statusCode).toBe(403);
  });
});
