import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchConflicts } from '../../api/firewall.ts';
import type { Conflict, Program } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { announceConflictsChanged } from '../../components/use-open-conflicts.ts';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDate, formatDateTime, humanize } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { ResolveConflictForm, type Resolved } from './ResolveConflictForm.tsx';
import { PAIRING_KIND_LABELS } from './firewall-text.tsx';

const TITLE = 'Conflict queue';
type Status = 'open' | 'resolved';

export function ConflictsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors"
      purpose="Directors use it to resolve pairs whose mentor has come to assess their mentee."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            A pair lands here when its mentor comes to assess their mentee, for example through a new rotation. Nothing
            is kept silently: reassign the student to another mentor or end the pairing.
          </p>
        }
      >
        {(program) => <ProgramConflicts program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramConflicts({ program }: { program: Program }) {
  const [params] = useSearchParams();
  const status: Status = params.get('status') === 'resolved' ? 'resolved' : 'open';
  const [notice, setNotice] = useState<Resolved | null>(null);

  const load = useCallback((signal: AbortSignal) => fetchConflicts(program.id, status, signal), [program.id, status]);
  const conflicts = useResource(load);
  const reload = conflicts.status === 'loaded' ? conflicts.reload : undefined;

  const linkTo = (target: Status) => {
    const next = new URLSearchParams(params);
    next.set('program', program.id);
    if (target === 'open') next.delete('status');
    else next.set('status', target);
    return { search: `?${next.toString()}` };
  };

  const resolved = (outcome: Resolved) => {
    setNotice(outcome);
    announceConflictsChanged();
    reload?.();
  };

  return (
    <>
      <LiveRegion politeness="polite">
        {notice && (
          <Alert tone="success" title={notice.title} takeFocus>
            <p>{notice.text}</p>
          </Alert>
        )}
      </LiveRegion>
      <div className="segmented" role="group" aria-label="Which conflicts to show">
        <Link className="segmented-option" to={linkTo('open')} aria-current={status === 'open' ? 'true' : undefined}>
          Open
        </Link>
        <Link
          className="segmented-option"
          to={linkTo('resolved')}
          aria-current={status === 'resolved' ? 'true' : undefined}
        >
          Resolved
        </Link>
      </div>

      {conflicts.status === 'loading' && <LoadingState label="Loading the conflict queue…" />}
      {conflicts.status === 'failed' && (
        <LoadFailure what="the conflict queue" error={conflicts.error} retry={conflicts.retry} />
      )}
      {conflicts.status === 'loaded' && status === 'open' && (
        <OpenConflicts conflicts={conflicts.data} program={program} onResolved={resolved} />
      )}
      {conflicts.status === 'loaded' && status === 'resolved' && <ResolvedConflicts conflicts={conflicts.data} />}
    </>
  );
}

function OpenConflicts({
  conflicts,
  program,
  onResolved,
}: {
  conflicts: Conflict[];
  program: Program;
  onResolved(outcome: Resolved): void;
}) {
  if (conflicts.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No open conflicts</h2>
        <p>Every active pair in {program.name} keeps mentoring apart from assessment.</p>
      </Card>
    );
  }
  return (
    <>
      <p className="results-count" role="status">
        {conflicts.length === 1 ? '1 open conflict' : `${conflicts.length} open conflicts`}, oldest first
      </p>
      <ul className="stack-list" aria-label="Open conflicts">
        {conflicts.map((conflict) => (
          <li key={conflict.id}>
            <ConflictCard conflict={conflict} program={program} onResolved={onResolved} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ConflictCard({
  conflict,
  program,
  onResolved,
}: {
  conflict: Conflict;
  program: Program;
  onResolved(outcome: Resolved): void;
}) {
  const headingId = useId();
  const formId = useId();
  const [resolving, setResolving] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const resolveButton = useRef<HTMLButtonElement>(null);

  // After "Cancel", focus goes back to the button that opened the form rather than to the page.
  useEffect(() => {
    if (!resolving && cancelled) resolveButton.current?.focus();
  }, [resolving, cancelled]);

  return (
    <Card as="article" className="conflict-card" labelledBy={headingId}>
      <div className="conflict-card-header">
        <h2 id={headingId} className="conflict-title">
          {conflict.student.name} <span className="conflict-title-with">with mentor</span> {conflict.mentor.name}
        </h2>
        <span className="badge badge-attention">Open</span>
      </div>
      <div className="conflict-reason">
        <p className="conflict-reason-label">Why this pair is flagged</p>
        <p>{conflict.reason}</p>
      </div>
      <dl className="facts">
        <div>
          <dt>Type of mentoring</dt>
          <dd>{PAIRING_KIND_LABELS[conflict.kind]}</dd>
        </div>
        <div>
          <dt>Detected</dt>
          <dd>
            <time dateTime={conflict.detectedAt}>{formatDateTime(conflict.detectedAt)}</time>
          </dd>
        </div>
      </dl>
      {!resolving && (
        <div className="form-actions">
          <button
            ref={resolveButton}
            type="button"
            className="button button-primary"
            onClick={() => setResolving(true)}
          >
            Resolve<span className="visually-hidden"> the conflict of {conflict.student.name}</span>
          </button>
        </div>
      )}
      {resolving && (
        <ResolveConflictForm
          id={formId}
          conflict={conflict}
          program={program}
          onResolved={onResolved}
          onCancel={() => {
            setResolving(false);
            setCancelled(true);
          }}
        />
      )}
    </Card>
  );
}

function ResolvedConflicts({ conflicts }: { conflicts: Conflict[] }) {
  if (conflicts.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No resolved conflicts yet</h2>
        <p>Conflicts you resolve are kept here, with what you decided and your note.</p>
      </Card>
    );
  }
  return (
    <TableFrame label="Resolved conflicts">
      <table className="data-table">
        <caption>
          {conflicts.length} resolved {conflicts.length === 1 ? 'conflict' : 'conflicts'}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Mentor</th>
            <th scope="col" className="hide-narrow">
              Reason
            </th>
            <th scope="col" className="hide-narrow">
              Detected
            </th>
            <th scope="col">Resolved</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((conflict) => (
            <tr key={conflict.id}>
              <th scope="row">{conflict.student.name}</th>
              <td>
                {conflict.mentor.name}
                <span className="cell-secondary show-narrow">{conflict.reason}</span>
              </td>
              <td className="hide-narrow">{conflict.reason}</td>
              <td className="nowrap hide-narrow">{formatDate(conflict.detectedAt)}</td>
              <td>
                <span className="cell-primary">
                  {conflict.resolution === 'reassigned'
                    ? 'Reassigned'
                    : conflict.resolution === 'ended'
                      ? 'Pairing ended'
                      : humanize(conflict.resolution ?? 'resolved')}
                </span>
                {conflict.resolvedAt && (
                  <span className="cell-secondary nowrap">{formatDate(conflict.resolvedAt)}</span>
                )}
                {conflict.resolutionNote && <span className="cell-secondary">“{conflict.resolutionNote}”</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
