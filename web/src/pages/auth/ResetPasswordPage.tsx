import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { isApiError, confirmPasswordReset } from '../../api/client.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';

const MIN_LENGTH = 8;

type Field = 'password' | 'confirmation';

/** Reads the token from `#token=…`; a fragment never reaches server logs or Referer headers. */
function readToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.length > 0 ? token : null;
}

export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => readToken(location.hash));
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmationRef = useRef<HTMLInputElement>(null);

  // Drop the token from the address bar and history once read, so it is not left on screen or shared by accident.
  useEffect(() => {
    if (location.hash) navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!token) return;
    setFormError(null);
    const found: Partial<Record<Field, string>> = {};
    if (password.length < MIN_LENGTH) found.password = `Use at least ${MIN_LENGTH} characters`;
    if (!found.password && confirmation !== password) found.confirmation = 'The two passwords do not match';
    if (found.password || found.confirmation) {
      setErrors(found);
      (found.password ? passwordRef : confirmationRef).current?.focus();
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await confirmPasswordReset(token, password);
      setDone(true);
    } catch (error) {
      if (!isApiError(error)) {
        setFormError('Something went wrong. Please try again.');
      } else if (error.field === 'password') {
        setErrors({ password: error.message });
        passwordRef.current?.focus();
      } else if (error.field === 'token' || error.status === 410 || error.status === 400 || error.status === 404) {
        setLinkProblem(error.message);
      } else {
        setFormError(error.message);
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (!token || linkProblem) {
    return (
      <div className="card auth-card auth-card-narrow">
        <h1>Choose a new password</h1>
        <Alert tone="error" role="alert" title="This reset link cannot be used." takeFocus={linkProblem !== null}>
          <p>{linkProblem ?? 'The link is incomplete. Open it again from your email, or ask for a new one.'}</p>
        </Alert>
        <p className="auth-actions">
          <Link className="button button-primary" to="/forgot-password">
            Request a new link
          </Link>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </div>
    );
  }

  if (done) {
    return (
      <div className="card auth-card auth-card-narrow">
        <h1>Choose a new password</h1>
        <Alert tone="success" role="status" title="Your password has been changed." takeFocus>
          <p>Sign in with your new password to continue.</p>
        </Alert>
        <p className="auth-actions">
          <Link className="button button-primary" to="/sign-in">
            Sign in
          </Link>
        </p>
      </div>
    );
  }

  const edit = (field: Field, value: string) => {
    (field === 'password' ? setPassword : setConfirmation)(value);
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  return (
    <div className="card auth-card auth-card-narrow">
      <h1>Choose a new password</h1>
      <p className="lead">Pick a password you do not use anywhere else.</p>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <form className="form" noValidate onSubmit={submit} aria-label="Choose a new password">
        <FormField
          ref={passwordRef}
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_LENGTH} characters. Common passwords are not accepted.`}
          revealable
          value={password}
          onChange={(event) => edit('password', event.target.value)}
          error={errors.password}
        />
        <FormField
          ref={confirmationRef}
          label="Confirm new password"
          name="confirmation"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(event) => edit('confirmation', event.target.value)}
          error={errors.confirmation}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? 'Saving…' : 'Save new password'}
        </button>
      </form>
      <p className="auth-secondary">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}
