import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  STIPEND_KIND_LABELS,
  STIPEND_KINDS,
  type CompensationSetup,
  type StipendKind,
} from '../../../../common/compensation.ts';
import {
  addMentorLeave,
  addStipendRule,
  fetchCompensationSetup,
  saveCompensationSettings,
  setPayrollEmployeeId,
} from '../../api/compensation.ts';
import { isApiError } from '../../api/client.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { useMe } from '../../session/session-context.ts';
import { formatCents, parseCents } from './money.ts';

const TITLE = 'Stipend rules';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const UNIT: Record<StipendKind, string> = {
  per_mentee_month: 'per mentee month',
  per_hour: 'per hour',
  flat_term: 'per term',
};

/** The director sets the program's stipend rules, caps and payroll codes, and records mentors' leave. */
export function StipendRulesPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors and administrators"
      purpose="They use it to set what mentors are paid."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            What the program pays its mentors, from a date on. A new rule replaces the running one of its kind from its
            first day; months already approved keep what they were computed with. See the{' '}
            <Link to="/compensation">monthly ledger</Link>.
          </p>
        }
      >
        {(program) => <ProgramRules program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramRules({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchCompensationSetup(program.id, signal), [program.id]);
  const setup = useResource(load);
  if (setup.status === 'loading') return <LoadingState label="Loading the stipend rules…" />;
  if (setup.status === 'failed')
    return <LoadFailure what="the stipend rules" error={setup.error} retry={setup.retry} />;
  return (
    <>
      <RulesCard setup={setup.data} programId={program.id} onSaved={setup.reload} />
      <SettingsCard setup={setup.data} programId={program.id} onSaved={setup.reload} />
      <LeaveCard setup={setup.data} programId={program.id} onSaved={setup.reload} />
      <EmployeeIdCard setup={setup.data} programId={program.id} onSaved={setup.reload} />
    </>
  );
}

/** Runs a save and turns a refusal into errors keyed by field. */
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
  const outcome: ReactNode = (
    <div aria-live="polite">
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
    </div>
  );
  return { errors, busy, save, outcome };
}

function RulesCard({
  setup,
  programId,
  onSaved,
}: {
  setup: CompensationSetup;
  programId: string;
  onSaved: () => void;
}) {
  const [kind, setKind] = useState<StipendKind>('per_mentee_month');
  const [amount, setAmount] = useState('');
  const [from, setFrom] = useState('');
  const { errors, busy, save, outcome } = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseCents(amount);
    const ok = await save(
      {
        amountCents: cents === null || cents < 0 ? 'Enter an amount in dollars and cents, e.g. 150.00' : null,
        effectiveFrom: /^\d{4}-\d{2}-\d{2}$/.test(from) ? null : 'Choose the first day the rule applies',
      },
      () => addStipendRule(programId, { kind, amountCents: cents!, effectiveFrom: from }),
      `Rule added: ${formatCents(cents ?? 0)} ${UNIT[kind]} from ${from}.`,
    );
    if (ok) {
      setAmount('');
      onSaved();
    }
  };
  return (
    <Card as="section" labelledBy="rules-title">
      <h2 className="card-title" id="rules-title">
        Rules
      </h2>
      {setup.rules.length === 0 ? (
        <p>No rule yet: mentors earn nothing until one is added.</p>
      ) : (
        <TableFrame label="Stipend rules">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col" className="numeric">
                  Amount
                </th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Added by</th>
              </tr>
            </thead>
            <tbody>
              {setup.rules.map((rule) => (
                <tr key={rule.id}>
                  <td>{STIPEND_KIND_LABELS[rule.kind]}</td>
                  <td className="numeric">
                    {formatCents(rule.amountCents)} {UNIT[rule.kind]}
                  </td>
                  <td>{rule.effectiveFrom}</td>
                  <td>{rule.effectiveTo ?? 'running'}</td>
                  <td>{rule.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <form onSubmit={submit} noValidate className="rule-form">
        <h3>Add a rule</h3>
        <div className="compensation-fields">
          <SelectField
            label="Kind"
            name="kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as StipendKind)}
          >
            {STIPEND_KINDS.map((k) => (
              <option key={k} value={k}>
                {STIPEND_KIND_LABELS[k]}
              </option>
            ))}
          </SelectField>
          <FormField
            label="Amount (dollars)"
            name="amount"
            inputMode="decimal"
            hint="Per-hour pay is rounded half up to the cent once a month"
            value={amount}
            error={errors.amountCents}
            onChange={(event) => setAmount(event.target.value)}
          />
          <FormField
            label="From"
            name="effectiveFrom"
            type="date"
            value={from}
            error={errors.effectiveFrom}
            onChange={(event) => setFrom(event.target.value)}
          />
        </div>
        {outcome}
        <button type="submit" className="button button-primary" disabled={busy}>
          Add rule
        </button>
      </form>
    </Card>
  );
}

const capText = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

function SettingsCard({
  setup,
  programId,
  onSaved,
}: {
  setup: CompensationSetup;
  programId: string;
  onSaved: () => void;
}) {
  const [monthly, setMonthly] = useState(capText(setup.settings.monthlyCapCents));
  const [term, setTerm] = useState(capText(setup.settings.termCapCents));
  const [startMonth, setStartMonth] = useState(String(setup.settings.termStartMonth));
  const [costCentre, setCostCentre] = useState(setup.settings.costCentre);
  const [earningCode, setEarningCode] = useState(setup.settings.earningCode);
  const { errors, busy, save, outcome } = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const monthlyCents = monthly.trim() === '' ? null : parseCents(monthly);
    const termCents = term.trim() === '' ? null : parseCents(term);
    const ok = await save(
      {
        monthlyCapCents:
          monthly.trim() !== '' && (monthlyCents === null || monthlyCents < 0)
            ? 'Enter dollars and cents, or leave empty'
            : null,
        termCapCents:
          term.trim() !== '' && (termCents === null || termCents < 0)
            ? 'Enter dollars and cents, or leave empty'
            : null,
        earningCode: /^[A-Z0-9_-]{1,20}$/.test(earningCode) ? null : 'Use 1–20 capital letters, digits, - or _',
      },
      () =>
        saveCompensationSettings(programId, {
          monthlyCapCents: monthlyCents,
          termCapCents: termCents,
          termStartMonth: Number(startMonth),
          costCentre: costCentre.trim(),
          earningCode,
        }),
      'Caps and payroll codes saved.',
    );
    if (ok) onSaved();
  };
  return (
    <Card as="section" labelledBy="settings-title">
      <h2 className="card-title" id="settings-title">
        Caps and payroll codes
      </h2>
      <form onSubmit={submit} noValidate>
        <div className="compensation-fields">
          <FormField
            label="Cap per mentor per month (dollars)"
            name="monthlyCap"
            inputMode="decimal"
            hint="Empty for no cap"
            value={monthly}
            error={errors.monthlyCapCents}
            onChange={(event) => setMonthly(event.target.value)}
          />
          <FormField
            label="Cap per mentor per term (dollars)"
            name="termCap"
            inputMode="decimal"
            hint="Empty for no cap"
            value={term}
            error={errors.termCapCents}
            onChange={(event) => setTerm(event.target.value)}
          />
          <SelectField
            label="The term starts in"
            name="termStartMonth"
            value={startMonth}
            onChange={(event) => setStartMonth(event.target.value)}
          >
            {MONTHS.map((name, i) => (
              <option key={name} value={String(i + 1)}>
                {name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="compensation-fields">
          <FormField
            label="Cost centre"
            name="costCentre"
            value={costCentre}
            maxLength={40}
            error={errors.costCentre}
            onChange={(event) => setCostCentre(event.target.value)}
          />
          <FormField
            label="Earning code"
            name="earningCode"
            value={earningCode}
            error={errors.earningCode}
            onChange={(event) => setEarningCode(event.target.value.toUpperCase())}
          />
        </div>
        {outcome}
        <button type="submit" className="button button-primary" disabled={busy}>
          Save caps and codes
        </button>
      </form>
    </Card>
  );
}

function LeaveCard({
  setup,
  programId,
  onSaved,
}: {
  setup: CompensationSetup;
  programId: string;
  onSaved: () => void;
}) {
  const [mentorId, setMentorId] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [reason, setReason] = useState('');
  const { errors, busy, save, outcome } = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await save(
      {
        mentorId: mentorId ? null : 'Choose the mentor',
        startsOn: startsOn ? null : 'Choose the first day of leave',
        endsOn: !endsOn ? 'Choose the last day of leave' : endsOn < startsOn ? 'The leave ends before it starts' : null,
        reason: reason.trim() ? null : 'Give a reason',
      },
      () => addMentorLeave(programId, { mentorId, startsOn, endsOn, reason: reason.trim() }),
      'Leave recorded.',
    );
    if (ok) {
      setReason('');
      onSaved();
    }
  };
  return (
    <Card as="section" labelledBy="leave-title">
      <h2 className="card-title" id="leave-title">
        Mentor leave
      </h2>
      <p>
        A month a mentor is on leave from its first to its last day earns no per-mentee amount; documented hours still
        count.
      </p>
      {setup.leaves.length > 0 && (
        <ul className="plain-list">
          {setup.leaves.map((leave) => (
            <li key={leave.id}>
              {leave.mentorName}: {leave.startsOn} to {leave.endsOn} ({leave.reason})
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate>
        <div className="compensation-fields">
          <SelectField
            label="Mentor"
            name="mentorId"
            value={mentorId}
            error={errors.mentorId}
            onChange={(event) => setMentorId(event.target.value)}
          >
            <option value="">Choose a mentor</option>
            {setup.mentors.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <FormField
            label="First day"
            name="startsOn"
            type="date"
            value={startsOn}
            error={errors.startsOn}
            onChange={(event) => setStartsOn(event.target.value)}
          />
          <FormField
            label="Last day"
            name="endsOn"
            type="date"
            value={endsOn}
            error={errors.endsOn}
            onChange={(event) => setEndsOn(event.target.value)}
          />
          <FormField
            label="Reason"
            name="leaveReason"
            value={reason}
            maxLength={200}
            error={errors.reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        {outcome}
        <button type="submit" className="button button-secondary" disabled={busy}>
          Record leave
        </button>
      </form>
    </Card>
  );
}

/** The payroll office's number for each mentor; the payroll file falls back to the roster's id. */
function EmployeeIdCard({
  setup,
  programId,
  onSaved,
}: {
  setup: CompensationSetup;
  programId: string;
  onSaved: () => void;
}) {
  const [mentorId, setMentorId] = useState('');
  const [employeeId, setEmployeeId] = useState('');
  const { errors, busy, save, outcome } = useSave();
  const choose = (id: string) => {
    setMentorId(id);
    setEmployeeId(setup.mentors.find((m) => m.id === id)?.employeeId ?? '');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = employeeId.trim();
    const name = setup.mentors.find((m) => m.id === mentorId)?.name ?? '';
    const ok = await save(
      {
        mentorId: mentorId ? null : 'Choose the mentor',
        employeeId: !value
          ? 'Enter the employee id the payroll office uses'
          : /^[A-Za-z0-9._-]{1,40}$/.test(value)
            ? null
            : 'Use up to 40 letters, digits, dots, dashes or underscores',
      },
      () => setPayrollEmployeeId(programId, mentorId, value),
      `Employee id of ${name} set to ${value}.`,
    );
    if (ok) onSaved();
  };
  const missing = setup.mentors.filter((m) => !m.employeeId).length;
  return (
    <Card as="section" labelledBy="employee-id-title">
      <h2 className="card-title" id="employee-id-title">
        Payroll employee ids
      </h2>
      <p>
        The payroll file names each mentor by the payroll office’s employee id.{' '}
        {missing === 0
          ? 'Every mentor of the program has one.'
          : `${missing} of ${setup.mentors.length} mentors have none yet; their line uses the roster’s id instead.`}
      </p>
      {setup.mentors.length > 0 && (
        <TableFrame label="Mentors and their payroll employee ids">
          <table className="data-table">
            <caption className="visually-hidden">Mentors and their payroll employee ids</caption>
            <thead>
              <tr>
                <th scope="col">Mentor</th>
                <th scope="col">Employee id</th>
              </tr>
            </thead>
            <tbody>
              {setup.mentors.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td>{m.employeeId ?? <span className="cell-secondary">None (roster id used)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <form onSubmit={submit} noValidate>
        <div className="compensation-fields">
          <SelectField
            label="Mentor"
            name="employeeMentorId"
            value={mentorId}
            error={errors.mentorId}
            onChange={(event) => choose(event.target.value)}
          >
            <option value="">Choose a mentor</option>
            {setup.mentors.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <FormField
            label="Employee id"
            name="employeeId"
            value={employeeId}
            maxLength={40}
            autoComplete="off"
            error={errors.employeeId}
            onChange={(event) => setEmployeeId(event.target.value)}
          />
        </div>
        {outcome}
        <button type="submit" className="button button-secondary" disabled={busy}>
          Save employee id
        </button>
      </form>
    </Card>
  );
}
