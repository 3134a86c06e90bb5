import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DemoSchool } from './seed-demo.ts';
import { NOT_RUN_REASON, summarizeRound } from '../matching/round-summary.ts';

const DAY = 86_400_000;

/**
 * The mentoring side of the demo school: the cadence and agenda the longitudinal program asks
 * for, one recent meeting for each of its pairings, and a full record for the demo student and
 * mentor (meetings with summaries, private notes, reflections, action items, a development plan),
 * so every page has something real to show.
 */
/** The agenda topic that counts as a review of the development plan. */
const PLAN_TOPIC = 'Development plan: goals and progress';

export async function seedDemoMentoring(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const programId = (slug: string) => school.programs.find((p) => p.slug === slug)!.id!;
  const phaseId = (key: string) => school.phases.find((p) => p.key === key)!.id!;
  const userId = (email: string) => school.users.find((u) => u.email === email)!.id!;
  const longitudinal = programId('longitudinal-mentorship');

  await trx
    .insertInto('cadence_rules')
    .values([
      {
        program_id: longitudinal,
        phase_id: null,
        interval_count: 1,
        interval_unit: 'month',
        min_duration_minutes: 30,
        grace_days: 7,
      },
      {
        program_id: longitudinal,
        phase_id: phaseId('pre_clerkship'),
        interval_count: 1,
        interval_unit: 'month',
        min_duration_minutes: 30,
        grace_days: 7,
      },
      {
        program_id: longitudinal,
        phase_id: phaseId('clerkship'),
        interval_count: 6,
        interval_unit: 'week',
        min_duration_minutes: 30,
        grace_days: 7,
      },
      {
        program_id: longitudinal,
        phase_id: phaseId('post_clerkship'),
        interval_count: 2,
        interval_unit: 'month',
        min_duration_minutes: 30,
        grace_days: 14,
      },
    ])
    .execute();

  const defaultTemplate = await trx
    .insertInto('agenda_templates')
    .values({ program_id: longitudinal, phase_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const clerkshipTemplate = await trx
    .insertInto('agenda_templates')
    .values({ program_id: longitudinal, phase_id: phaseId('clerkship') })
    .returning('id')
    .executeTakeFirstOrThrow();
  const topics = (templateId: string, list: [string, boolean, boolean?][]) =>
    list.map(([title, required, coversPlan = false], ordinal) => ({
      template_id: templateId,
      title,
      required,
      ordinal,
      covers_plan: coversPlan,
    }));
  await trx
    .insertInto('agenda_topics')
    .values([
      ...topics(defaultTemplate.id, [
        ['Review of this month’s records', true],
        ['Wellbeing', true],
        [PLAN_TOPIC, true, true],
        ['Career exploration', false],
        ['Professional identity', false],
      ]),
      ...topics(clerkshipTemplate.id, [
        ['Review of this month’s records and clerkship evaluations', true],
        ['Wellbeing', true],
        ['Feedback on the wards: what went well, what to change', true],
        [PLAN_TOPIC, true, true],
        ['Specialty choice and career exploration', false],
      ]),
    ])
    .execute();

  // One recent meeting for every active longitudinal pairing, 10 to 40 days ago, so cadence has history.
  const active = await trx
    .selectFrom('pairings')
    .select(['id', 'student_id', 'mentor_id'])
    .where('program_id', '=', longitudinal)
    .where('status', '=', 'active')
    .orderBy('student_id')
    .execute();
  const demoStudent = userId('student@demo.medmentor.test');
  const demoMentor = userId('mentor@demo.medmentor.test');
  const routine = active
    .filter((p) => p.student_id !== demoStudent)
    .map((p, index) => ({
      pairing_id: p.id,
      status: 'completed' as const,
      starts_at: new Date(now.getTime() - (10 + (index % 31)) * DAY),
      duration_minutes: 45,
      actual_minutes: 30 + (index % 4) * 10,
      proposed_by: p.mentor_id,
    }));
  const routineIds: string[] = [];
  for (let i = 0; i < routine.length; i += 200) {
    const rows = await trx
      .insertInto('meetings')
      .values(routine.slice(i, i + 200))
      .returning('id')
      .execute();
    routineIds.push(...rows.map((row) => row.id));
  }
  // What those meetings covered: records and wellbeing always; the development plan at nine in ten,
  // so the compliance dashboard shows a program mostly on track with a few plans still to review.
  const routineAgenda = routineIds.flatMap((meetingId, index) =>
    [
      ['Review of this month’s records', false],
      ['Wellbeing', false],
      [PLAN_TOPIC, true],
    ].map(([title, coversPlan], ordinal) => ({
      meeting_id: meetingId,
      title: title as string,
      required: true,
      source: 'template' as const,
      covered: !coversPlan || index % 10 !== 7,
      covers_plan: coversPlan as boolean,
      ordinal,
    })),
  );
  for (let i = 0; i < routineAgenda.length; i += 300) {
    await trx
      .insertInto('meeting_agenda_items')
      .values(routineAgenda.slice(i, i + 300))
      .execute();
  }

  const pairing = active.find((p) => p.student_id === demoStudent && p.mentor_id === demoMentor);
  if (!pairing) throw new Error('Demo seed: the demo student has no pairing with the demo mentor');
  const at = (daysAgo: number, hourUtc: number) => {
    const d = new Date(now.getTime() - daysAgo * DAY);
    d.setUTCHours(hourUtc, 0, 0, 0);
    return d;
  };
  const record = [
    {
      daysAgo: 75,
      summary:
        'Started the clerkship year. Talked through how evaluations work on each rotation and how to ask for mid-rotation feedback.',
      nextSteps: 'Ask each attending for five minutes of feedback at the end of week two.',
      privateNotes: 'Sofia is anxious about surgery; check in on sleep and workload next time.',
      reflection: 'I had not thought of asking for feedback early. It feels less scary now that I know it is expected.',
      items: [['student', 'Ask for mid-rotation feedback on internal medicine', true]] as const,
    },
    {
      daysAgo: 35,
      summary:
        'Reviewed the internal medicine evaluation together: strong patient rapport; presentations could be more concise. Planned a presentation structure to practise.',
      nextSteps: 'Practise one-minute presentations; bring two examples next time.',
      privateNotes: 'Much more settled. Theme across evaluations: organisation of presentations.',
      reflection: 'Seeing the same comment twice helped me believe it. I am practising the structure every morning.',
      items: [
        ['student', 'Practise the one-minute presentation structure daily for two weeks', false],
        ['mentor', 'Send the article on oral case presentations', true],
      ] as const,
    },
  ];
  for (const entry of record) {
    const meeting = await trx
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        status: 'completed',
        starts_at: at(entry.daysAgo, 16),
        duration_minutes: 45,
        actual_minutes: 50,
        location: 'Medical Education building, room 214',
        proposed_by: demoStudent,
        shared_summary: entry.summary,
        next_steps: entry.nextSteps,
        version: 3,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('meeting_private_notes')
      .values({ meeting_id: meeting.id, author_id: demoMentor, body: entry.privateNotes })
      .execute();
    await trx
      .insertInto('meeting_reflections')
      .values({ meeting_id: meeting.id, author_id: demoStudent, body: entry.reflection })
      .execute();
    await trx
      .insertInto('action_items')
      .values(
        entry.items.map(([owner, description, done]) => ({
          meeting_id: meeting.id,
          owner,
          description,
          done_at: done ? at(entry.daysAgo - 7, 12) : null,
        })),
      )
      .execute();
    await trx
      .insertInto('meeting_agenda_items')
      .values(
        [
          'Review of this month’s records and clerkship evaluations',
          'Wellbeing',
          'Feedback on the wards: what went well, what to change',
          PLAN_TOPIC,
        ].map((title, ordinal) => ({
          meeting_id: meeting.id,
          title,
          required: true,
          source: 'template' as const,
          covered: true,
          covers_plan: title === PLAN_TOPIC,
          ordinal,
        })),
      )
      .execute();
  }
  const upcoming = await trx
    .insertInto('meetings')
    .values({
      pairing_id: pairing.id,
      status: 'scheduled',
      starts_at: at(-6, 16),
      duration_minutes: 45,
      location: 'Video call',
      video_url: 'https://meet.example.edu/okafor-ramirez',
      proposed_by: demoMentor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('meeting_agenda_items')
    .values([
      {
        meeting_id: upcoming.id,
        title: 'Review of this month’s records and clerkship evaluations',
        required: true,
        source: 'template',
        ordinal: 0,
      },
      { meeting_id: upcoming.id, title: 'Wellbeing', required: true, source: 'template', ordinal: 1 },
      {
        meeting_id: upcoming.id,
        title: 'Feedback on the wards: what went well, what to change',
        required: true,
        source: 'template',
        ordinal: 2,
      },
      {
        meeting_id: upcoming.id,
        title: PLAN_TOPIC,
        required: true,
        source: 'template',
        covers_plan: true,
        ordinal: 3,
      },
      {
        meeting_id: upcoming.id,
        title: 'How do I choose between pediatrics and family medicine?',
        required: false,
        source: 'student',
        ordinal: 4,
        added_by: demoStudent,
      },
    ])
    .execute();

  const goals = await trx
    .insertInto('development_goals')
    .values([
      {
        student_id: demoStudent,
        domain: 'interpersonal_communication',
        title: 'Give concise oral case presentations',
        description: 'Use a one-minute structure: one-liner, key findings, assessment, plan.',
        created_by: demoStudent,
      },
      {
        student_id: demoStudent,
        domain: 'personal_career',
        title: 'Decide between pediatrics and family medicine',
        description: 'Shadow in both clinics before the spring.',
        target_on: new Date(now.getTime() + 150 * DAY).toISOString().slice(0, 10),
        created_by: demoMentor,
      },
    ])
    .returning('id')
    .execute();
  await trx
    .insertInto('goal_progress_notes')
    .values([
      {
        goal_id: goals[0]!.id,
        author_id: demoMentor,
        body: 'Second evaluation in a row mentions presentations; practising daily.',
      },
      { goal_id: goals[1]!.id, author_id: demoStudent, body: 'Booked a half day in the pediatric clinic.' },
    ])
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Matching: profiles, weights and one draft round

const SPECIALTY_INTERESTS = [
  'Internal Medicine',
  'Pediatrics',
  'Surgery',
  'Family Medicine',
  'Psychiatry',
  'Emergency Medicine',
  'Obstetrics & Gynecology',
  'Neurology',
  'Radiology',
  'Anesthesiology',
  'Dermatology',
  'Global Health',
] as const;
const TOPIC_KEYS = [
  'specialty-choice',
  'wellness',
  'research-vs-clinical',
  'first-generation',
  'finances',
  'parenting-in-training',
  'dual-physician-couple',
] as const;
const SECOND_LANGUAGES = ['Spanish', 'French', 'Mandarin', 'Arabic', 'Hindi', 'Portuguese', 'Korean'] as const;

/** The i-th item of a list, cycling: the demo's choices are spread by position, the same every time. */
const cycle = <T>(items: readonly T[], i: number): T => items[((i % items.length) + items.length) % items.length]!;

/**
 * Matching for the demo school: every mentor's profile (their department as a specialty, topics
 * they speak to, languages, campus, and a capacity one or two above their mentees today), every
 * student's (interests, topics wanted, languages), the two programs' weights, and one draft round
 * for the first-years still without a longitudinal mentor (Kwame Mensah among them), so a director
 * signs in to a round ready to run. Kwame ranks a pediatrician the firewall allows for him.
 */
export async function seedDemoMatching(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const programId = (slug: string) => school.programs.find((p) => p.slug === slug)!.id!;
  const longitudinal = programId('longitudinal-mentorship');
  const career = programId('career-advising');
  const director = school.users.find((u) => u.email === 'director@demo.medmentor.test')!.id!;
  const kwame = school.users.find((u) => u.email === 'student.unmatched@demo.medmentor.test')!.id!;

  const mentorIds = [...new Set(school.roleGrants.filter((g) => g.role === 'mentor').map((g) => g.user_id))].sort();
  const activeMentees = (mentorId: string) =>
    school.pairings.filter((p) => p.mentor_id === mentorId && p.status === 'active').length;
  const faculty = new Map(school.faculty.map((f) => [f.user_id, f]));
  await trx
    .insertInto('mentor_matching_profiles')
    .values(
      mentorIds.map((mentorId, i) => {
        const f = faculty.get(mentorId);
        const department = f?.department ?? 'Internal Medicine';
        return {
          mentor_id: mentorId,
          specialties: i % 4 === 0 ? [department, 'Global Health'] : [department],
          topics: [cycle(TOPIC_KEYS, i), cycle(TOPIC_KEYS, i + 3), ...(i % 3 === 0 ? ['wellness'] : [])].filter(
            (t, k, all) => all.indexOf(t) === k,
          ),
          languages: i % 3 === 0 ? ['English', cycle(SECOND_LANGUAGES, i)] : ['English'],
          campus: f?.campus ?? null,
          capacity: Math.min(30, activeMentees(mentorId) + (i % 3 === 0 ? 2 : 1)),
          updated_at: now,
        };
      }),
    )
    .execute();

  const students = [...school.students].sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
  const profiles = students.map((s, i) => {
    const first = cycle(SPECIALTY_INTERESTS, i * 7);
    const second = cycle(SPECIALTY_INTERESTS, i * 7 + 3);
    return {
      student_id: s.user_id,
      interests: i % 3 === 0 ? [first] : [first, second],
      topics_wanted: i % 2 === 0 ? [cycle(TOPIC_KEYS, i)] : [cycle(TOPIC_KEYS, i), cycle(TOPIC_KEYS, i + 2)],
      languages: i % 5 === 0 ? ['English', cycle(SECOND_LANGUAGES, i)] : ['English'],
      campus: s.campus ?? null,
      updated_at: now,
    };
  });
  const mine = profiles.find((p) => p.student_id === kwame)!;
  Object.assign(mine, {
    interests: ['Pediatrics', 'Global Health'],
    topics_wanted: ['first-generation', 'finances'],
    languages: ['English', 'Twi'],
  });
  for (let i = 0; i < profiles.length; i += 250) {
    await trx
      .insertInto('student_matching_profiles')
      .values(profiles.slice(i, i + 250))
      .execute();
  }

  // Kwame ranks a pediatrician of the program whom the firewall allows for him.
  const kwameRow = school.students.find((s) => s.user_id === kwame)!;
  const kwameCourses = new Set(school.courseEnrollments.filter((e) => e.student_id === kwame).map((e) => e.course_id));
  const assessesKwame = (mentorId: string) =>
    school.assessments.some(
      (a) =>
        a.assessor_id === mentorId &&
        (a.student_id === kwame ||
          a.cohort_id === kwameRow.cohort_id ||
          (a.course_id != null && kwameCourses.has(a.course_id))),
    );
  const excludedForKwame = new Set(
    school.programExclusions.filter((e) => e.student_id === kwame).map((e) => e.mentor_id),
  );
  const longitudinalMentors = new Set(
    school.roleGrants.filter((g) => g.role === 'mentor' && g.program_id === longitudinal).map((g) => g.user_id),
  );
  const pediatrician = mentorIds.find(
    (id) =>
      longitudinalMentors.has(id) &&
      faculty.get(id)?.department === 'Pediatrics' &&
      !assessesKwame(id) &&
      !excludedForKwame.has(id),
  );
  if (!pediatrician) throw new Error('Demo seed: no pediatrician may mentor the unmatched student');
  await trx
    .insertInto('student_mentor_preferences')
    .values({ student_id: kwame, mentor_id: pediatrician, rank: 1 })
    .execute();

  await trx
    .insertInto('program_matching_weights')
    .values([
      {
        program_id: longitudinal,
        specialty: 4,
        topics: 3,
        language: 1,
        campus: 2,
        preference: 3,
        common_languages: ['English'],
        updated_by: director,
        updated_at: now,
      },
      {
        program_id: career,
        specialty: 6,
        topics: 2,
        language: 1,
        campus: 1,
        preference: 3,
        common_languages: ['English'],
        updated_by: director,
        updated_at: now,
      },
    ])
    .execute();

  // The draft round: Kwame's class, everyone in it without an active longitudinal mentor.
  const cohort = school.cohorts.find((c) => c.id === kwameRow.cohort_id)!;
  const paired = new Set(
    school.pairings.filter((p) => p.program_id === longitudinal && p.status === 'active').map((p) => p.student_id),
  );
  const waiting = school.students
    .filter((s) => s.cohort_id === cohort.id && !paired.has(s.user_id))
    .map((s) => s.user_id)
    .sort();
  const round = await trx
    .insertInto('matching_rounds')
    .values({
      program_id: longitudinal,
      cohort_id: cohort.id!,
      name: `${cohort.name}: students waiting for a mentor`,
      summary: JSON.stringify(
        summarizeRound(
          waiting.map(() => null),
          null,
        ),
      ),
      created_by: director,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('matching_round_assignments')
    .values(
      waiting.map((studentId) => ({
        round_id: round.id,
        student_id: studentId,
        mentor_id: null,
        score: null,
        source: null,
        unplaced_reason: NOT_RUN_REASON,
        updated_at: now,
      })),
    )
    .execute();
}
