import type { ReactNode } from 'react';
import type { Program } from '../api/firewall-schemas.ts';
import { Card } from './Card.tsx';
import { LoadFailure } from './LoadFailure.tsx';
import { LoadingState } from './LoadingState.tsx';
import { PageHeader } from './PageHeader.tsx';
import { ProgramSwitcher } from './ProgramSwitcher.tsx';
import { useProgramChoice, type ProgramUse } from './use-program-choice.ts';

interface ProgramPageProps {
  use: ProgramUse;
  title: string;
  /** A sentence under the heading: what the page is for. */
  intro: ReactNode;
  /** The page's body for the chosen program; it starts afresh when another program is chosen. */
  children(program: Program): ReactNode;
}

/** The frame of a page about one program: heading, program switcher, and the body for the chosen program. */
export function ProgramPage({ use, title, intro, children }: ProgramPageProps) {
  const choice = useProgramChoice(use);
  return (
    <>
      <PageHeader title={title} eyebrow={choice.status === 'ready' ? choice.program.name : undefined}>
        <div className="lead">{intro}</div>
        {choice.status === 'ready' && (
          <ProgramSwitcher programs={choice.programs} program={choice.program} onChoose={choice.choose} />
        )}
      </PageHeader>
      {choice.status === 'loading' && <LoadingState label="Loading your programs…" />}
      {choice.status === 'failed' && <LoadFailure what="your programs" error={choice.error} retry={choice.retry} />}
      {choice.status === 'none' && (
        <Card className="empty-state">
          <h2>No program to show</h2>
          <p>You do not run a mentorship program yet. An administrator can add you as the director of one.</p>
        </Card>
      )}
      {choice.status === 'ready' && (
        <div className="page-body" key={choice.program.id}>
          {children(choice.program)}
        </div>
      )}
    </>
  );
}
