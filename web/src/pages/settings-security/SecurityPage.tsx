import { useState } from 'react';
import type { MfaEnrolment, MfaStatus } from '../../../../common/api.ts';
import { isApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { formatDate } from '../../format.ts';
import {
  confirmMfaEnrolment,
  disableMfa,
  fetchMfaStatus,
  regenerateRecoveryCodes,
  startMfaEnrolment,
} from '../../session/auth-api.ts';
import { CodeForm, RecoveryCodesPanel, TotpSetup } from '../auth/MfaParts.tsx';

/** The signed-in person's two-step sign-in: set it up, keep recovery codes, turn it off. */
export function SecurityPage() {
  const status = useResource(fetchMfaStatus);
  return (
    <>
      <PageHeader title="Sign-in security">
        <p className="lead">
          Two-step sign-in asks for a code from an app on your phone after your password, so a stolen password alone
          cannot open your account.
        </p>
      </PageHeader>
      {status.status === 'loading' && <LoadingState label="Loading your sign-in settings…" />}
      {status.status === 'failed' && (
        <LoadFailure what="your sign-in settings" error={status.error} retry={status.retry} />
      )}
      {status.status === 'loaded' && <TwoStep status={status.data} reload={status.reload} />}
    </>
  );
}

type Mode =
  | { kind: 'idle' }
  | { kind: 'enrolling'; enrolment: MfaEnrolment }
  | { kind: 'codes'; codes: string[]; title: string }
  | { kind: 'regenerate' }
  | { kind: 'disable' };

function TwoStep({ status, reload }: { status: MfaStatus; reload: () => void }) {
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      setMode({ kind: 'enrolling', enrolment: await startMfaEnrolment() });
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page-body">
      <Section title="Two-step sign-in">
        <Card className="form-card">
          <div className="mfa-panel">
            {mode.kind === 'enrolling' || mode.kind === 'codes' ? null : status.enrolled ? (
              <Alert tone="success" title="Two-step sign-in is on">
                <p>
                  Set up on {formatDate(status.enrolledAt!)}. {status.recoveryCodesRemaining} of 10 recovery codes left.
                </p>
              </Alert>
            ) : (
              <Alert tone={status.required ? 'warning' : 'info'} title="Two-step sign-in is off">
                {status.required && <p>Your school requires it for your role: set it up now.</p>}
              </Alert>
            )}
            {error && <Alert tone="error" role="alert" title={error} />}

            {mode.kind === 'idle' && !status.enrolled && (
              <div className="form-actions">
                <button type="button" className="button button-primary" disabled={busy} onClick={() => void begin()}>
                  Set up an authenticator app
                </button>
              </div>
            )}
            {mode.kind === 'enrolling' && (
              <TotpSetup
                enrolment={mode.enrolment}
                onConfirm={async (code) => {
                  const codes = await confirmMfaEnrolment(code);
                  setMode({ kind: 'codes', codes, title: 'Two-step sign-in is now on' });
                }}
              />
            )}
            {mode.kind === 'codes' && (
              <>
                <h3 tabIndex={-1} ref={(node) => node?.focus()}>
                  {mode.title}
                </h3>
                <RecoveryCodesPanel codes={mode.codes} />
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => {
                      setMode({ kind: 'idle' });
                      reload();
                    }}
                  >
                    Done
                  </button>
                </div>
              </>
            )}
            {mode.kind === 'idle' && status.enrolled && (
              <div className="form-actions">
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setMode({ kind: 'regenerate' })}
                >
                  New recovery codes
                </button>
                <button type="button" className="button button-secondary" onClick={() => setMode({ kind: 'disable' })}>
                  Turn off two-step sign-in
                </button>
              </div>
            )}
            {mode.kind === 'regenerate' && (
              <>
                <p>Your old recovery codes stop working. Enter a code from your app to confirm.</p>
                <CodeForm
                  label="Code from your app"
                  submitLabel="Make new recovery codes"
                  kind="totp"
                  autoFocus
                  onSubmit={async (code) =>
                    setMode({ kind: 'codes', codes: await regenerateRecoveryCodes(code), title: 'New recovery codes' })
                  }
                />
                <button type="button" className="link-button" onClick={() => setMode({ kind: 'idle' })}>
                  Cancel
                </button>
              </>
            )}
            {mode.kind === 'disable' && (
              <>
                {status.required && (
                  <Alert tone="warning" title="Your school requires two-step sign-in for your role">
                    <p>You will be asked to set it up again the next time you sign in.</p>
                  </Alert>
                )}
                <p>Enter a code from your app, or a recovery code, to turn two-step sign-in off.</p>
                <CodeForm
                  label="Code from your app or a recovery code"
                  submitLabel="Turn off"
                  kind="either"
                  autoFocus
                  onSubmit={async (code) => {
                    await disableMfa(code);
                    setMode({ kind: 'idle' });
                    reload();
                  }}
                />
                <button type="button" className="link-button" onClick={() => setMode({ kind: 'idle' })}>
                  Cancel
                </button>
              </>
            )}
          </div>
        </Card>
      </Section>
    </div>
  );
}
