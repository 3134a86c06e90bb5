import { useState, type FormEvent } from 'react';
import { SsoConfigUpdateSchema, type MfaPolicy } from '../../../../common/api.ts';
import { isApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import {
  fetchMfaPolicy,
  fetchSsoSettings,
  saveMfaPolicy,
  saveSsoSettings,
  type SsoSettings,
} from '../../session/auth-api.ts';

/** How people of the institution sign in: its OpenID Connect provider and the two-step rule for staff. */
export function SignInSettingsPage() {
  const sso = useResource(fetchSsoSettings);
  const policy = useResource(fetchMfaPolicy);
  return (
    <>
      <PageHeader title="Sign-in settings">
        <p className="lead">Single sign-on through your university, and two-step sign-in for staff.</p>
      </PageHeader>
      <div className="page-body">
        <Section title="Two-step sign-in for staff">
          {policy.status === 'loading' && <LoadingState label="Loading the rule…" />}
          {policy.status === 'failed' && (
            <LoadFailure what="the two-step rule" error={policy.error} retry={policy.retry} />
          )}
          {policy.status === 'loaded' && <PolicyForm initial={policy.data} />}
        </Section>
        <Section
          title="Single sign-on (OpenID Connect)"
          intro={
            <p>
              People sign in with their university account; medmentor matches them by verified email or a claim you
              choose.
            </p>
          }
        >
          {sso.status === 'loading' && <LoadingState label="Loading single sign-on…" />}
          {sso.status === 'failed' && <LoadFailure what="single sign-on" error={sso.error} retry={sso.retry} />}
          {sso.status === 'loaded' && <SsoForm initial={sso.data} />}
        </Section>
      </div>
    </>
  );
}

function PolicyForm({ initial }: { initial: MfaPolicy }) {
  const [required, setRequired] = useState(initial.requiredForStaff);
  const [saved, setSaved] = useState(initial.requiredForStaff);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSaved((await saveMfaPolicy({ requiredForStaff: required })).requiredForStaff);
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="form-card">
      <form className="form" onSubmit={(event) => void submit(event)}>
        <label className="choice">
          <input
            type="checkbox"
            name="requiredForStaff"
            checked={required}
            onChange={(e) => setRequired(e.target.checked)}
          />
          <span className="choice-title">Require two-step sign-in for program directors, deans and administrators</span>
        </label>
        <p className="field-hint">
          Staff who have not set it up are asked to, right after their password, before they can do anything else.
          People who sign in through single sign-on use your university's own second step instead.
        </p>
        {error && <Alert tone="error" role="alert" title={error} />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || required === saved}>
            Save rule
          </button>
          <span role="status" className="save-status">
            {required === saved && !busy ? (saved ? 'Required for staff' : 'Not required') : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}

type SsoField = 'displayName' | 'issuerUrl' | 'clientId' | 'clientSecret' | 'scopes' | 'linkClaim';

function SsoForm({ initial }: { initial: SsoSettings }) {
  const config = initial.config;
  const [values, setValues] = useState({
    enabled: config?.enabled ?? true,
    displayName: config?.displayName ?? '',
    issuerUrl: config?.issuerUrl ?? '',
    clientId: config?.clientId ?? '',
    clientSecret: '',
    scopes: config?.scopes ?? 'openid email profile',
    linkClaim: config?.linkClaim ?? 'email',
    jitProvisioning: config?.jitProvisioning ?? false,
  });
  const [secretSet, setSecretSet] = useState(config?.clientSecretSet ?? false);
  const [errors, setErrors] = useState<Partial<Record<SsoField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const edit = (field: keyof typeof values, value: string | boolean) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
    setDone(false);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const { clientSecret, ...rest } = values;
    const parsed = SsoConfigUpdateSchema.safeParse(clientSecret ? { ...rest, clientSecret } : rest);
    if (!parsed.success) {
      const found: Partial<Record<SsoField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as SsoField;
        found[field] ??= issue.message;
      }
      setErrors(found);
      return;
    }
    setBusy(true);
    try {
      await saveSsoSettings(parsed.data);
      setSecretSet(true);
      setValues((current) => ({ ...current, clientSecret: '' }));
      setDone(true);
    } catch (caught) {
      if (isApiError(caught) && caught.field && caught.field in values) {
        setErrors({ [caught.field as SsoField]: caught.message });
      } else {
        setFormError(isApiError(caught) ? caught.message : 'Something went wrong. Please try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  const text = (field: SsoField, label: string, hint?: string, extra: Record<string, string> = {}) => (
    <FormField
      label={label}
      name={field}
      hint={hint}
      value={values[field]}
      onChange={(event) => edit(field, event.target.value)}
      error={errors[field]}
      spellCheck={false}
      autoCapitalize="none"
      {...extra}
    />
  );

  return (
    <Card className="form-card">
      <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-label="Single sign-on">
        <p className="field-hint">
          Register this redirect URI at your identity provider: <code>{initial.callbackUrl}</code>
        </p>
        <label className="choice">
          <input
            type="checkbox"
            name="enabled"
            checked={values.enabled}
            onChange={(e) => edit('enabled', e.target.checked)}
          />
          <span className="choice-title">Show the single sign-on button on the sign-in page</span>
        </label>
        {text('displayName', 'Button name', 'Shown as "Sign in with …", for example "Harbor University Login"')}
        {text('issuerUrl', 'Issuer URL', 'The provider’s issuer, such as https://login.example.edu', {
          type: 'url',
          inputMode: 'url',
        })}
        {text('clientId', 'Client ID')}
        {text(
          'clientSecret',
          'Client secret',
          secretSet
            ? 'A secret is stored and never shown. Leave empty to keep it.'
            : 'Issued by the identity provider.',
          { type: 'password', autoComplete: 'off' },
        )}
        {text('scopes', 'Scopes', 'Separated by spaces; must include openid')}
        {text(
          'linkClaim',
          'Claim that identifies a person',
          'email (verified emails only), or a claim matched to the person’s external ID, such as employee_id',
        )}
        <label className="choice">
          <input
            type="checkbox"
            name="jitProvisioning"
            checked={values.jitProvisioning}
            onChange={(e) => edit('jitProvisioning', e.target.checked)}
          />
          <span className="choice-title">
            Create an account, without roles, for someone signing in for the first time
          </span>
        </label>
        {formError && <Alert tone="error" role="alert" title={formError} />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Save single sign-on
          </button>
          <span role="status" className="save-status">
            {done ? 'Single sign-on saved' : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}
