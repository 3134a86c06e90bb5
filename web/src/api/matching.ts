/**
 * The matching API: a person's own matching profile, a program's weights, and matching rounds
 * with their review (run, hand edits, publish). Every response is parsed with the schemas of
 * common/matching.ts, which the server validates against too.
 */
import {
  CandidateListSchema,
  MatchingRoundListSchema,
  MatchingRoundSchema,
  MatchingWeightsSchema,
  MentorChoiceListSchema,
  MyMatchingProfileSchema,
  type Candidate,
  type MatchingRound,
  type MatchingRoundListItem,
  type MatchingWeights,
  type MatchingWeightsInput,
  type MentorChoice,
  type MentorProfileInput,
  type MyMatchingProfile,
  type NewMatchingRound,
  type RunMatchingRound,
  type SetAssignment,
  type StudentProfileInput,
} from '../../../common/matching.ts';
import { parse, request, withQuery } from './client.ts';

const PROFILE_PATH = '/api/me/matching-profile';
const programPath = (programId: string, rest: string) => `/api/programs/${encodeURIComponent(programId)}/${rest}`;
const roundPath = (roundId: string, rest = '') =>
  `/api/matching-rounds/${encodeURIComponent(roundId)}${rest ? `/${rest}` : ''}`;

export async function fetchMyMatchingProfile(signal?: AbortSignal): Promise<MyMatchingProfile> {
  return parse(MyMatchingProfileSchema, await request(PROFILE_PATH, { signal }), PROFILE_PATH);
}

/** Bad input is a 400 naming the field (`specialties.2`, `capacity`, …). */
export async function saveMentorProfile(profile: MentorProfileInput): Promise<MyMatchingProfile> {
  const path = `${PROFILE_PATH}/mentor`;
  return parse(MyMatchingProfileSchema, await request(path, { method: 'PUT', body: profile }), path);
}

/** A preferred mentor the firewall forbids is refused, naming `preferences`. */
export async function saveStudentProfile(profile: StudentProfileInput): Promise<MyMatchingProfile> {
  const path = `${PROFILE_PATH}/student`;
  return parse(MyMatchingProfileSchema, await request(path, { method: 'PUT', body: profile }), path);
}

/** The mentors a student may rank: only those the firewall allows for them. */
export async function fetchMentorChoices(signal?: AbortSignal): Promise<MentorChoice[]> {
  const path = `${PROFILE_PATH}/mentor-choices`;
  return parse(MentorChoiceListSchema, await request(path, { signal }), path).mentors;
}

export async function fetchMatchingWeights(programId: string, signal?: AbortSignal): Promise<MatchingWeights> {
  const path = programPath(programId, 'matching-weights');
  return parse(MatchingWeightsSchema, await request(path, { signal }), path);
}

export async function saveMatchingWeights(programId: string, weights: MatchingWeightsInput): Promise<MatchingWeights> {
  const path = programPath(programId, 'matching-weights');
  return parse(MatchingWeightsSchema, await request(path, { method: 'PUT', body: weights }), path);
}

export async function fetchMatchingRounds(programId: string, signal?: AbortSignal): Promise<MatchingRoundListItem[]> {
  const path = programPath(programId, 'matching-rounds');
  return parse(MatchingRoundListSchema, await request(path, { signal }), path).rounds;
}

export async function createMatchingRound(programId: string, round: NewMatchingRound): Promise<MatchingRound> {
  const path = programPath(programId, 'matching-rounds');
  return parse(MatchingRoundSchema, await request(path, { method: 'POST', body: round }), path);
}

export async function fetchMatchingRound(roundId: string, signal?: AbortSignal): Promise<MatchingRound> {
  const path = roundPath(roundId);
  return parse(MatchingRoundSchema, await request(path, { signal }), path);
}

/** Runs the algorithm again; pinned assignments stay. A stale version is a 412 (`precondition_failed`). */
export async function runMatchingRound(roundId: string, run: RunMatchingRound): Promise<MatchingRound> {
  const path = roundPath(roundId, 'run');
  return parse(MatchingRoundSchema, await request(path, { method: 'POST', body: run }), path);
}

/** Places a student with a mentor by hand; a mentor the firewall forbids is a 422 naming `mentorId`. */
export async function setAssignment(
  roundId: string,
  studentId: string,
  assignment: SetAssignment,
): Promise<MatchingRound> {
  const path = roundPath(roundId, `assignments/${encodeURIComponent(studentId)}`);
  return parse(MatchingRoundSchema, await request(path, { method: 'PUT', body: assignment }), path);
}

/** Leaves a student unplaced in the round. */
export async function clearAssignment(roundId: string, studentId: string, version: number): Promise<MatchingRound> {
  const path = withQuery(roundPath(roundId, `assignments/${encodeURIComponent(studentId)}`), { version });
  return parse(MatchingRoundSchema, await request(path, { method: 'DELETE' }), path);
}

/** The mentors a student may have in this round, best first, with the places each has left. */
export async function fetchCandidates(roundId: string, studentId: string, signal?: AbortSignal): Promise<Candidate[]> {
  const path = roundPath(roundId, `candidates/${encodeURIComponent(studentId)}`);
  return parse(CandidateListSchema, await request(path, { signal }), path).candidates;
}

/** Creates every pairing of the round in one transaction and tells the people; a stale version is a 412. */
export async function publishMatchingRound(roundId: string, version: number): Promise<MatchingRound> {
  const path = roundPath(roundId, 'publish');
  return parse(MatchingRoundSchema, await request(path, { method: 'POST', body: { version } }), path);
}

export async function cancelMatchingRound(roundId: string, version: number): Promise<MatchingRound> {
  const path = roundPath(roundId, 'cancel');
  return parse(MatchingRoundSchema, await request(path, { method: 'POST', body: { version } }), path);
}
