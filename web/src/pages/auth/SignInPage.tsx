import { useCallback, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginRequestSchema, SSO_ERROR_CODES, type SsoErrorCode } from '../../../../common/api.ts';
import { isApiError, signIn } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { safeNextPath } from '../../components/RequireAuth.tsx';
import { useDocumentTitle } from '../../components/use-document-title.ts';
import { fetchSsoProviders } from '../../session/auth-api.ts';
import { useSession } from '../../session/session-context.ts';

type Field = 'email' | 'password';

/** What each refused single sign-on means for the person, in words they can act on. */
const SSO_ERROR_MESSAGES: Record<SsoErrorCode, string> = {
  sso_unavailable:
    "Your school's sign-in service is not available right now. Try again, or sign in with your password.",
  sso_invalid_state: 'That sign-in link expired or was opened in another browser. Start signing in again.',
  sso_denied: "Your school's sign-in service did not let you in. Start again if you cancelled by mistake.",
  sso_failed: "We could not confirm your sign-in with your school's service. Start signing in again.",
  sso_unverified_email:
    "Your school's sign-in service has not verified your email address, so we cannot match it to an account.",
  sso_no_account: 'There is no medmentor account for you yet. Ask your program office to add you.',
  sso_account_disabled: 'Your medmentor account is turned off. Ask your program office if you think this is wrong.',
};

const ssoErrorMessage = (raw: string | null) =>
  raw && (SSO_ERROR_CODES as readonly string[]).includes(raw) ? SSO_ERROR_MESSAGES[raw as SsoErrorCode] : null;
type FieldErrors = Partial<Record<Field, string>>;

export function SignInPage() {
  useDocumentTitle('Sign in');
  const { state, acceptSession } = useSession();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const institution = params.get('institution');
  const ssoError = ssoErrorMessage(params.get('sso_error'));
  const navigate = useNavigate();
  const loadProviders = useCallback((signal: AbortSignal) => fetchSsoProviders(institution, signal), [institution]);
  const providers = useResource(loadProviders);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Once the session is open (just now, or from an earlier visit) the user goes where they were headed.
  if (state.status === 'authenticated') return <Navigate to={next} replace />;
  const notice = state.status === 'anonymous' ? state.notice : null;

  const focusField = (field: Field) => (field === 'email' ? emailRef : passwordRef).current?.focus();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const parsed = LoginRequestSchema.safeParse({ email, password });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'email' || field === 'password') && !errors[field]) errors[field] = issue.message;
      }
      setFieldErrors(errors);
      focusField(errors.email ? 'email' : 'password');
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    try {
      acceptSession(await signIn(parsed.data.email, parsed.data.password));
    } catch (error) {
      setSubmitting(false);
      if (isApiError(error) && error.code === 'mfa_required') {
        // The password was right; the second step is a page of its own.
        navigate(`/sign-in/second-factor${next === '/' ? '' : `?${new URLSearchParams({ next }).toString()}`}`);
        return;
      }
      if (isApiError(error) && (error.field === 'email' || error.field === 'password')) {
        setFieldErrors({ [error.field]: error.message });
        focusField(error.field);
        return;
      }
      setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      if (isApiError(error) && error.status === 401) {
        // A wrong password is retyped, not edited: clear it and put the cursor there.
        setPassword('');
        focusField('password');
      }
    }
  };

  const edit = (field: Field, value: string) => {
    (field === 'email' ? setEmail : setPassword)(value);
    if (fieldErrors[field]) setFieldErrors((errors) => ({ ...errors, [field]: undefined }));
  };

  return (
    <div className="auth-grid">
      <div className="auth-intro">
        <p className="eyebrow">Mentorship, formalized</p>
        <p className="auth-intro-title">Every student has a mentor who never grades them.</p>
        <ul className="auth-intro-points">
          <li>Regular, structured meetings with a mentor outside your chain of assessment.</li>
          <li>Development goals and recurring themes tracked across the years.</li>
          <li>You can always see who has viewed your records.</li>
        </ul>
      </div>
      <div className="card auth-card">
        <h1>Sign in</h1>
        <p className="lead">Use the email address your school registered for you.</p>
        <LiveRegion politeness="polite">
          {notice === 'signed-out' && <Alert tone="success" title="You have signed out." />}
          {notice === 'expired' && (
            <Alert tone="info" title="Your session has ended.">
              <p>Sign in again to continue where you left off.</p>
            </Alert>
          )}
        </LiveRegion>
        <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
        {ssoError && <Alert tone="error" role="alert" title={ssoError} />}
        {providers.status === 'loaded' && providers.data.length > 0 && (
          <div className="sso-options">
            <ul className="sso-list">
              {providers.data.map((provider) => (
                <li key={provider.institutionSlug}>
                  {/* A plain link: the browser itself goes to the school's sign-in service and back. */}
                  <a
                    className="button button-secondary button-block"
                    href={`${provider.startUrl}${next === '/' ? '' : `?${new URLSearchParams({ next }).toString()}`}`}
                  >
                    Sign in with {provider.displayName}
                    {providers.data.length > 1 && <span className="sso-school"> ({provider.institutionName})</span>}
                  </a>
                </li>
              ))}
            </ul>
            <p className="auth-divider">
              <span>or use your medmentor password</span>
            </p>
          </div>
        )}
        <form className="form" noValidate onSubmit={submit} aria-label="Sign in">
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
            onChange={(event) => edit('email', event.target.value)}
            error={fieldErrors.email}
          />
          <FormField
            ref={passwordRef}
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            revealable
            value={password}
            onChange={(event) => edit('password', event.target.value)}
            error={fieldErrors.password}
          />
          <button type="submit" className="button button-primary button-block" disabled={submitting}>
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="auth-secondary">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </div>
    </div>
  );
}
