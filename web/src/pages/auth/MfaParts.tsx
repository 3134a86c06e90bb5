import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { MfaEnrolment } from '../../../../common/api.ts';
import { isApiError } from '../../api/client.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';

/** Reads "Enter the code" problems out of a failed call: the field's message, or the whole error. */
export function codeErrorOf(error: unknown): { field?: string; form?: string } {
  if (isApiError(error) && error.field === 'code') return { field: error.message };
  return { form: isApiError(error) ? error.message : 'Something went wrong. Please try again.' };
}

interface CodeFormProps {
  label: string;
  hint?: string;
  submitLabel: string;
  /** A 6-digit code from the app, a recovery code (letters and digits), or either. */
  kind: 'totp' | 'recovery' | 'either';
  onSubmit(code: string): Promise<void>;
  autoFocus?: boolean;
}

/** One code field and its button; errors are announced and focus returns to the field. */
export function CodeForm({ label, hint, submitLabel, kind, onSubmit, autoFocus = false }: CodeFormProps) {
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocus) inputRef.current?.focus();
  }, [autoFocus]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = code.replace(/\s+/g, '');
    const isTotp = /^\d{6}$/.test(value);
    const isRecovery = /^[A-Za-z0-9]{4}(-?[A-Za-z0-9]{4}){3}$/.test(value);
    const valid = kind === 'totp' ? isTotp : kind === 'recovery' ? isRecovery : isTotp || isRecovery;
    if (!valid) {
      setFieldError(
        kind === 'totp'
          ? 'Enter the 6-digit code from your authenticator app'
          : kind === 'recovery'
            ? 'Enter a recovery code such as abcd-efgh-jkmn-pqrs'
            : 'Enter the 6-digit code from your app or one of your recovery codes',
      );
      inputRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    setFormError(undefined);
    setBusy(true);
    try {
      await onSubmit(value);
    } catch (error) {
      const problem = codeErrorOf(error);
      setFieldError(problem.field);
      setFormError(problem.form);
      setCode('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form code-form" noValidate onSubmit={(event) => void submit(event)}>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <FormField
        ref={inputRef}
        label={label}
        hint={hint}
        name={kind === 'recovery' ? 'recovery-code' : 'code'}
        autoComplete="one-time-code"
        inputMode={kind === 'totp' ? 'numeric' : 'text'}
        spellCheck={false}
        autoCapitalize="none"
        maxLength={kind === 'totp' ? 6 : 19}
        value={code}
        onChange={(event) => {
          setCode(event.target.value);
          if (fieldError) setFieldError(undefined);
        }}
        error={fieldError}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Checking…' : submitLabel}
      </button>
    </form>
  );
}

/** Scanning the QR code, or typing the key, into an authenticator app; then the first code confirms it. */
export function TotpSetup({
  enrolment,
  onConfirm,
}: {
  enrolment: MfaEnrolment;
  onConfirm(code: string): Promise<void>;
}) {
  const grouped = enrolment.secret.match(/.{1,4}/g)?.join(' ') ?? enrolment.secret;
  return (
    <div className="mfa-setup">
      <ol className="mfa-steps">
        <li>
          <p>
            Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or
            1Password) and scan this QR code.
          </p>
          <img
            className="mfa-qr"
            src={enrolment.qrCodeDataUrl}
            width={200}
            height={200}
            alt="QR code to add medmentor to your authenticator app. If you cannot scan it, type the setup key shown below."
          />
          <p className="mfa-key-label" id="mfa-setup-key-label">
            Can't scan it? Type this setup key instead:
          </p>
          <p className="mfa-key" aria-labelledby="mfa-setup-key-label">
            <code>{grouped}</code>
          </p>
        </li>
        <li>
          <p>Enter the 6-digit code the app now shows for medmentor.</p>
          <CodeForm label="Code from your app" submitLabel="Confirm and turn on" kind="totp" onSubmit={onConfirm} />
        </li>
      </ol>
    </div>
  );
}

/** The recovery codes, shown once, with ways to keep them. */
export function RecoveryCodesPanel({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const text = useMemo(
    () =>
      `medmentor recovery codes\nEach code works once, if you lose your authenticator app.\n\n${codes.join('\n')}\n`,
    [codes],
  );
  const downloadUrl = useMemo(() => `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`, [text]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="recovery-codes">
      <Alert tone="warning" title="Save your recovery codes now">
        <p>
          This is the only time they are shown. Each one signs you in once if you lose your phone. Keep them somewhere
          safe, such as a password manager.
        </p>
      </Alert>
      <ul className="recovery-code-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy codes
        </button>
        <a className="button button-secondary" href={downloadUrl} download="medmentor-recovery-codes.txt">
          Download codes
        </a>
        <span role="status" className="save-status">
          {copied === 'copied' ? 'Codes copied' : copied === 'failed' ? 'Copying failed: select the codes instead' : ''}
        </span>
      </div>
    </div>
  );
}
