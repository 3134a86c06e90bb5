import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { MATCHING_MODES, type Assignment, type MatchingMode, type MatchingRound } from '../../../../common/matching.ts';
import { isApiError, type ApiError } from '../../api/client.ts';
import {
  cancelMatchingRound,
  clearAssignment,
  fetchMatchingRound,
  publishMatchingRound,
  runMatchingRound,
  setAssignment,
} from '../../api/matching.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { ChangeMentorDialog } from './ChangeMentorDialog.tsx';
import { MODE_TEXT, STATUS_TEXT } from './matching-text.ts';
import { ReviewTable } from './ReviewTable.tsx';
import { RoundSummaryTiles, ScoreDistribution } from './RoundSummary.tsx';

const TITLE = 'Matching round';

export function MatchingRoundPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors"
      purpose="Directors use it to review and publish a round of mentor matches."
    >
      <LoadedRound />
    </RoleGate>
  );
}

type Notice = { tone: 'success' | 'warning'; title: string; text?: string };

function LoadedRound() {
  const { roundId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchMatchingRound(roundId, signal), [roundId]);
  const resource = useResource(load);
  // What the last change answered with; newer than the loaded round until the next reload.
  const [latest, setLatest] = useState<MatchingRound | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  if (resource.status === 'loading') {
    return (
      <>
        <PageHeader title={TITLE} />
        <LoadingState label="Loading the round…" />
      </>
    );
  }
  if (resource.status === 'failed') {
    return (
      <>
        <PageHeader title={TITLE} />
        {resource.error.status === 404 ? (
          <Alert tone="warning" role="alert" title="This round does not exist, or it is not in a program you run.">
            <p>
              <Link to="/matching">Back to Matching</Link>
            </p>
          </Alert>
        ) : (
          <LoadFailure what="the round" error={resource.error} retry={resource.retry} />
        )}
      </>
    );
  }

  const loaded = resource.data;
  const round = latest && latest.id === loaded.id && latest.version >= loaded.version ? latest : loaded;

  /**
   * Runs one change of the round. On success the page shows the round it answered with; a stale
   * version (someone else changed the round) reloads it and says so; other errors go back to the caller.
   */
  const act = async (
    change: () => Promise<MatchingRound>,
    done: (next: MatchingRound) => string,
  ): Promise<ApiError | null> => {
    try {
      const next = await change();
      setLatest(next);
      setNotice({ tone: 'success', title: done(next) });
      return null;
    } catch (error) {
      if (isApiError(error) && error.code === 'precondition_failed') {
        setLatest(null);
        setNotice({
          tone: 'warning',
          title: 'Someone else changed this round, so your change was not made.',
          text: 'The round has been reloaded as it is now. Check it, then make your change again.',
        });
        resource.reload();
        return null;
      }
      if (isApiError(error)) return error;
      throw error;
    }
  };

  return (
    <RoundView
      key={round.id}
      round={round}
      refreshing={resource.refreshing}
      notice={notice}
      clearNotice={() => setNotice(null)}
      act={act}
    />
  );
}

interface RoundViewProps {
  round: MatchingRound;
  refreshing: boolean;
  notice: Notice | null;
  clearNotice(): void;
  act(change: () => Promise<MatchingRound>, done: (next: MatchingRound) => string): Promise<ApiError | null>;
}

type Confirming = 'publish' | 'cancel' | null;

function RoundView({ round, refreshing, notice, clearNotice, act }: RoundViewProps) {
  const [changing, setChanging] = useState<Assignment | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = round.status === 'draft' || round.status === 'proposed';
  const status = STATUS_TEXT[round.status];

  const rowAction = async (change: () => Promise<MatchingRound>, done: (next: MatchingRound) => string) => {
    setRowError(null);
    clearNotice();
    setBusy(true);
    const error = await act(change, done);
    setBusy(false);
    if (error) setRowError(error.message);
  };

  const togglePin = (a: Assignment) => {
    if (!a.mentor) return;
    const mentor = a.mentor;
    void rowAction(
      () => setAssignment(round.id, a.student.id, { mentorId: mentor.id, pinned: !a.pinned, version: round.version }),
      () =>
        a.pinned
          ? `${a.student.name} is no longer pinned; running the round again may change their mentor.`
          : `${a.student.name} is pinned to ${mentor.name}.`,
    );
  };

  const leaveUnplaced = (a: Assignment) =>
    void rowAction(
      () => clearAssignment(round.id, a.student.id, round.version),
      (next) => `${a.student.name} is left unplaced. Total score now ${formatNumber(next.summary.totalScore)}.`,
    );

  return (
    <>
      <PageHeader
        title={round.name}
        documentTitle={TITLE}
        eyebrow={
          <>
            Matching round · {round.cohort.name}{' '}
            <span className={`badge ${status.badge}`}>
              <span className="visually-hidden">Status: </span>
              {status.label}
            </span>
          </>
        }
      >
        <p>
          <Link to={`/matching?program=${round.programId}`}>All rounds and the weights</Link>
        </p>
        <RoundFacts round={round} />
      </PageHeader>
      {/* Dialogs first, so they hand focus back before a notice takes it. */}
      <ChangeMentorDialog
        round={round}
        assignment={changing}
        onClose={() => setChanging(null)}
        act={async (change, done) => {
          const error = await act(change, done);
          if (!error) setChanging(null);
          return error;
        }}
      />
      <ConfirmDialog round={round} confirming={confirming} onClose={() => setConfirming(null)} act={act} />
      <div className="page-body">
        <LiveRegion politeness="polite">
          {notice && (
            <Alert tone={notice.tone} title={notice.title} takeFocus={notice.tone === 'warning'}>
              {notice.text && <p>{notice.text}</p>}
            </Alert>
          )}
        </LiveRegion>
        {round.status === 'published' && (
          <Alert tone="info" title="This round is published and can no longer change.">
            <p>
              Its pairings were created{round.publishedAt ? ` on ${formatDateTime(round.publishedAt)}` : ''}, and the
              students and mentors were told. Change a pairing on the <Link to="/pairings">Pairings</Link> page.
            </p>
          </Alert>
        )}
        {round.status === 'cancelled' && (
          <Alert tone="info" title="This round was cancelled. Nothing in it was published." />
        )}
        {open && <RunPanel round={round} act={act} clearNotice={clearNotice} />}

        <Section title="Summary">
          <RoundSummaryTiles summary={round.summary} algorithm={round.algorithmSummary} ran={round.ranAt !== null} />
          <ScoreDistribution summary={round.summary} />
        </Section>

        <Section
          title={round.status === 'published' ? 'Published pairs' : 'Proposed pairs'}
          intro={
            open ? (
              <p>
                Change a mentor, pin a pair so running again keeps it, or leave a student unplaced. The firewall still
                applies to every choice.
              </p>
            ) : undefined
          }
        >
          <LiveRegion>{rowError && <Alert tone="error" title={rowError} />}</LiveRegion>
          {round.assignments.length === 0 ? (
            <Card className="empty-state">
              <h3>No student to place</h3>
              <p>Every student of {round.cohort.name} already has a mentor in this program.</p>
            </Card>
          ) : (
            <ReviewTable
              round={round}
              readOnly={!open}
              busy={busy || refreshing}
              onChangeMentor={(a) => {
                clearNotice();
                setRowError(null);
                setChanging(a);
              }}
              onTogglePin={togglePin}
              onLeaveUnplaced={leaveUnplaced}
            />
          )}
        </Section>

        {open && (
          <Section title="Finish the round">
            <div className="toolbar">
              <button
                type="button"
                className="button button-primary"
                disabled={round.summary.placed === 0}
                onClick={() => setConfirming('publish')}
              >
                Publish
              </button>
              <button type="button" className="button button-secondary" onClick={() => setConfirming('cancel')}>
                Cancel round
              </button>
            </div>
            {round.summary.placed === 0 && (
              <p className="muted">Run the round, or choose a mentor for a student, before publishing it.</p>
            )}
          </Section>
        )}
      </div>
    </>
  );
}

function RoundFacts({ round }: { round: MatchingRound }) {
  const seats = round.mentors.reduce((sum, m) => sum + Math.max(0, m.capacity - m.alreadyMentoring), 0);
  return (
    <dl className="inline-facts">
      <div>
        <dt>Method</dt>
        <dd>{round.mode ? MODE_TEXT[round.mode].label : 'Not run yet'}</dd>
      </div>
      {round.ranAt && (
        <div>
          <dt>Last run</dt>
          <dd>{formatDateTime(round.ranAt)}</dd>
        </div>
      )}
      <div>
        <dt>Mentors</dt>
        <dd>
          {formatNumber(round.mentors.length)} with {formatNumber(seats)} {seats === 1 ? 'place' : 'places'}
        </dd>
      </div>
    </dl>
  );
}

function RunPanel({
  round,
  act,
  clearNotice,
}: {
  round: MatchingRound;
  act: RoundViewProps['act'];
  clearNotice(): void;
}) {
  const id = useId();
  const [mode, setMode] = useState<MatchingMode>(round.mode ?? 'optimal');
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const pinned = round.assignments.filter((a) => a.pinned).length;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    clearNotice();
    setRunning(true);
    const failure = await act(
      () => runMatchingRound(round.id, { mode, version: round.version }),
      (next) =>
        `Matched with ${MODE_TEXT[mode].label}: ${formatNumber(next.summary.placed)} of ${formatNumber(
          next.summary.students,
        )} students placed, total score ${formatNumber(next.summary.totalScore)}.`,
    );
    setRunning(false);
    if (failure) setError(failure.message);
  };

  return (
    <Card as="section" className="form-card" labelledBy={`${id}-title`}>
      <form className="form" noValidate onSubmit={submit}>
        <h2 id={`${id}-title`}>{round.ranAt ? 'Run again' : 'Run the round'}</h2>
        <LiveRegion>{error && <Alert tone="error" title={error} />}</LiveRegion>
        <fieldset className="choice-group mode-choices">
          <legend className="field-label">Method</legend>
          {MATCHING_MODES.map((key) => (
            <label key={key} className="choice">
              <input type="radio" name="mode" value={key} checked={mode === key} onChange={() => setMode(key)} />
              <span>
                <span className="choice-title">{MODE_TEXT[key].label}</span>
                <span className="choice-hint">{MODE_TEXT[key].explanation}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {pinned > 0 && (
          <p className="muted">
            {formatNumber(pinned)} pinned {pinned === 1 ? 'pair stays' : 'pairs stay'} as they are; everyone else is
            matched again.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={running}>
            {running ? 'Matching…' : round.ranAt ? 'Run again' : 'Run matching'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function ConfirmDialog({
  round,
  confirming,
  onClose,
  act,
}: {
  round: MatchingRound;
  confirming: Confirming;
  onClose(): void;
  act: RoundViewProps['act'];
}) {
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const publishing = confirming === 'publish';
  const unplaced = round.summary.students - round.summary.placed;

  const confirm = async () => {
    setError(null);
    setWorking(true);
    const failure = await act(
      () => (publishing ? publishMatchingRound(round.id, round.version) : cancelMatchingRound(round.id, round.version)),
      (next) =>
        publishing
          ? `Published: ${formatNumber(next.summary.placed)} pairings created. The students and mentors have been told.`
          : 'The round is cancelled. Nothing was published.',
    );
    setWorking(false);
    if (failure) setError(failure.message);
    else onClose();
  };

  return (
    <Dialog
      open={confirming !== null}
      title={publishing ? 'Publish this round?' : 'Cancel this round?'}
      onClose={() => {
        setError(null);
        onClose();
      }}
    >
      <div className="dialog-form">
        {publishing ? (
          <p>
            {formatNumber(round.summary.placed)} pairings will be created at once, and each student and mentor will be
            told.{' '}
            {unplaced > 0 &&
              `${formatNumber(unplaced)} ${unplaced === 1 ? 'student stays' : 'students stay'} without a mentor. `}
            A published round cannot be changed.
          </p>
        ) : (
          <p>
            Nothing in the round will be published, and it cannot be run again. Pairings made before stay as they are.
          </p>
        )}
        <LiveRegion>{error && <Alert tone="error" title={error} />}</LiveRegion>
        <div className="form-actions">
          <button
            type="button"
            className={publishing ? 'button button-primary' : 'button button-danger'}
            disabled={working}
            onClick={() => void confirm()}
          >
            {working ? (publishing ? 'Publishing…' : 'Cancelling…') : publishing ? 'Publish' : 'Cancel round'}
          </button>
          <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
            {publishing ? 'Not yet' : 'Keep the round'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
