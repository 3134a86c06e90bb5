import { useState, type FormEvent } from 'react';
import { WELLBEING_LABELS, type MyWellbeing } from '../../../../common/early-warning.ts';
import { isApiError } from '../../api/client.ts';
import { fetchMyWellbeing, saveMyWellbeing } from '../../api/early-warning.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Wellbeing check-in';
const SCORES = [1, 2, 3, 4, 5] as const;

/** "2026-09" as "September 2026". */
function monthName(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, m - 1, 1)),
  );
}

/** The student's short monthly self-report: how they are doing, 1 to 5 in words, and a note that stays theirs. */
export function WellbeingPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students tell their mentor here, once a month, how they are doing."
    >
      <Wellbeing />
    </RoleGate>
  );
}

function Wellbeing() {
  const wellbeing = useResource(fetchMyWellbeing);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Once a month, say how you are doing. If things are hard, your mentor gets a prompt to check in with you. It is
          never a grade and never reaches anyone who assesses you. Your note stays private unless you choose to share it
          with your mentor.
        </p>
      </PageHeader>
      {wellbeing.status === 'loading' && <LoadingState label="Loading your check-ins…" />}
      {wellbeing.status === 'failed' && (
        <LoadFailure what="your check-ins" error={wellbeing.error} retry={wellbeing.retry} />
      )}
      {wellbeing.status === 'loaded' && (
        <div className="page-body">
          <CheckInForm wellbeing={wellbeing.data} onSaved={wellbeing.reload} />
          <History wellbeing={wellbeing.data} />
        </div>
      )}
    </>
  );
}

function CheckInForm({ wellbeing, onSaved }: { wellbeing: MyWellbeing; onSaved: () => void }) {
  const current = wellbeing.current;
  const [score, setScore] = useState<number | null>(current?.score ?? null);
  const [note, setNote] = useState(current?.note ?? '');
  const [share, setShare] = useState(current?.noteShared ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const found: Record<string, string> = {};
    if (score === null) found.score = 'Choose how you are doing';
    if (share && !note.trim()) found.noteShared = 'Write a note to share it, or untick sharing';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setOutcome({ tone: 'error', text: 'Please check the form; see below.' });
      return;
    }
    setSaving(true);
    try {
      await saveMyWellbeing({ score: score!, note: note.trim() ? note.trim() : null, noteShared: share });
      setOutcome({
        tone: 'success',
        text: `Thank you. Your check-in for ${monthName(wellbeing.month)} is saved; you can change it until the month ends.`,
      });
      onSaved();
    } catch (error) {
      if (isApiError(error) && error.field) setErrors({ [error.field]: error.message });
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card>
      <form onSubmit={submit} noValidate className="stack-form">
        <fieldset
          className={errors.score ? 'choice-group wellbeing-scale field-invalid' : 'choice-group wellbeing-scale'}
          aria-describedby={errors.score ? 'wellbeing-score-error' : undefined}
        >
          <legend className="field-label">How are you doing this month ({monthName(wellbeing.month)})?</legend>
          {errors.score && (
            <p className="field-error" id="wellbeing-score-error">
              <span className="visually-hidden">Error: </span>
              {errors.score}
            </p>
          )}
          {SCORES.map((value) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="score"
                value={value}
                checked={score === value}
                onChange={() => setScore(value)}
              />
              <span>
                <strong>{WELLBEING_LABELS[value]}</strong> <span className="cell-secondary">({value} of 5)</span>
              </span>
            </label>
          ))}
        </fieldset>
        <TextAreaField
          label="Anything you want to add (optional)"
          name="note"
          hint="Private to you unless you tick the box below."
          value={note}
          error={errors.note}
          maxLength={2000}
          onChange={(event) => setNote(event.target.value)}
        />
        <div className={errors.noteShared ? 'field field-invalid' : 'field'}>
          {errors.noteShared && (
            <p className="field-error" id="wellbeing-share-error">
              <span className="visually-hidden">Error: </span>
              {errors.noteShared}
            </p>
          )}
          <label className="check">
            <input
              type="checkbox"
              name="noteShared"
              checked={share}
              onChange={(event) => setShare(event.target.checked)}
              aria-describedby={errors.noteShared ? 'wellbeing-share-error' : undefined}
            />
            <span>Share my note with my mentor</span>
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : current ? 'Update my check-in' : 'Save my check-in'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Card>
  );
}

function History({ wellbeing }: { wellbeing: MyWellbeing }) {
  return (
    <Section title="My earlier check-ins">
      {wellbeing.history.length === 0 ? (
        <p>No check-ins yet.</p>
      ) : (
        <TableFrame label="My earlier check-ins">
          <table className="data-table">
            <caption>Newest first; only you see your notes unless you shared them</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">How I was doing</th>
                <th scope="col">Note</th>
                <th scope="col">Last saved</th>
              </tr>
            </thead>
            <tbody>
              {wellbeing.history.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{monthName(c.month)}</th>
                  <td>
                    {WELLBEING_LABELS[c.score]} ({c.score} of 5)
                  </td>
                  <td>{c.note ? `${c.note}${c.noteShared ? ' (shared with my mentor)' : ''}` : '—'}</td>
                  <td>{formatDateTime(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}
