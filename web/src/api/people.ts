/** The institution's directory, for pickers: people by role and name, and the programs a person runs. */
import type { Role } from '../../../common/api.ts';
import { PeoplePageSchema, ProgramListSchema, type Person, type Program } from './firewall-schemas.ts';
import { parse, request, withQuery } from './client.ts';

export interface PeopleQuery {
  role: Role;
  search: string;
  /** Only people holding a role (such as mentor) in this program. */
  programId?: string | undefined;
  limit?: number;
}

export async function searchPeople(
  query: PeopleQuery,
  signal?: AbortSignal,
): Promise<{ people: Person[]; total: number }> {
  const path = withQuery('/api/people', {
    role: query.role,
    search: query.search.trim(),
    programId: query.programId,
    status: 'active',
    limit: query.limit ?? 20,
  });
  const page = parse(PeoplePageSchema, await request(path, { signal }), path);
  return { people: page.items, total: page.total };
}

export async function fetchPrograms(signal?: AbortSignal): Promise<Program[]> {
  return parse(ProgramListSchema, await request('/api/programs', { signal }), '/api/programs').items;
}
