import { useCallback, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import type { MfaEnrolment, SessionResponse } from '../../../../common/api.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { safeNextPath } from '../../components/RequireAuth.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';
import {
  confirmChallengeEnrolment,
  fetchMfaChallenge,
  startChallengeEnrolment,
  verifyMfaChallenge,
} from '../../session/auth-api.ts';
import { useSession } from '../../session/session-context.ts';
import { CodeForm, RecoveryCodesPanel, TotpSetup, codeErrorOf } from './MfaParts.tsx';

/**
 * The second step of signing in, after a right password: a code from the authenticator app
 * (or a recovery code), or, when the school requires one and none is set up, setting it up.
 * Nothing else of medmentor opens until this is done.
 */
export function SecondFactorPage() {
  useDocumentTitle('Confirm it is you');
  const { state, acceptSession } = useSession();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const challenge = useResource(fetchMfaChallenge);
  const [finished, setFinished] = useState<{ session: SessionResponse; recoveryCodes: string[] } | null>(null);

  if (state.status === 'authenticated' && !finished) return <Navigate to={next} replace />;
  if (finished) {
    return (
      <div className="card auth-card auth-card-narrow">
        <h1>Your authenticator app is set up</h1>
        <RecoveryCodesPanel codes={finished.recoveryCodes} />
        <p className="auth-actions">
          <button type="button" className="button button-primary" onClick={() => acceptSession(finished.session)}>
            I have saved my codes, continue
          </button>
        </p>
      </div>
    );
  }

  return (
    <div className="card auth-card auth-card-narrow">
      {challenge.status === 'loading' && <LoadingState label="Loading…" />}
      {challenge.status === 'failed' && (
        <>
          <h1>Sign in again</h1>
          <Alert tone="info" role="alert" title={challenge.error.message} />
          <p className="auth-actions">
            <Link
              className="button button-primary"
              to={`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`}
            >
              Back to sign in
            </Link>
          </p>
        </>
      )}
      {challenge.status === 'loaded' && challenge.data.step === 'verify' && <VerifyStep onSession={acceptSession} />}
      {challenge.status === 'loaded' && challenge.data.step === 'enrol' && (
        <EnrolStep onEnrolled={(session, recoveryCodes) => setFinished({ session, recoveryCodes })} />
      )}
    </div>
  );
}

function VerifyStep({ onSession }: { onSession(session: SessionResponse): void }) {
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  return (
    <>
      <h1>Enter your code</h1>
      {method === 'totp' ? (
        <>
          <p className="lead">Open your authenticator app and enter the 6-digit code it shows for medmentor.</p>
          <CodeForm
            key="totp"
            label="6-digit code"
            submitLabel="Sign in"
            kind="totp"
            autoFocus
            onSubmit={async (code) => onSession(await verifyMfaChallenge({ method: 'totp', code }))}
          />
        </>
      ) : (
        <>
          <p className="lead">Enter one of the recovery codes you saved when you set up your app. Each works once.</p>
          <CodeForm
            key="recovery"
            label="Recovery code"
            submitLabel="Sign in"
            kind="recovery"
            autoFocus
            onSubmit={async (code) => onSession(await verifyMfaChallenge({ method: 'recovery_code', code }))}
          />
        </>
      )}
      <p className="auth-secondary">
        <button
          type="button"
          className="link-button"
          onClick={() => setMethod((current) => (current === 'totp' ? 'recovery' : 'totp'))}
        >
          {method === 'totp' ? 'Use a recovery code instead' : 'Use a code from your app instead'}
        </button>
      </p>
      <p className="auth-secondary">
        Lost your phone and your codes? Ask your school's medmentor administrator to reset it.
      </p>
    </>
  );
}

function EnrolStep({ onEnrolled }: { onEnrolled(session: SessionResponse, recoveryCodes: string[]): void }) {
  const load = useCallback(() => startChallengeEnrolment(), []);
  const enrolment = useResource<MfaEnrolment>(load);
  return (
    <>
      <h1>Set up two-step sign-in</h1>
      <p className="lead">
        Your school requires a second step for directors, deans and administrators. Set up an authenticator app to
        finish signing in.
      </p>
      {enrolment.status === 'loading' && <LoadingState label="Preparing your setup key…" />}
      {enrolment.status === 'failed' && (
        <Alert tone="error" role="alert" title={codeErrorOf(enrolment.error).form ?? enrolment.error.message} />
      )}
      {enrolment.status === 'loaded' && (
        <TotpSetup
          enrolment={enrolment.data}
          onConfirm={async (code) => {
            const { recoveryCodes, ...session } = await confirmChallengeEnrolment(code);
            onEnrolled(session, recoveryCodes);
          }}
        />
      )}
    </>
  );
}
