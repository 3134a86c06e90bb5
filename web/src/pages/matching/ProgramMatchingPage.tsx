import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { MatchingRoundListItem } from '../../../../common/matching.ts';
import { isApiError } from '../../api/client.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { createMatchingRound, fetchMatchingRounds, fetchMatchingWeights } from '../../api/matching.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatNumber, formatShortDate } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { MODE_TEXT, STATUS_TEXT } from './matching-text.ts';
import { WeightsForm } from './WeightsForm.tsx';

const TITLE = 'Matching';

/** A program's matching: its rounds (open one to review it), a new round, and the weights of the score. */
export function ProgramMatchingPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors"
      purpose="Directors use it to match students with mentors who do not assess them."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            Match a cohort’s students with mentors: run a round, review each proposed pair and its reasons, adjust by
            hand, then publish. The firewall applies to every pair.
          </p>
        }
      >
        {(program) => (
          <>
            <Section title="Matching rounds">
              <Rounds program={program} />
            </Section>
            <Section
              title="What makes a good match"
              intro={
                <p>
                  Each pair’s score, 0 to 1000, weighs these attributes of the student’s and the mentor’s profiles. A
                  pair that meets everything the student asked for scores 1000.
                </p>
              }
            >
              <Weights programId={program.id} />
            </Section>
          </>
        )}
      </ProgramPage>
    </RoleGate>
  );
}

function Rounds({ program }: { program: Program }) {
  const formId = useId();
  const [creating, setCreating] = useState(false);
  const newRoundButton = useRef<HTMLButtonElement>(null);
  const load = useCallback((signal: AbortSignal) => fetchMatchingRounds(program.id, signal), [program.id]);
  const rounds = useResource(load);

  return (
    <>
      <div className="toolbar">
        <button
          ref={newRoundButton}
          type="button"
          className="button button-primary"
          aria-expanded={creating}
          aria-controls={creating ? formId : undefined}
          onClick={() => setCreating((open) => !open)}
        >
          New round
        </button>
      </div>
      {creating && (
        <Card className="form-card">
          <NewRoundForm
            id={formId}
            program={program}
            onCancel={() => {
              newRoundButton.current?.focus();
              setCreating(false);
            }}
          />
        </Card>
      )}
      {rounds.status === 'loading' && <LoadingState label="Loading matching rounds…" />}
      {rounds.status === 'failed' && (
        <LoadFailure what="the matching rounds" error={rounds.error} retry={rounds.retry} />
      )}
      {rounds.status === 'loaded' &&
        (rounds.data.length === 0 ? (
          <Card className="empty-state">
            <h3>No matching round yet</h3>
            <p>Start a round for a cohort to propose a mentor for each of its students who has none.</p>
          </Card>
        ) : (
          <RoundTable program={program} rounds={rounds.data} />
        ))}
    </>
  );
}

function RoundTable({ program, rounds }: { program: Program; rounds: MatchingRoundListItem[] }) {
  return (
    <TableFrame label="Matching rounds">
      <table className="data-table">
        <caption className="visually-hidden">Matching rounds of {program.name}</caption>
        <thead>
          <tr>
            <th scope="col">Round</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Placed
            </th>
            <th scope="col" className="numeric hide-narrow">
              Lowest score
            </th>
            <th scope="col" className="hide-narrow">
              Method
            </th>
          </tr>
        </thead>
        <tbody>
          {rounds.map((round) => (
            <tr key={round.id}>
              <th scope="row">
                <Link to={`/matching-rounds/${round.id}`} className="cell-primary">
                  {round.name}
                </Link>
                <span className="cell-secondary">
                  {round.cohort.name} · started {formatShortDate(round.createdAt)}
                </span>
              </th>
              <td>
                <span className={`badge ${STATUS_TEXT[round.status].badge}`}>{STATUS_TEXT[round.status].label}</span>
                {round.publishedAt && (
                  <span className="cell-secondary nowrap">{formatShortDate(round.publishedAt)}</span>
                )}
              </td>
              <td className="numeric nowrap">
                {formatNumber(round.summary.placed)} of {formatNumber(round.summary.students)}
              </td>
              <td className="numeric hide-narrow">
                {round.summary.minScore === null ? '—' : formatNumber(round.summary.minScore)}
              </td>
              <td className="hide-narrow">{round.mode ? MODE_TEXT[round.mode].label : 'Not run yet'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function NewRoundForm({ id, program, onCancel }: { id: string; program: Program; onCancel(): void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [cohortId, setCohortId] = useState(program.cohorts.length === 1 ? (program.cohorts[0]?.id ?? '') : '');
  const [errors, setErrors] = useState<{ name?: string | undefined; cohortId?: string | undefined }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const cohortRef = useRef<HTMLSelectElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const problems = {
      name: name.trim() ? undefined : 'Give the round a name',
      cohortId: cohortId ? undefined : 'Choose the cohort to match',
    };
    setErrors(problems);
    if (problems.name) return nameRef.current?.focus();
    if (problems.cohortId) return cohortRef.current?.focus();
    setSaving(true);
    try {
      const round = await createMatchingRound(program.id, { name: name.trim(), cohortId });
      await navigate(`/matching-rounds/${round.id}`);
    } catch (error) {
      setSaving(false);
      if (isApiError(error) && error.field === 'name') {
        setErrors({ name: error.message });
        nameRef.current?.focus();
      } else if (isApiError(error) && error.field === 'cohortId') {
        setErrors({ cohortId: error.message });
        cohortRef.current?.focus();
      } else {
        setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      }
    }
  };

  return (
    <form id={id} className="form" noValidate onSubmit={submit} aria-label="New matching round">
      <h3>New matching round</h3>
      <p className="muted">
        The round places the cohort’s students who have no mentor in {program.name} now. Everyone else keeps their
        mentor.
      </p>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <div className="form-grid">
        <FormField
          ref={nameRef}
          label="Name"
          name="name"
          hint="For example, “Class of 2029, autumn”."
          maxLength={120}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setErrors((e) => ({ ...e, name: undefined }));
          }}
          error={errors.name}
          autoFocus
        />
        <SelectField
          ref={cohortRef}
          label="Cohort"
          name="cohortId"
          value={cohortId}
          onChange={(event) => {
            setCohortId(event.target.value);
            setErrors((e) => ({ ...e, cohortId: undefined }));
          }}
          error={errors.cohortId}
        >
          <option value="">Choose a cohort</option>
          {program.cohorts.map((cohort) => (
            <option key={cohort.id} value={cohort.id}>
              {cohort.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Starting the round…' : 'Start round'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Weights({ programId }: { programId: string }) {
  const load = useCallback((signal: AbortSignal) => fetchMatchingWeights(programId, signal), [programId]);
  const weights = useResource(load);
  return (
    <Card className="form-card">
      {weights.status === 'loading' && <LoadingState label="Loading the weights…" />}
      {weights.status === 'failed' && <LoadFailure what="the weights" error={weights.error} retry={weights.retry} />}
      {weights.status === 'loaded' && <WeightsForm weights={weights.data} programId={programId} />}
    </Card>
  );
}
