import { useCallback, useState, type FormEvent } from 'react';
import type { MyReadiness, ReadinessItem } from '../../../../common/readiness.ts';
import { isApiError } from '../../api/client.ts';
import { fetchMyReadiness, signAgreement } from '../../api/readiness.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { formatDate, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'My readiness';

type ProgramReadiness = MyReadiness['programs'][number];

/** The mentor's own readiness per program: what the program requires, what is done, and the agreement to sign. */
export function MyReadinessPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title={TITLE}
      audience="mentors"
      purpose="They use it to see the training their program requires and to sign its confidentiality agreement."
    >
      <PageHeader title={TITLE}>
        <p className="lead">
          Before you are given mentees or see a student’s records, your program asks for some training and your
          signature on its confidentiality agreement. When something expires you keep your mentees, but you get no new
          ones and see no records until you renew it.
        </p>
      </PageHeader>
      <MyReadinessBody />
    </RoleGate>
  );
}

function MyReadinessBody() {
  const load = useCallback((signal: AbortSignal) => fetchMyReadiness(signal), []);
  const readiness = useResource(load);
  if (readiness.status === 'loading') return <LoadingState label="Loading your readiness…" />;
  if (readiness.status === 'failed')
    return <LoadFailure what="your readiness" error={readiness.error} retry={readiness.retry} />;
  if (readiness.data.programs.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No program yet</h2>
        <p>You are not a mentor in any program yet.</p>
      </Card>
    );
  }
  return (
    <div className="page-body">
      {readiness.data.programs.map((p) => (
        <ProgramCard key={p.programId} program={p} onSigned={readiness.reload} />
      ))}
    </div>
  );
}

const STATUS_TEXT: Record<ReadinessItem['status'], string> = {
  ready: 'Done',
  expired: 'Expired',
  outdated: 'New version to sign',
  missing: 'To do',
};

function ProgramCard({ program, onSigned }: { program: ProgramReadiness; onSigned: () => void }) {
  const headingId = `readiness-${program.programId}`;
  return (
    <Card as="section" labelledBy={headingId}>
      <h2 id={headingId}>{program.programName}</h2>
      {program.items.length === 0 ? (
        <p>This program asks nothing more of its mentors: you are ready.</p>
      ) : program.ready ? (
        <Alert tone="success" title="You are ready to mentor in this program." />
      ) : (
        <Alert tone="warning" title="You are not ready to mentor in this program yet.">
          <ul className="plain-list">
            {program.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {program.items.length > 0 && (
        <ul className="plain-list">
          {program.items.map((item) => (
            <li key={item.requirementId}>
              <strong>{item.name}</strong>
              {item.required ? '' : ' (optional)'}:{' '}
              <span className={item.status === 'ready' ? 'badge badge-positive' : 'badge badge-attention'}>
                {STATUS_TEXT[item.status]}
              </span>{' '}
              {item.status === 'ready' && item.completedOn && `completed ${formatDate(item.completedOn)}`}
              {item.status === 'ready' && item.expiresOn && `, valid until ${formatDate(item.expiresOn)}`}
              {item.status === 'expired' && item.expiresOn && `expired on ${formatDate(item.expiresOn)}`}
              {item.expiringSoon && ' — renew it soon'}
            </li>
          ))}
        </ul>
      )}
      {program.agreement && <AgreementForm program={program} onSigned={onSigned} />}
    </Card>
  );
}

function AgreementForm({ program, onSigned }: { program: ProgramReadiness; onSigned: () => void }) {
  const agreement = program.agreement!;
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const checkId = `agree-${program.programId}`;
  const errorId = `${checkId}-error`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setDone(null);
    if (!confirmed) {
      setError('Confirm that you have read the agreement and agree to it');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await signAgreement(program.programId, agreement.version);
      setDone(`You signed version ${agreement.version} of the ${agreement.name}.`);
      onSigned();
    } catch (caught) {
      setFailure(isApiError(caught) ? caught.message : 'Something went wrong; try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${checkId}-heading`}>
      <h3 id={`${checkId}-heading`}>
        {agreement.name}, version {agreement.version}
      </h3>
      <div className="agreement-text" tabIndex={0} aria-label={`Text of the ${agreement.name}`}>
        {agreement.text.split(/\n{2,}/).map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
      </div>
      {agreement.signedOn ? (
        <p>You signed this version on {formatDate(agreement.signedOn)}.</p>
      ) : (
        <form onSubmit={submit} noValidate className="readiness-form">
          <div className={error ? 'field field-invalid' : 'field'}>
            {error && (
              <p className="field-error" id={errorId}>
                <span className="visually-hidden">Error: </span>
                {error}
              </p>
            )}
            <label className="check">
              <input
                id={checkId}
                type="checkbox"
                checked={confirmed}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(e) => setConfirmed(e.target.checked)}
              />
              <span>I have read this agreement and I agree to it</span>
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Signing…' : 'Sign the agreement'}
            </button>
          </div>
        </form>
      )}
      <LiveRegion politeness="polite">
        {failure && <Alert tone="error" title={failure} />}
        {done && <Alert tone="success" title={done} />}
      </LiveRegion>
    </section>
  );
}
