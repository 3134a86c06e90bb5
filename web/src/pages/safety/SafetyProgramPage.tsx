import { lazy, Suspense, useCallback, useId, useState, type FormEvent } from 'react';
import type { EscalationCounts, ProgramSafety } from '../../../../common/safety.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { isApiError } from '../../api/client.ts';
import {
  addWellbeingContact,
  fetchEscalationCounts,
  fetchProgramSafety,
  removeWellbeingContact,
  saveSafetySettings,
  searchStaff,
} from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { useMe } from '../../session/session-context.ts';

const EscalationCountsChart = lazy(() => import('./EscalationCountsChart.tsx'));
const TITLE = 'Safety escalations';
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthLabel = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));

/**
 * The program's side of safety escalation: how many there were each month (counts only, never a
 * reason or a name), and for its director the wellbeing contacts and the access and notice periods.
 */
export function SafetyProgramPage() {
  return (
    <ProgramPage
      use="audit"
      title={TITLE}
      intro="Mentors who learn of a risk to a student’s safety ask one of the program’s wellbeing contacts for help. You see how many escalations there were, never why or about whom."
    >
      {(program) => <ProgramSafetyView program={program} />}
    </ProgramPage>
  );
}

function ProgramSafetyView({ program }: { program: Program }) {
  const me = useMe();
  const loadCounts = useCallback((signal: AbortSignal) => fetchEscalationCounts(program.id, signal), [program.id]);
  const counts = useResource(loadCounts, { keepPrevious: true });
  return (
    <>
      {counts.status === 'loading' && <LoadingState label="Loading the counts…" />}
      {counts.status === 'failed' && <LoadFailure what="the counts" error={counts.error} retry={counts.retry} />}
      {counts.status === 'loaded' && <Counts counts={counts.data} />}
      {canManagePrograms(me) && <Manage program={program} />}
    </>
  );
}

function Counts({ counts }: { counts: EscalationCounts }) {
  const captionId = useId();
  const months = counts.months.map((m) => ({ ...m, label: monthLabel(m.month) }));
  return (
    <figure className="card compliance-trend" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="card-title">Escalations per month</span>
        <span className="cell-secondary">
          {counts.total === 0
            ? 'No escalation has been made in this program.'
            : `${counts.total} escalation${counts.total === 1 ? '' : 's'} in all.`}
        </span>
      </figcaption>
      {months.length > 0 && (
        <>
          <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
            <EscalationCountsChart months={months} />
          </Suspense>
          <TableFrame label="Escalations and renewals per month">
            <table className="data-table">
              <caption className="visually-hidden">Escalations and renewals per month</caption>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col" className="numeric">
                    Escalations
                  </th>
                  <th scope="col" className="numeric">
                    Renewals
                  </th>
                </tr>
              </thead>
              <tbody>
                {months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{m.label}</th>
                    <td className="numeric">{m.escalations}</td>
                    <td className="numeric">{m.renewals}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </>
      )}
    </figure>
  );
}

function Manage({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchProgramSafety(program.id, signal), [program.id]);
  const safety = useResource(load, { keepPrevious: true });
  if (safety.status === 'loading') return <LoadingState label="Loading the wellbeing contacts…" />;
  if (safety.status === 'failed')
    return <LoadFailure what="the wellbeing contacts" error={safety.error} retry={safety.retry} />;
  return (
    <>
      <Contacts programId={program.id} safety={safety.data} onChanged={safety.reload} />
      <SettingsForm programId={program.id} safety={safety.data} onSaved={safety.reload} />
    </>
  );
}

function Contacts({
  programId,
  safety,
  onChanged,
}: {
  programId: string;
  safety: ProgramSafety;
  onChanged: () => void;
}) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<{ id: string; name: string; email: string }[] | null>(null);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    try {
      const people = await searchStaff(search);
      setFound(people.map((p) => ({ id: p.id, name: p.name, email: p.email })));
    } catch (error) {
      setOutcome({ tone: 'error', text: isApiError(error) ? error.message : 'The search failed. Please try again.' });
    }
  };
  const act = async (text: string, change: () => Promise<unknown>) => {
    setBusy(true);
    setOutcome(null);
    try {
      await change();
      setOutcome({ tone: 'success', text });
      setFound(null);
      onChanged();
    } catch (error) {
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      title="Wellbeing contacts"
      intro="Mentors can ask these people for help. A contact never receives an escalation about a student they assess: the firewall applies to them as to mentors."
    >
      {safety.contacts.length === 0 ? (
        <p>The program has no wellbeing contact yet.</p>
      ) : (
        <ul className="plain-list">
          {safety.contacts.map((c) => (
            <li key={c.userId} className="inline-actions">
              <span>
                {c.name}
                <span className="cell-secondary">{[c.title, c.department, c.email].filter(Boolean).join(' · ')}</span>
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() =>
                  act(`${c.name} is no longer a wellbeing contact.`, () => removeWellbeingContact(programId, c.userId))
                }
              >
                Remove<span className="visually-hidden"> {c.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={find} className="inline-form" noValidate>
        <FormField
          label="Find a member of staff"
          name="staffSearch"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          hint="Part of a name or email address."
        />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {found &&
        (found.length === 0 ? (
          <p>Nobody on staff matches.</p>
        ) : (
          <ul className="plain-list">
            {found.map((p) => (
              <li key={p.id} className="inline-actions">
                <span>
                  {p.name} <span className="cell-secondary">{p.email}</span>
                </span>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy || safety.contacts.some((c) => c.userId === p.id)}
                  onClick={() =>
                    act(`${p.name} is now a wellbeing contact.`, () => addWellbeingContact(programId, p.id))
                  }
                >
                  Make a contact<span className="visually-hidden">: {p.name}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}

function SettingsForm({
  programId,
  safety,
  onSaved,
}: {
  programId: string;
  safety: ProgramSafety;
  onSaved: () => void;
}) {
  const [days, setDays] = useState(String(safety.settings.accessDays));
  const [delay, setDelay] = useState(String(safety.settings.studentNoticeDelayHours));
  const [errors, setErrors] = useState<{ accessDays?: string; studentNoticeDelayHours?: string }>({});
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const accessDays = Number(days);
    const studentNoticeDelayHours = Number(delay);
    const found: typeof errors = {};
    if (!Number.isInteger(accessDays) || accessDays < 1 || accessDays > 90)
      found.accessDays = 'A whole number of days from 1 to 90';
    if (!Number.isInteger(studentNoticeDelayHours) || studentNoticeDelayHours < 0 || studentNoticeDelayHours > 168)
      found.studentNoticeDelayHours = 'A whole number of hours from 0 to 168';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setOutcome({ tone: 'error', text: 'Nothing was saved; see the fields marked below.' });
      return;
    }
    setSaving(true);
    try {
      await saveSafetySettings(programId, { accessDays, studentNoticeDelayHours });
      setOutcome({ tone: 'success', text: 'Saved. New escalations follow these settings.' });
      onSaved();
    } catch (error) {
      if (isApiError(error) && (error.field === 'accessDays' || error.field === 'studentNoticeDelayHours'))
        setErrors({ [error.field]: error.message });
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title="Access and notice">
      <form onSubmit={submit} className="form" noValidate>
        <FormField
          label="Days a contact can open an escalation"
          name="accessDays"
          inputMode="numeric"
          value={days}
          onChange={(event) => setDays(event.target.value)}
          error={errors.accessDays}
          hint="A renewal, with a reason, gives this many days again from the day it is made."
        />
        <FormField
          label="Hours before the student is told"
          name="studentNoticeDelayHours"
          inputMode="numeric"
          value={delay}
          onChange={(event) => setDelay(event.target.value)}
          error={errors.studentNoticeDelayHours}
          hint="0 tells the student at once. Only set a delay where your program’s policy requires it; the student’s own pages show the escalation from the start either way."
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}
