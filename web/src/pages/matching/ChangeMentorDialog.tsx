import { useCallback, useId, useState, type FormEvent } from 'react';
import type { Assignment, MatchingRound } from '../../../../common/matching.ts';
import type { ApiError } from '../../api/client.ts';
import { fetchCandidates, setAssignment } from '../../api/matching.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { formatNumber } from '../../format.ts';

interface ChangeMentorDialogProps {
  round: MatchingRound;
  assignment: Assignment | null;
  onClose(): void;
  /** Runs the change; resolves to the error to show, or null when it is done (or the round was stale). */
  act(change: () => Promise<MatchingRound>, done: (round: MatchingRound) => string): Promise<ApiError | null>;
}

/** Chooses a student's mentor by hand from the mentors the firewall allows, best match first. */
export function ChangeMentorDialog({ round, assignment, onClose, act }: ChangeMentorDialogProps) {
  return (
    <Dialog
      open={assignment !== null}
      title={assignment ? `Choose a mentor for ${assignment.student.name}` : 'Choose a mentor'}
      onClose={onClose}
    >
      {assignment && <ChangeMentorForm round={round} assignment={assignment} onClose={onClose} act={act} />}
    </Dialog>
  );
}

function ChangeMentorForm({
  round,
  assignment,
  onClose,
  act,
}: {
  round: MatchingRound;
  assignment: Assignment;
  onClose(): void;
  act: ChangeMentorDialogProps['act'];
}) {
  const id = useId();
  const studentId = assignment.student.id;
  const load = useCallback(
    (signal: AbortSignal) => fetchCandidates(round.id, studentId, signal),
    [round.id, studentId],
  );
  const candidates = useResource(load);
  const [mentorId, setMentorId] = useState(assignment.mentor?.id ?? '');
  const [pinned, setPinned] = useState(true);
  const [mentorError, setMentorError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    if (!mentorId) {
      setMentorError('Choose a mentor');
      document.querySelector<HTMLInputElement>(`input[name="${id}-mentor"]:not(:disabled)`)?.focus();
      return;
    }
    setSaving(true);
    const error = await act(
      () => setAssignment(round.id, studentId, { mentorId, pinned, version: round.version }),
      (next) => {
        const placed = next.assignments.find((a) => a.student.id === studentId);
        return `${assignment.student.name} now has ${placed?.mentor?.name ?? 'a new mentor'}${
          placed?.score === null || placed?.score === undefined ? '' : `, score ${formatNumber(placed.score)}`
        }${pinned ? ', pinned' : ''}.`;
      },
    );
    setSaving(false);
    if (!error) return;
    if (error.field === 'mentorId') setMentorError(error.message);
    else setFormError(error.message);
  };

  const errorId = `${id}-error`;
  return (
    <form className="form dialog-form" noValidate onSubmit={submit}>
      <p>
        Only mentors who do not assess {assignment.student.name} and have not been excluded are listed. A pinned choice
        stays when the round is run again.
      </p>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      {candidates.status === 'loading' && <LoadingState label="Loading the mentors…" />}
      {candidates.status === 'failed' && (
        <LoadFailure what="the mentors" error={candidates.error} retry={candidates.retry} />
      )}
      {candidates.status === 'loaded' &&
        (candidates.data.length === 0 ? (
          <Alert tone="info" title="No mentor can take this student">
            <p>Every mentor either assesses the student, is excluded, or is left out of this round.</p>
          </Alert>
        ) : (
          <fieldset
            className={mentorError ? 'choice-group field-invalid' : 'choice-group'}
            aria-describedby={mentorError ? errorId : undefined}
          >
            <legend className="field-label">Mentor</legend>
            {mentorError && (
              <p className="field-error" id={errorId}>
                <span className="visually-hidden">Error: </span>
                {mentorError}
              </p>
            )}
            <div className="candidate-list">
              {candidates.data.map((candidate) => {
                const current = candidate.id === assignment.mentor?.id;
                const full = candidate.remaining <= 0 && !current;
                return (
                  <label key={candidate.id} className={full ? 'choice choice-disabled' : 'choice'}>
                    <input
                      type="radio"
                      name={`${id}-mentor`}
                      value={candidate.id}
                      checked={mentorId === candidate.id}
                      disabled={full}
                      onChange={() => {
                        setMentorId(candidate.id);
                        setMentorError(undefined);
                      }}
                    />
                    <span className="candidate">
                      <span className="candidate-header">
                        <span className="choice-title">
                          {candidate.name}
                          {current && <span className="muted"> (now)</span>}
                        </span>
                        <span className="candidate-score">Score {formatNumber(candidate.score)}</span>
                      </span>
                      <span className="choice-hint">
                        {full
                          ? 'No places left'
                          : `${formatNumber(candidate.remaining)} ${candidate.remaining === 1 ? 'place' : 'places'} left`}
                      </span>
                      {candidate.reasons.length > 0 && (
                        <span className="choice-hint candidate-reasons">{candidate.reasons.join('; ')}</span>
                      )}
                    </span>
                  </label>
                );
              })}
            </div>
          </fieldset>
        ))}
      <label className="check">
        <input type="checkbox" name="pinned" checked={pinned} onChange={(event) => setPinned(event.target.checked)} />
        <span>Pin this choice, so running the round again keeps it</span>
      </label>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={saving || candidates.status !== 'loaded' || candidates.data.length === 0}
        >
          {saving ? 'Saving…' : 'Use this mentor'}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
