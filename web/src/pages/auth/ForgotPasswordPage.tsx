import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isApiError, requestPasswordReset } from '../../api/client.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';

export function ForgotPasswordPage() {
  useDocumentTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const trimmed = email.trim();
    const problem = !trimmed
      ? 'Enter your email address'
      : !/^[^@\s]+@[^@\s]+$/.test(trimmed)
        ? 'Enter an email address like name@school.edu'
        : undefined;
    if (problem) {
      setEmailError(problem);
      emailRef.current?.focus();
      return;
    }
    setEmailError(undefined);
    setSubmitting(true);
    try {
      await requestPasswordReset(trimmed);
      setSentTo(trimmed);
    } catch (error) {
      if (isApiError(error) && error.field === 'email') {
        setEmailError(error.message);
        emailRef.current?.focus();
      } else {
        setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="card auth-card auth-card-narrow">
      <h1>Reset your password</h1>
      {sentTo && (
        <Alert tone="success" title="Check your email" takeFocus>
          <p>
            If <strong>{sentTo}</strong> belongs to a medmentor account, we have sent it a link to choose a new
            password.
          </p>
        </Alert>
      )}
      {sentTo ? (
        <p className="auth-secondary">
          Didn’t get it? Check your spam folder, or{' '}
          <button type="button" className="link-button" onClick={() => setSentTo(null)}>
            send another link
          </button>
          .
        </p>
      ) : (
        <>
          <p className="lead">
            Enter the email address you sign in with and we will send you a link to choose a new password.
          </p>
          <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
          <form className="form" noValidate onSubmit={submit} aria-label="Request a password reset link">
            <FormField
              ref={emailRef}
              label="Email address"
              name="email"
              type="email"
              autoComplete="username"
              inputMode="email"
              spellCheck={false}
              autoCapitalize="none"
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
                setEmailError(undefined);
              }}
              error={emailError}
            />
            <button type="submit" className="button button-primary button-block" disabled={submitting}>
              {submitting ? 'Sending…' : 'Send reset link'}
            </button>
          </form>
        </>
      )}
      <p className="auth-secondary">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}
