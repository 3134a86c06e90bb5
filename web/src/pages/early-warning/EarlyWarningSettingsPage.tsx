import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import type { EarlyWarningSettings, ProgramEarlyWarning } from '../../../../common/early-warning.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { isApiError } from '../../api/client.ts';
import { fetchProgramEarlyWarning, saveProgramEarlyWarning } from '../../api/early-warning.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { formatDateTime } from '../../format.ts';

const TITLE = 'Early warning';

/** The director sets which conditions prompt a mentor to reach out, and sees counts (never content) of alerts. */
export function EarlyWarningSettingsPage() {
  return (
    <ProgramPage
      use="manage"
      title={TITLE}
      intro="Which signs in a student’s records and engagement prompt their mentor to reach out, and when an unacknowledged alert reminds them. Alerts go to the mentor only; you see how many there are, never what they say."
    >
      {(program) => <ProgramSettings program={program} />}
    </ProgramPage>
  );
}

function ProgramSettings({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchProgramEarlyWarning(program.id, signal), [program.id]);
  const data = useResource(load, { keepPrevious: true });
  if (data.status === 'loading') return <LoadingState label="Loading the early-warning settings…" />;
  if (data.status === 'failed')
    return <LoadFailure what="the early-warning settings" error={data.error} retry={data.retry} />;
  return (
    <>
      <Counts data={data.data} />
      <SettingsForm programId={program.id} data={data.data} onSaved={data.reload} />
    </>
  );
}

function Counts({ data }: { data: ProgramEarlyWarning }) {
  return (
    <Section title="Alerts in this program">
      <StatGrid label="Alerts in this program">
        <StatTile label="Open" value={data.alerts.open} />
        <StatTile
          label="Not yet acknowledged"
          value={data.alerts.unacknowledged}
          tone={data.alerts.unacknowledged > 0 ? 'attention' : 'neutral'}
        />
        <StatTile
          label="Waiting for a mentor"
          value={data.alerts.waitingForMentor}
          hint="About students without a mentor now; the next mentor is told."
          tone={data.alerts.waitingForMentor > 0 ? 'attention' : 'neutral'}
        />
      </StatGrid>
    </Section>
  );
}

/** Numbers are edited as text, so a half-typed value is shown as typed and checked on save. */
type Draft = {
  failingEnabled: boolean;
  passMark: string;
  includeExams: boolean;
  dropEnabled: boolean;
  points: string;
  percentiles: string;
  professionalismEnabled: boolean;
  missedEnabled: boolean;
  missedCount: string;
  missedWindow: string;
  wellbeingEnabled: boolean;
  threshold: string;
  lookbackDays: string;
  mentorAfterHours: string;
  directorEnabled: boolean;
  directorAfterHours: string;
};

function draftOf(s: EarlyWarningSettings): Draft {
  return {
    failingEnabled: s.failingGrade.enabled,
    passMark: String(s.failingGrade.numericPassMark),
    includeExams: s.failingGrade.includeExams,
    dropEnabled: s.examDrop.enabled,
    points: s.examDrop.points === null ? '' : String(s.examDrop.points),
    percentiles: s.examDrop.percentiles === null ? '' : String(s.examDrop.percentiles),
    professionalismEnabled: s.professionalismConcern.enabled,
    missedEnabled: s.missedMeetings.enabled,
    missedCount: String(s.missedMeetings.count),
    missedWindow: String(s.missedMeetings.windowDays),
    wellbeingEnabled: s.lowWellbeing.enabled,
    threshold: String(s.lowWellbeing.threshold),
    lookbackDays: String(s.lookbackDays),
    mentorAfterHours: String(s.reminders.mentorAfterHours),
    directorEnabled: s.reminders.directorNotice.enabled,
    directorAfterHours: String(s.reminders.directorNotice.afterHours),
  };
}

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const optionalNum = (text: string) => (text.trim() === '' ? null : Number(text));

function settingsOf(d: Draft): EarlyWarningSettings {
  return {
    failingGrade: { enabled: d.failingEnabled, numericPassMark: num(d.passMark), includeExams: d.includeExams },
    examDrop: { enabled: d.dropEnabled, points: optionalNum(d.points), percentiles: optionalNum(d.percentiles) },
    professionalismConcern: { enabled: d.professionalismEnabled },
    missedMeetings: { enabled: d.missedEnabled, count: num(d.missedCount), windowDays: num(d.missedWindow) },
    lowWellbeing: { enabled: d.wellbeingEnabled, threshold: num(d.threshold) },
    lookbackDays: num(d.lookbackDays),
    reminders: {
      mentorAfterHours: num(d.mentorAfterHours),
      directorNotice: { enabled: d.directorEnabled, afterHours: num(d.directorAfterHours) },
    },
  };
}

/** Where the server's field path (settings.examDrop.points) shows its error in the form. */
const FIELD_OF: Record<string, keyof Draft> = {
  'settings.failingGrade.numericPassMark': 'passMark',
  'settings.examDrop.points': 'points',
  'settings.examDrop.percentiles': 'percentiles',
  'settings.missedMeetings.count': 'missedCount',
  'settings.missedMeetings.windowDays': 'missedWindow',
  'settings.lowWellbeing.threshold': 'threshold',
  'settings.lookbackDays': 'lookbackDays',
  'settings.reminders.mentorAfterHours': 'mentorAfterHours',
  'settings.reminders.directorNotice.afterHours': 'directorAfterHours',
};

function SettingsForm({
  programId,
  data,
  onSaved,
}: {
  programId: string;
  data: ProgramEarlyWarning;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(data.settings));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    setErrors({});
    setSaving(true);
    try {
      await saveProgramEarlyWarning(programId, settingsOf(draft));
      setOutcome({ tone: 'success', text: 'Saved. The rules apply from the next evaluation (within a day).' });
      onSaved();
    } catch (error) {
      const key = isApiError(error) && error.field ? FIELD_OF[error.field] : undefined;
      // The server's message starts with the field's path, which the form already shows by the field.
      const message = isApiError(error)
        ? error.message.replace(/^[\w.]+: /, '')
        : 'Something went wrong. Please try again.';
      if (key) setErrors({ [key]: message });
      setOutcome({ tone: 'error', text: key ? 'Please check the rules; the field to fix is marked.' : message });
    } finally {
      setSaving(false);
    }
  };

  const numberField = (key: keyof Draft, label: string, hint?: string) => (
    <FormField
      label={label}
      name={key}
      hint={hint}
      inputMode="decimal"
      value={draft[key] as string}
      error={errors[key]}
      onChange={(event) => set(key, event.target.value as never)}
    />
  );
  const toggle = (key: keyof Draft, label: string) => (
    <label className="check">
      <input
        type="checkbox"
        checked={draft[key] as boolean}
        onChange={(event) => set(key, event.target.checked as never)}
      />
      <span>{label}</span>
    </label>
  );
  const rule = (title: string, children: ReactNode) => (
    <Card>
      <fieldset className="settings-fieldset">
        <legend className="card-title">{title}</legend>
        {children}
      </fieldset>
    </Card>
  );

  return (
    <Section title="Rules">
      <p className="cell-secondary">
        {data.isDefault
          ? 'This program uses the default rules until you save.'
          : `Last saved ${formatDateTime(data.updatedAt!)}.`}
      </p>
      <form onSubmit={submit} noValidate className="settings-grid">
        {rule(
          'Failing grade',
          <>
            {toggle('failingEnabled', 'Raise an alert for a failing grade')}
            {numberField('passMark', 'Pass mark for numeric grades (0–100)')}
            {toggle('includeExams', 'Also for exams reported as not passed (e.g. USMLE)')}
          </>,
        )}
        {rule(
          'Drop in exam results',
          <>
            {toggle('dropEnabled', 'Raise an alert when results fall between exams of one kind')}
            {numberField('points', 'Fall in score points', 'Leave empty to check percentiles only.')}
            {numberField('percentiles', 'Fall in percentiles', 'Leave empty to check points only.')}
          </>,
        )}
        {rule(
          'Professionalism concern',
          toggle('professionalismEnabled', 'Raise an alert for a professionalism concern'),
        )}
        {rule(
          'Missed meetings',
          <>
            {toggle('missedEnabled', 'Raise an alert for missed mentoring meetings')}
            {numberField('missedCount', 'Missed meetings')}
            {numberField('missedWindow', 'Within this many days')}
          </>,
        )}
        {rule(
          'Low wellbeing check-in',
          <>
            {toggle('wellbeingEnabled', 'Raise an alert for a low monthly check-in')}
            {numberField('threshold', 'At or below (1 struggling … 5 thriving; at most 4)')}
          </>,
        )}
        {rule(
          'Timing',
          <>
            {numberField('lookbackDays', 'Look back this many days', 'Older records raise nothing.')}
            {numberField('mentorAfterHours', 'Remind the mentor after this many hours unacknowledged')}
            {toggle('directorEnabled', 'Tell me when an alert waits unacknowledged (without its content)')}
            {numberField('directorAfterHours', 'After this many hours (later than the mentor’s reminder)')}
          </>,
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save rules'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}
