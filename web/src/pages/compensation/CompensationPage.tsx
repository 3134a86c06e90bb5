import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { LedgerDetail, LedgerSummary } from '../../../../common/compensation.ts';
import {
  addAdjustment,
  approveLedger,
  computeLedgers,
  exportPayroll,
  fetchLedger,
  fetchLedgers,
  fetchPayrollExports,
  payrollFileUrl,
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
import { TableFrame } from '../../components/TableFrame.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDateTime } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { currentPeriod, formatCents, parseCents, periodLabel, STATUS_LABELS } from './money.ts';

const TITLE = 'Mentor compensation';

/** The director's monthly ledger: compute from documented meetings, review, adjust, approve, export to payroll. */
export function CompensationPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors and administrators"
      purpose="They use it to approve mentors’ stipends and send them to payroll."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            Each mentor’s stipend for a month, computed from documented meetings under the program’s{' '}
            <Link to="/compensation/rules">stipend rules</Link>. Review a draft, adjust it with a reason, approve it,
            then export the approved month to payroll. Approved months are frozen.
          </p>
        }
      >
        {(program) => <ProgramLedger program={program} myId={me.id} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramLedger({ program, myId }: { program: Program; myId: string }) {
  const [period, setPeriod] = useState(currentPeriod());
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const monthId = useId();
  const loadLedgers = useCallback(
    (signal: AbortSignal) => fetchLedgers(program.id, period, signal),
    [program.id, period],
  );
  const loadExports = useCallback((signal: AbortSignal) => fetchPayrollExports(program.id, signal), [program.id]);
  const ledgers = useResource(loadLedgers, { keepPrevious: true });
  const exports = useResource(loadExports);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ tone: 'success', text: await action() });
      if (ledgers.status === 'loaded') ledgers.reload();
      if (exports.status === 'loaded') exports.reload();
    } catch (error) {
      setMessage({ tone: 'error', text: isApiError(error) ? error.message : 'Something went wrong; try again.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Card as="section" labelledBy={`${monthId}-title`}>
        <h2 className="card-title" id={`${monthId}-title`}>
          Monthly ledger
        </h2>
        <div className="toolbar compensation-toolbar">
          <FormField
            label="Month"
            name="period"
            type="month"
            value={period}
            required
            onChange={(event) => {
              if (/^\d{4}-\d{2}$/.test(event.target.value)) {
                setPeriod(event.target.value);
                setSelected(null);
              }
            }}
          />
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const list = await computeLedgers(program.id, period);
                return `Computed ${periodLabel(period)}: ${list.ledgers.length} mentor ledger(s), ${formatCents(list.totalCents)} in all. Approved months were left as they were.`;
              })
            }
          >
            Compute {periodLabel(period)}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const file = await exportPayroll(program.id, period);
                return file.created
                  ? `Payroll file ${file.fileName} made: ${file.lineCount} line(s), ${formatCents(file.totalCents)}.`
                  : `Nothing new was approved; the latest file, ${file.fileName}, is unchanged.`;
              })
            }
          >
            Export approved to payroll
          </button>
        </div>
        <div aria-live="polite">{message && <Alert tone={message.tone}>{message.text}</Alert>}</div>
        {ledgers.status === 'loading' && <LoadingState label="Loading the month’s ledgers…" />}
        {ledgers.status === 'failed' && (
          <LoadFailure what="the month’s ledgers" error={ledgers.error} retry={ledgers.retry} />
        )}
        {ledgers.status === 'loaded' &&
          (ledgers.data.ledgers.length === 0 ? (
            <p>No ledger for {periodLabel(period)} yet. Compute the month to make one for each mentor.</p>
          ) : (
            <LedgerTable
              ledgers={ledgers.data.ledgers}
              total={ledgers.data.totalCents}
              period={period}
              selected={selected}
              onSelect={setSelected}
            />
          ))}
      </Card>
      {selected && (
        <LedgerPanel
          key={selected}
          ledgerId={selected}
          myId={myId}
          onChanged={() => {
            if (ledgers.status === 'loaded') ledgers.reload();
          }}
        />
      )}
      <Card as="section" labelledBy={`${monthId}-exports`}>
        <h2 className="card-title" id={`${monthId}-exports`}>
          Payroll files
        </h2>
        {exports.status === 'loading' && <LoadingState label="Loading payroll files…" />}
        {exports.status === 'failed' && (
          <LoadFailure what="the payroll files" error={exports.error} retry={exports.retry} />
        )}
        {exports.status === 'loaded' &&
          (exports.data.exports.length === 0 ? (
            <p>No payroll file yet.</p>
          ) : (
            <ul className="plain-list">
              {exports.data.exports.map((file) => (
                <li key={file.id}>
                  <a href={payrollFileUrl(file.id)} download={file.fileName}>
                    {file.fileName}
                  </a>{' '}
                  — {periodLabel(file.period)}, {file.lineCount} line(s), {formatCents(file.totalCents)}, by{' '}
                  {file.createdBy} on {formatDateTime(file.createdAt)}
                </li>
              ))}
            </ul>
          ))}
      </Card>
    </>
  );
}

function LedgerTable(props: {
  ledgers: LedgerSummary[];
  total: number;
  period: string;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <TableFrame label={`Ledgers for ${periodLabel(props.period)}`}>
      <table className="data-table">
        <caption className="visually-hidden">Each mentor’s stipend for {periodLabel(props.period)}</caption>
        <thead>
          <tr>
            <th scope="col">Mentor</th>
            <th scope="col">Department</th>
            <th scope="col" className="numeric">
              Computed
            </th>
            <th scope="col" className="numeric">
              Adjustments
            </th>
            <th scope="col" className="numeric">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.ledgers.map((ledger) => (
            <tr key={ledger.id} aria-current={props.selected === ledger.id ? 'true' : undefined}>
              <th scope="row">{ledger.mentor.name}</th>
              <td>{ledger.mentor.department ?? '—'}</td>
              <td className="numeric">{formatCents(ledger.computedCents)}</td>
              <td className="numeric">{formatCents(ledger.adjustmentsCents)}</td>
              <td className="numeric">
                <strong>{formatCents(ledger.totalCents)}</strong>
              </td>
              <td>
                <span className={`ledger-status ledger-status-${ledger.status}`}>{STATUS_LABELS[ledger.status]}</span>
              </td>
              <td>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => props.onSelect(ledger.id)}
                >
                  Review<span className="visually-hidden"> {ledger.mentor.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              Total for the month
            </th>
            <td className="numeric">
              <strong>{formatCents(props.total)}</strong>
            </td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
    </TableFrame>
  );
}

function LedgerPanel({ ledgerId, myId, onChanged }: { ledgerId: string; myId: string; onChanged: () => void }) {
  const load = useCallback((signal: AbortSignal) => fetchLedger(ledgerId, signal), [ledgerId]);
  const ledger = useResource(load);
  const titleId = useId();
  if (ledger.status === 'loading') return <LoadingState label="Loading the ledger…" />;
  if (ledger.status === 'failed') return <LoadFailure what="the ledger" error={ledger.error} retry={ledger.retry} />;
  const data = ledger.data;
  const changed = () => {
    ledger.reload();
    onChanged();
  };
  return (
    <Card as="section" labelledBy={titleId} className="ledger-panel">
      <h2 className="card-title" id={titleId} tabIndex={-1}>
        {data.mentor.name} — {periodLabel(data.period)}
      </h2>
      <p>
        <span className={`ledger-status ledger-status-${data.status}`}>{STATUS_LABELS[data.status]}</span>{' '}
        {data.approvedBy && (
          <>
            Approved by {data.approvedBy} on {data.approvedAt}.
          </>
        )}
      </p>
      <h3>Lines</h3>
      {data.lines.length === 0 ? (
        <p>No stipend earned this month.</p>
      ) : (
        <TableFrame label="Ledger lines">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col" className="numeric">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((line, i) => (
                <tr key={i}>
                  <td>{line.description}</td>
                  <td className="numeric">{formatCents(line.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <h3>Adjustment history</h3>
      {data.adjustments.length === 0 ? (
        <p>No adjustments.</p>
      ) : (
        <TableFrame label="Adjustment history">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
                <th scope="col" className="numeric">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {data.adjustments.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>{a.createdBy}</td>
                  <td>{a.reason}</td>
                  <td className="numeric">{formatCents(a.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <p className="ledger-total">
        Total: <strong>{formatCents(data.totalCents)}</strong>
      </p>
      {data.status === 'draft' && <DraftActions ledger={data} myId={myId} onChanged={changed} />}
      <details className="audit-trail">
        <summary>Audit trail ({data.audit.length})</summary>
        <ol>
          {data.audit.map((entry, i) => (
            <li key={i}>
              {formatDateTime(entry.occurredAt)} — {entry.actor}: {entry.event}, {entry.detail}
            </li>
          ))}
        </ol>
      </details>
    </Card>
  );
}

function DraftActions({ ledger, myId, onChanged }: { ledger: LedgerDetail; myId: string; onChanged: () => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const own = ledger.mentor.id === myId;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseCents(amount);
    const next: typeof errors = {};
    if (cents === null || cents === 0) next.amount = 'Enter an amount in dollars and cents, e.g. 25.00 or -12.50';
    if (reason.trim().length < 3) next.reason = 'Say why, in a few words';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      await addAdjustment(ledger.id, { version: ledger.version, amountCents: cents!, reason: reason.trim() });
      setAmount('');
      setReason('');
      onChanged();
    } catch (error) {
      const message = isApiError(error) ? error.message : 'Something went wrong; try again.';
      setErrors(isApiError(error) && error.field === 'reason' ? { reason: message } : { form: message });
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    setBusy(true);
    try {
      await approveLedger(ledger.id, ledger.version);
      onChanged();
    } catch (error) {
      setErrors({ form: isApiError(error) ? error.message : 'Something went wrong; try again.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {errors.form && (
        <Alert tone="error" role="alert">
          {errors.form}
        </Alert>
      )}
      <form className="adjustment-form" onSubmit={submit} noValidate>
        <h3>Add an adjustment</h3>
        <div className="compensation-fields">
          <FormField
            label="Amount (dollars)"
            name="amount"
            inputMode="decimal"
            hint="Negative to take off, e.g. -12.50"
            value={amount}
            error={errors.amount}
            onChange={(event) => setAmount(event.target.value)}
          />
          <FormField
            label="Reason"
            name="reason"
            value={reason}
            error={errors.reason}
            maxLength={500}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <button type="submit" className="button button-secondary" disabled={busy}>
          Add adjustment
        </button>
      </form>
      <div className="toolbar">
        {own ? (
          <p>You cannot approve your own stipend; another director or an administrator approves it.</p>
        ) : (
          <button type="button" className="button button-primary" disabled={busy} onClick={approve}>
            Approve {formatCents(ledger.totalCents)}
          </button>
        )}
      </div>
    </>
  );
}
