import { useCallback, useState, type FormEvent } from 'react';
import {
  READINESS_KIND_LABELS,
  type MentorReadiness,
  type ProgramReadiness,
  type ReadinessKind,
  type ReadinessRequirement,
} from '../../../../common/readiness.ts';
import { isApiError } from '../../api/client.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { addRequirement, fetchProgramReadiness, recordCompletion, saveRequirement } from '../../api/readiness.ts';
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
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDate } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { CompletionImportPanel } from './CompletionImportPanel.tsx';

const TITLE = 'Mentor readiness';

/**
 * The director's view of who may mentor: the program's requirements (training modules, the
 * confidentiality agreement), every mentor with what is missing, expired or expiring soon,
 * completions entered by hand or imported from CSV.
 */
export function ProgramReadinessPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors and administrators"
      purpose="They use it to see which mentors have the training and signed agreement the program requires."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            What the program requires of its mentors before they are paired or see any student’s records, and who is
            ready. A mentor whose training expires keeps their mentees but gets no new ones and sees no records until it
            is renewed.
          </p>
        }
      >
        {(program) => <ProgramReadinessBody program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramReadinessBody({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchProgramReadiness(program.id, signal), [program.id]);
  const readiness = useResource(load);
  if (readiness.status === 'loading') return <LoadingState label="Loading mentor readiness…" />;
  if (readiness.status === 'failed')
    return <LoadFailure what="mentor readiness" error={readiness.error} retry={readiness.retry} />;
  const data = readiness.data;
  return (
    <>
      <StatGrid label="Readiness at a glance">
        <StatTile label="Mentors" value={data.counts.mentors} />
        <StatTile label="Ready" value={data.counts.ready} />
        <StatTile
          label="Not ready"
          value={data.counts.notReady}
          tone={data.counts.notReady > 0 ? 'attention' : 'neutral'}
        />
        <StatTile
          label="Expiring within 30 days"
          value={data.counts.expiringSoon}
          tone={data.counts.expiringSoon > 0 ? 'attention' : 'neutral'}
        />
      </StatGrid>
      <MentorTable readiness={data} />
      <RequirementsSection readiness={data} onSaved={readiness.reload} />
      {data.requirements.length > 0 && <CompletionForm readiness={data} onSaved={readiness.reload} />}
      <CompletionImportPanel programId={program.id} onImported={readiness.reload} />
    </>
  );
}

function MentorTable({ readiness }: { readiness: ProgramReadiness }) {
  if (readiness.mentors.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No mentors yet</h2>
        <p>People with the mentor role in this program appear here.</p>
      </Card>
    );
  }
  return (
    <Section
      title="Mentors"
      intro={
        <p>Computed on {formatDate(readiness.today)}, where the school is. Mentors who are not ready come first.</p>
      }
    >
      <TableFrame label="Mentors and their readiness">
        <table className="data-table">
          <caption>Mentors and their readiness</caption>
          <thead>
            <tr>
              <th scope="col">Mentor</th>
              <th scope="col">Status</th>
              <th scope="col">Missing, expired or expiring</th>
              <th scope="col" className="numeric">
                Mentees
              </th>
            </tr>
          </thead>
          <tbody>
            {readiness.mentors.map((m) => (
              <MentorRow key={m.mentor.id} mentor={m} />
            ))}
          </tbody>
        </table>
      </TableFrame>
    </Section>
  );
}

function MentorRow({ mentor }: { mentor: MentorReadiness }) {
  const expiring = mentor.items.filter((i) => i.required && i.expiringSoon);
  return (
    <tr>
      <th scope="row">
        {mentor.mentor.name}
        <br />
        <span className="field-hint">{mentor.mentor.email}</span>
      </th>
      <td>
        {mentor.ready ? (
          <span className="badge badge-positive readiness-status">Ready</span>
        ) : (
          <span className="badge badge-attention readiness-status">Not ready</span>
        )}
      </td>
      <td>
        {mentor.problems.length === 0 && expiring.length === 0 ? (
          '—'
        ) : (
          <ul className="plain-list">
            {mentor.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
            {expiring.map((i) => (
              <li key={i.requirementId}>
                {i.name} expires on {i.expiresOn ? formatDate(i.expiresOn) : ''}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="numeric">{mentor.activeMentees}</td>
    </tr>
  );
}

/** Runs a save and turns a refusal into an error at the field the server named. */
function useSave() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (checks: Record<string, string | null>, action: () => Promise<unknown>, success: string) => {
    const found = Object.fromEntries(Object.entries(checks).filter((e): e is [string, string] => e[1] !== null));
    setErrors(found);
    setDone(null);
    if (Object.keys(found).length > 0) return false;
    setBusy(true);
    try {
      await action();
      setDone(success);
      return true;
    } catch (error) {
      const message = isApiError(error) ? error.message : 'Something went wrong; try again.';
      setErrors({ [isApiError(error) && error.field ? error.field : 'form']: message });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const outcome = (
    <LiveRegion politeness="polite">
      {errors.form && <Alert tone="error" title={errors.form} />}
      {done && <Alert tone="success" title={done} />}
    </LiveRegion>
  );
  return { errors, busy, save, outcome };
}

const parseMonths = (text: string): number | null | 'bad' => {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 120 ? n : 'bad';
};

function RequirementsSection({ readiness, onSaved }: { readiness: ProgramReadiness; onSaved: () => void }) {
  const hasAgreement = readiness.requirements.some((r) => r.kind === 'agreement');
  return (
    <Section
      title="Requirements"
      intro={
        <p>
          Training modules and the confidentiality agreement mentors sign in medmentor. A validity in months makes a
          completion expire (e.g. privacy training every 12 months); leave it empty for once-only items. An optional
          item is tracked but does not hold anyone back.
        </p>
      }
    >
      {readiness.requirements.map((r) => (
        <RequirementEditor
          key={`${r.id}-${r.updatedAt}`}
          programId={readiness.programId}
          requirement={r}
          onSaved={onSaved}
        />
      ))}
      <NewRequirementForm programId={readiness.programId} hasAgreement={hasAgreement} onSaved={onSaved} />
    </Section>
  );
}

function RequirementEditor({
  programId,
  requirement,
  onSaved,
}: {
  programId: string;
  requirement: ReadinessRequirement;
  onSaved: () => void;
}) {
  const [name, setName] = useState(requirement.name);
  const [required, setRequired] = useState(requirement.required);
  const [months, setMonths] = useState(requirement.validityMonths === null ? '' : String(requirement.validityMonths));
  const [text, setText] = useState(requirement.agreementText ?? '');
  const { errors, busy, save, outcome } = useSave();
  const agreement = requirement.kind === 'agreement';
  const headingId = `requirement-${requirement.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const validity = parseMonths(months);
    const ok = await save(
      {
        name: name.trim() ? null : 'Give the requirement a name',
        validityMonths: validity === 'bad' ? 'Enter whole months from 1 to 120, or leave it empty' : null,
        agreementText: agreement && !text.trim() ? 'Write the text mentors read and sign' : null,
      },
      () =>
        saveRequirement(programId, requirement.id, {
          name,
          required,
          validityMonths: validity === 'bad' ? null : validity,
          ...(agreement ? { agreementText: text } : {}),
        }),
      `${name.trim()} saved.`,
    );
    if (ok) onSaved();
  };
  return (
    <Card as="section" labelledBy={headingId}>
      <h3 id={headingId}>
        {requirement.name}{' '}
        <span className="badge badge-muted">
          {READINESS_KIND_LABELS[requirement.kind]}
          {agreement ? `, version ${requirement.agreementVersion}` : ''}
        </span>
      </h3>
      <form onSubmit={submit} noValidate className="readiness-form">
        <FormField
          label="Name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <FormField
          label="Validity in months"
          name="validityMonths"
          inputMode="numeric"
          hint="Empty: it never expires"
          value={months}
          onChange={(e) => setMonths(e.target.value)}
          error={errors.validityMonths}
        />
        <label className="check">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          <span>Required before pairing and record access</span>
        </label>
        {agreement && (
          <TextAreaField
            label="Agreement text"
            name="agreementText"
            rows={6}
            hint="Changing the text makes a new version: every mentor must sign again before they count as ready."
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={errors.agreementText}
          />
        )}
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={busy}>
            {busy ? 'Saving…' : `Save ${requirement.name}`}
          </button>
        </div>
        {outcome}
      </form>
    </Card>
  );
}

function NewRequirementForm({
  programId,
  hasAgreement,
  onSaved,
}: {
  programId: string;
  hasAgreement: boolean;
  onSaved: () => void;
}) {
  const [kind, setKind] = useState<ReadinessKind>('training');
  const [name, setName] = useState('');
  const [required, setRequired] = useState(true);
  const [months, setMonths] = useState('');
  const [text, setText] = useState('');
  const { errors, busy, save, outcome } = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const validity = parseMonths(months);
    const ok = await save(
      {
        name: name.trim() ? null : 'Give the requirement a name',
        validityMonths: validity === 'bad' ? 'Enter whole months from 1 to 120, or leave it empty' : null,
        agreementText: kind === 'agreement' && !text.trim() ? 'Write the text mentors read and sign' : null,
      },
      () =>
        addRequirement(programId, {
          kind,
          name,
          required,
          validityMonths: validity === 'bad' ? null : validity,
          agreementText: kind === 'agreement' ? text : null,
        }),
      `${name.trim()} added.`,
    );
    if (ok) {
      setName('');
      setMonths('');
      setText('');
      onSaved();
    }
  };
  return (
    <Card as="section" labelledBy="new-requirement">
      <h3 id="new-requirement">Add a requirement</h3>
      <form onSubmit={submit} noValidate className="readiness-form">
        <SelectField
          label="Kind"
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as ReadinessKind)}
          error={errors.kind}
        >
          <option value="training">{READINESS_KIND_LABELS.training}</option>
          {!hasAgreement && <option value="agreement">{READINESS_KIND_LABELS.agreement}</option>}
        </SelectField>
        <FormField
          label="Requirement name"
          name="name"
          hint="As mentors and your training system call it, e.g. Student privacy (FERPA)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <FormField
          label="Validity (months)"
          name="validityMonths"
          inputMode="numeric"
          hint="Empty: once, it never expires"
          value={months}
          onChange={(e) => setMonths(e.target.value)}
          error={errors.validityMonths}
        />
        <label className="check">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          <span>Required before pairing and record access</span>
        </label>
        {kind === 'agreement' && (
          <TextAreaField
            label="Text mentors sign"
            name="agreementText"
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={errors.agreementText}
          />
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add requirement'}
          </button>
        </div>
        {outcome}
      </form>
    </Card>
  );
}

function CompletionForm({ readiness, onSaved }: { readiness: ProgramReadiness; onSaved: () => void }) {
  const [mentorId, setMentorId] = useState('');
  const [requirementId, setRequirementId] = useState('');
  const [completedOn, setCompletedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const { errors, busy, save, outcome } = useSave();
  const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const mentorName = readiness.mentors.find((m) => m.mentor.id === mentorId)?.mentor.name ?? '';
  const requirementName = readiness.requirements.find((r) => r.id === requirementId)?.name ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await save(
      {
        mentorId: mentorId ? null : 'Choose a mentor',
        requirementId: requirementId ? null : 'Choose a requirement',
        completedOn: isDate(completedOn) ? null : 'Choose the date it was completed',
        expiresOn:
          expiresOn === '' || isDate(expiresOn)
            ? expiresOn !== '' && expiresOn <= completedOn
              ? 'The expiry must be after the completion date'
              : null
            : 'Choose a date, or leave it empty',
      },
      () =>
        recordCompletion(readiness.programId, { mentorId, requirementId, completedOn, expiresOn: expiresOn || null }),
      `Recorded: ${mentorName} completed ${requirementName} on ${completedOn ? formatDate(completedOn) : ''}.`,
    );
    if (ok) onSaved();
  };
  return (
    <Section
      title="Record a completion"
      intro={<p>For a certificate or a signed paper agreement. The same entry twice is recorded once.</p>}
    >
      <Card>
        <form onSubmit={submit} noValidate className="readiness-form">
          <SelectField
            label="Mentor"
            name="mentorId"
            value={mentorId}
            onChange={(e) => setMentorId(e.target.value)}
            error={errors.mentorId}
          >
            <option value="">Choose a mentor</option>
            {readiness.mentors.map((m) => (
              <option key={m.mentor.id} value={m.mentor.id}>
                {m.mentor.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Requirement"
            name="requirementId"
            value={requirementId}
            onChange={(e) => setRequirementId(e.target.value)}
            error={errors.requirementId}
          >
            <option value="">Choose a requirement</option>
            {readiness.requirements.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
          <FormField
            label="Completed on"
            name="completedOn"
            type="date"
            value={completedOn}
            max={readiness.today}
            onChange={(e) => setCompletedOn(e.target.value)}
            error={errors.completedOn}
          />
          <FormField
            label="Expires on"
            name="expiresOn"
            type="date"
            hint="Leave empty to compute it from the requirement’s validity"
            value={expiresOn}
            onChange={(e) => setExpiresOn(e.target.value)}
            error={errors.expiresOn}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Recording…' : 'Record completion'}
            </button>
          </div>
          {outcome}
        </form>
      </Card>
    </Section>
  );
}
