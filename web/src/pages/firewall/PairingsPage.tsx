import { useCallback, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { fetchProgramPairings } from '../../api/firewall.ts';
import type { Pairing, Program } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { announceConflictsChanged } from '../../components/use-open-conflicts.ts';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDate, formatNumber, formatShortDate } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { EndPairingDialog } from './EndPairingDialog.tsx';
import { NewPairingForm } from './NewPairingForm.tsx';
import { PAIRING_KIND_LABELS } from './firewall-text.tsx';

const TITLE = 'Pairings';
const PAGE_SIZE = 25;

export function PairingsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors"
      purpose="Directors use it to pair each student with a mentor who does not assess them."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={<p>Who mentors whom, now and before. New pairings go through the firewall.</p>}
      >
        {(program) => <ProgramPairings program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

type StatusFilter = '' | 'active' | 'ended';
type Notice = { title: string; text?: string };

function ProgramPairings({ program }: { program: Program }) {
  const formId = useId();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<StatusFilter>('active');
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [ending, setEnding] = useState<Pairing | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const query = useDebouncedValue(search.trim(), 300);
  const newPairingButton = useRef<HTMLButtonElement>(null);

  const load = useCallback(
    (signal: AbortSignal) =>
      fetchProgramPairings(
        program.id,
        { status: status || undefined, search: query || undefined, limit: PAGE_SIZE, offset },
        signal,
      ),
    [program.id, status, query, offset],
  );
  const pairings = useResource(load, { keepPrevious: true });
  const reload = pairings.status === 'loaded' ? pairings.reload : undefined;

  const created = (pairing: Pairing) => {
    setCreating(false);
    setNotice({
      title: `${pairing.student.name} is now paired with ${pairing.mentor.name}.`,
      text: `${PAIRING_KIND_LABELS[pairing.kind]} mentoring in ${pairing.programName}, from ${formatDate(pairing.startsOn)}.`,
    });
    reload?.();
  };

  const ended = (pairing: Pairing) => {
    setEnding(null);
    setNotice({
      title: `The pairing of ${pairing.student.name} and ${pairing.mentor.name} has ended.`,
      text: 'The student now waits for a new mentor.',
    });
    announceConflictsChanged();
    reload?.();
  };

  return (
    <>
      {/* Before the notice, so the dialog hands focus back before the notice takes it. */}
      <EndPairingDialog pairing={ending} onClose={() => setEnding(null)} onEnded={ended} />
      <LiveRegion politeness="polite">
        {notice && (
          <Alert tone="success" title={notice.title} takeFocus>
            {notice.text && <p>{notice.text}</p>}
          </Alert>
        )}
      </LiveRegion>

      <div className="toolbar">
        <button
          ref={newPairingButton}
          type="button"
          className="button button-primary"
          aria-expanded={creating}
          aria-controls={creating ? formId : undefined}
          onClick={() => {
            setCreating((open) => !open);
            setNotice(null);
          }}
        >
          New pairing
        </button>
      </div>
      {creating && (
        <Card className="form-card">
          <NewPairingForm
            program={program}
            id={formId}
            onCreated={created}
            onCancel={() => {
              // Back to the button that opened the form, rather than to the top of the page.
              newPairingButton.current?.focus();
              setCreating(false);
            }}
          />
        </Card>
      )}

      <div className="filters" role="search" aria-label="Filter pairings">
        <FormField
          label="Search by name or email"
          name="search"
          type="search"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setOffset(0);
          }}
        />
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value as StatusFilter);
            setOffset(0);
          }}
        >
          <option value="active">Active</option>
          <option value="ended">Ended</option>
          <option value="">All</option>
        </SelectField>
      </div>

      {pairings.status === 'loading' && <LoadingState label="Loading pairings…" />}
      {pairings.status === 'failed' && (
        <LoadFailure what="the pairings" error={pairings.error} retry={pairings.retry} />
      )}
      {pairings.status === 'loaded' && (
        <>
          <p className="results-count" role="status">
            {pairings.refreshing
              ? 'Updating…'
              : `${formatNumber(pairings.data.total)} ${pairings.data.total === 1 ? 'pairing' : 'pairings'}`}
          </p>
          {pairings.data.pairings.length === 0 ? (
            <Card className="empty-state">
              <h2>No pairings match</h2>
              <p>Try another name, or show pairings of every status.</p>
            </Card>
          ) : (
            <PairingTable
              program={program}
              pairings={pairings.data.pairings}
              busy={pairings.refreshing}
              onEnd={(pairing) => {
                setNotice(null);
                setEnding(pairing);
              }}
            />
          )}
          <Pagination
            label="Pairings"
            offset={offset}
            limit={PAGE_SIZE}
            total={pairings.data.total}
            onChange={setOffset}
          />
        </>
      )}
    </>
  );
}

interface PairingTableProps {
  program: Program;
  pairings: Pairing[];
  busy: boolean;
  onEnd(pairing: Pairing): void;
}

function PairingTable({ program, pairings, busy, onEnd }: PairingTableProps) {
  return (
    <TableFrame label="Pairings">
      <table className="data-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Pairings in {program.name}</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Mentor</th>
            <th scope="col" className="hide-narrow">
              Mentoring
            </th>
            <th scope="col" className="hide-narrow">
              Status
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pairings.map((pairing) => (
            <tr key={pairing.id}>
              <th scope="row">
                <span className="cell-primary">{pairing.student.name}</span>
                <span className="cell-secondary email-cell hide-narrow">{pairing.student.email}</span>
                {/* On a phone the status column is summarised here instead. */}
                <span className="cell-secondary show-narrow">
                  <PairingStatus pairing={pairing} />
                </span>
              </th>
              <td>
                <span className="cell-primary">{pairing.mentor.name}</span>
                <span className="cell-secondary email-cell hide-narrow">{pairing.mentor.email}</span>
                <span className="cell-secondary show-narrow">
                  {PAIRING_KIND_LABELS[pairing.kind]} · since {formatShortDate(pairing.startsOn)}
                </span>
              </td>
              <td className="nowrap hide-narrow">
                <span className="cell-primary">{PAIRING_KIND_LABELS[pairing.kind]}</span>
                <span className="cell-secondary">since {formatShortDate(pairing.startsOn)}</span>
              </td>
              <td className="hide-narrow">
                <PairingStatus pairing={pairing} />
              </td>
              <td className="actions-cell">
                {pairing.status === 'active' && (
                  <button type="button" className="button button-secondary button-small" onClick={() => onEnd(pairing)}>
                    End pairing
                    <span className="visually-hidden">
                      {' '}
                      of {pairing.student.name} and {pairing.mentor.name}
                    </span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function PairingStatus({ pairing }: { pairing: Pairing }) {
  if (pairing.status === 'ended') {
    const endedOn = pairing.endsOn ?? pairing.endedAt;
    return (
      <>
        <span className="badge badge-muted">Ended</span>
        {endedOn && <span className="cell-secondary nowrap">{formatShortDate(endedOn)}</span>}
        {pairing.endReason && <span className="cell-secondary">{pairing.endReason}</span>}
      </>
    );
  }
  return (
    <>
      <span className="badge badge-positive">Active</span>
      {pairing.openConflicts > 0 && (
        <span className="cell-secondary">
          <Link to={`/conflicts?program=${pairing.programId}`} className="conflict-link">
            {pairing.openConflicts === 1 ? 'Open conflict' : `${pairing.openConflicts} open conflicts`}
          </Link>
        </span>
      )}
    </>
  );
}
