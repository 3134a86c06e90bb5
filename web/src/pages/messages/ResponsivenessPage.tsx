import { useCallback, useState, type FormEvent } from 'react';
import type { ProgramResponsiveness, WorkingTime } from '../../../../common/messages.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchProgramResponsiveness, saveProgramResponsiveness } from '../../api/messages.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime } from '../../format.ts';
import { WAITING_ON_LABELS } from './message-text.ts';

const TITLE = 'Mentor responsiveness';

/**
 * The director's view: which pairings leave a student waiting past the program's second limit
 * (names and dates, never a message), and the limits themselves.
 */
export function ResponsivenessPage() {
  return (
    <ProgramPage
      use="manage"
      title={TITLE}
      intro="How long a mentor may leave a student’s message or meeting request unanswered. Past the first limit the mentor is reminded; past the second the student is offered another mentor and the pairing is listed here. You see who and since when, never what was written."
    >
      {(program) => <ProgramResponsivenessView program={program} />}
    </ProgramPage>
  );
}

function ProgramResponsivenessView({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchProgramResponsiveness(program.id, signal), [program.id]);
  const data = useResource(load, { keepPrevious: true });
  if (data.status === 'loading') return <LoadingState label="Loading responsiveness…" />;
  if (data.status === 'failed') return <LoadFailure what="responsiveness" error={data.error} retry={data.retry} />;
  return (
    <>
      <Unresponsive data={data.data} />
      <LimitsForm programId={program.id} data={data.data} onSaved={data.reload} />
    </>
  );
}

function Unresponsive({ data }: { data: ProgramResponsiveness }) {
  return (
    <Section title="Pairings where the student waits">
      <StatGrid label="Unresponsive pairings">
        <StatTile
          label="Unresponsive pairings"
          value={data.unresponsiveCount}
          tone={data.unresponsiveCount > 0 ? 'attention' : 'neutral'}
          hint="Past the second limit; each student has been offered another mentor."
        />
      </StatGrid>
      {data.unresponsive.length === 0 ? (
        <Card className="empty-state">
          <h3>No student is waiting past the limit</h3>
          <p>Every mentor in this program has answered within the program’s second limit.</p>
        </Card>
      ) : (
        <TableFrame label="Unresponsive pairings">
          <table className="data-table">
            <caption className="visually-hidden">Unresponsive pairings</caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Mentor</th>
                <th scope="col">Waiting on</th>
                <th scope="col">Waiting since</th>
                <th scope="col">Unresponsive since</th>
              </tr>
            </thead>
            <tbody>
              {data.unresponsive.map((pairing) => (
                <tr key={pairing.pairingId}>
                  <th scope="row">{pairing.studentName}</th>
                  <td>{pairing.mentorName}</td>
                  <td>{WAITING_ON_LABELS[pairing.waitingOn]}</td>
                  <td className="nowrap">{formatDateTime(pairing.waitingSince)}</td>
                  <td className="nowrap">{formatDateTime(pairing.unresponsiveSince)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}

interface Draft {
  reminderDays: string;
  reminderHours: string;
  offerDays: string;
  offerHours: string;
}
type DraftErrors = Partial<Record<keyof Draft | 'reminderAfter' | 'offerChangeAfter', string>>;

const toDraft = (data: ProgramResponsiveness): Draft => ({
  reminderDays: String(data.settings.reminderAfter.workingDays),
  reminderHours: String(data.settings.reminderAfter.hours),
  offerDays: String(data.settings.offerChangeAfter.workingDays),
  offerHours: String(data.settings.offerChangeAfter.hours),
});

function wholeNumber(value: string, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n <= max ? n : null;
}

function LimitsForm({
  programId,
  data,
  onSaved,
}: {
  programId: string;
  data: ProgramResponsiveness;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState(() => toDraft(data));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (key: keyof Draft) => (event: { target: { value: string } }) => {
    setDraft((current) => ({ ...current, [key]: event.target.value }));
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: DraftErrors = {};
    const days = (key: keyof Draft) => {
      const n = wholeNumber(draft[key], 60);
      if (n === null) found[key] = 'Enter a whole number of working days from 0 to 60';
      return n ?? 0;
    };
    const hours = (key: keyof Draft) => {
      const n = wholeNumber(draft[key], 23);
      if (n === null) found[key] = 'Enter a whole number of hours from 0 to 23';
      return n ?? 0;
    };
    const reminderAfter: WorkingTime = { workingDays: days('reminderDays'), hours: hours('reminderHours') };
    const offerChangeAfter: WorkingTime = { workingDays: days('offerDays'), hours: hours('offerHours') };
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await saveProgramResponsiveness(programId, { reminderAfter, offerChangeAfter });
      setSaved(true);
      onSaved();
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.field === 'settings.reminderAfter') setErrors({ reminderAfter: error.message });
      else if (error.field === 'settings.offerChangeAfter') setErrors({ offerChangeAfter: error.message });
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      title="Limits"
      intro={
        <p>
          Working days are Monday to Friday in the school’s time zone; weekends do not count.
          {data.isDefault ? ' The program uses the default limits.' : ''}
          {data.updatedAt ? ` Last changed ${formatDateTime(data.updatedAt)}.` : ''}
        </p>
      }
    >
      <Card className="form-card">
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="choice-group">
            <legend className="field-label">Remind the mentor after</legend>
            {errors.reminderAfter && (
              <p className="field-error" role="alert">
                {errors.reminderAfter}
              </p>
            )}
            <div className="form-grid">
              <FormField
                label="Reminder: working days"
                name="reminderDays"
                inputMode="numeric"
                value={draft.reminderDays}
                error={errors.reminderDays}
                onChange={set('reminderDays')}
              />
              <FormField
                label="Reminder: hours"
                name="reminderHours"
                inputMode="numeric"
                value={draft.reminderHours}
                error={errors.reminderHours}
                onChange={set('reminderHours')}
              />
            </div>
          </fieldset>
          <fieldset className="choice-group">
            <legend className="field-label">Offer the student another mentor after</legend>
            {errors.offerChangeAfter && (
              <p className="field-error" role="alert">
                {errors.offerChangeAfter}
              </p>
            )}
            <div className="form-grid">
              <FormField
                label="Offer: working days"
                name="offerDays"
                inputMode="numeric"
                value={draft.offerDays}
                error={errors.offerDays}
                onChange={set('offerDays')}
              />
              <FormField
                label="Offer: hours"
                name="offerHours"
                inputMode="numeric"
                value={draft.offerHours}
                error={errors.offerHours}
                onChange={set('offerHours')}
              />
            </div>
          </fieldset>
          {failure && (
            <Alert tone="error" role="alert" title="The limits were not saved">
              <p>{failure.message}</p>
            </Alert>
          )}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              Save limits
            </button>
            <LiveRegion politeness="polite">{saved && <span className="save-status">Limits saved</span>}</LiveRegion>
          </div>
        </form>
      </Card>
    </Section>
  );
}
