import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';
import type { Me } from '../../../common/api.ts';
import type { ApiError } from '../api/client.ts';
import type { Program } from '../api/firewall-schemas.ts';
import { fetchPrograms } from '../api/people.ts';
import { useResource } from '../api/use-resource.ts';
import { hasRole } from '../format.ts';
import { useMe } from '../session/session-context.ts';

/** What the page does with a program: run it (pairings, conflicts, exclusions) or audit it (the access log). */
export type ProgramUse = 'manage' | 'audit';

const STORAGE_KEY = 'medmentor:program';

/** Program directors run their programs; administrators run every program; deans audit every program. */
export const canManagePrograms = (me: Me): boolean => hasRole(me, 'director') || hasRole(me, 'admin');
export const canAuditPrograms = (me: Me): boolean => canManagePrograms(me) || hasRole(me, 'dean');

export type ProgramChoice =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError; retry: () => void }
  | { status: 'none' }
  | { status: 'ready'; programs: Program[]; program: Program; choose: (programId: string) => void };

function programsFor(me: Me, use: ProgramUse, all: Program[]): Program[] {
  const everything = hasRole(me, 'admin') || (use === 'audit' && hasRole(me, 'dean'));
  const directed = new Set(me.roles.filter((grant) => grant.role === 'director').map((grant) => grant.programId));
  return all.filter((program) => everything || directed.has(program.id)).sort((a, b) => a.name.localeCompare(b.name));
}

function remembered(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The program a director's page is about: the one in `?program=`, else the one they chose last
 * (so moving from Pairings to Conflicts stays on the same program), else the first.
 */
export function useProgramChoice(use: ProgramUse): ProgramChoice {
  const me = useMe();
  const programs = useResource(fetchPrograms);
  const [params, setParams] = useSearchParams();
  const requested = params.get('program');

  const choose = useCallback(
    (programId: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('program', programId);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const available = programs.status === 'loaded' ? programsFor(me, use, programs.data) : [];
  const program =
    available.find((p) => p.id === requested) ?? available.find((p) => p.id === remembered()) ?? available[0];

  const programId = program?.id;
  useEffect(() => {
    if (!programId) return;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, programId);
    } catch {
      // Private browsing without storage: the choice just is not remembered.
    }
  }, [programId]);

  if (programs.status === 'loading') return { status: 'loading' };
  if (programs.status === 'failed') return { status: 'failed', error: programs.error, retry: programs.retry };
  if (!program) return { status: 'none' };
  return { status: 'ready', programs: available, program, choose };
}
