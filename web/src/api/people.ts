/** The institution's directory, for pickers: people by role and name, and the programs a person runs. */
import type { Role } from '../../../common/api.ts';
import { PeoplePageSchema, ProgramListSchema, type Person, type Program } from './firewall-schemas.ts';
import { parse, request } from './client.ts';

export interface PeopleQuery {
  role: Role;
  search: string;
  /** Only people holding a role (such as mentor) in this program. */
  programId?: string | undefined;
  limit?: number;
}

/** Active people of a role whose name or email matches; the words go in the body, never the URL. */
export async function searchPeople(
  query: PeopleQuery,
  signal?: AbortSignal,
): Promise<{ people: Person[]; total: number }> {
  const page = await postPeopleSearch(
    {
      role: query.role,
      search: query.search.trim(),
      programId: query.programId,
      status: 'active',
      limit: query.limit ?? 20,
    },
    signal,
  );
  return { people: page.items, total: page.total };
}

/** The filters of POST /api/people/search; the search words stay out of the URL (proxies and history keep it). */
export interface PeopleSearch {
  role?: Role | undefined;
  search: string;
  programId?: string | undefined;
  cohortId?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export async function postPeopleSearch(
  filters: PeopleSearch,
  signal?: AbortSignal,
): Promise<{ items: Person[]; total: number }> {
  const path = '/api/people/search';
  return parse(PeoplePageSchema, await request(path, { method: 'POST', body: filters, read: true, signal }), path);
}

export async function fetchPrograms(signal?: AbortSignal): Promise<Program[]> {
  return parse(ProgramListSchema, await request('/api/programs', { signal }), '/api/programs').items;
}
