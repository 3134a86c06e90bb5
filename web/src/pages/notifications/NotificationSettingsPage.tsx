import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchNotificationPreferences, rotateCalendarFeed, saveNotificationPreferences } from '../../api/mentoring.ts';
import type { NotificationPreference } from '../../../../common/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { MessageTextSetting } from '../messages/MessageTextSetting.tsx';

export function NotificationSettingsPage() {
  const resource = useResource(fetchNotificationPreferences);
  return (
    <>
      <PageHeader title="Notification settings">
        <p className="lead">
          Every notification appears under <Link to="/notifications">Notifications</Link>. Choose which ones also come
          to you by email.
        </p>
      </PageHeader>
      {resource.status === 'loading' && <LoadingState label="Loading your settings…" />}
      {resource.status === 'failed' && (
        <LoadFailure what="your notification settings" error={resource.error} retry={resource.retry} />
      )}
      <div className="page-body">
        {resource.status === 'loaded' && <PreferencesForm initial={resource.data} />}
        <MessageTextSetting />
        <CalendarFeed />
      </div>
    </>
  );
}

function PreferencesForm({ initial }: { initial: NotificationPreference[] }) {
  const [saved, setSaved] = useState(initial);
  const [choices, setChoices] = useState(() => new Map(initial.map((p) => [p.kind, p.email])));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const changed = saved.some((p) => choices.get(p.kind) !== p.email);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const next = await saveNotificationPreferences(
        saved.map((p) => ({ kind: p.kind, email: choices.get(p.kind) ?? p.email })),
      );
      setSaved(next);
      setChoices(new Map(next.map((p) => [p.kind, p.email])));
      setError(null);
      setDone(true);
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="form-card">
      <form className="form" onSubmit={(event) => void submit(event)}>
        <fieldset className="choice-group">
          <legend className="field-label">Send me an email when</legend>
          {saved.map((preference) => (
            <label key={preference.kind} className="choice">
              <input
                type="checkbox"
                name={preference.kind}
                checked={choices.get(preference.kind) ?? false}
                onChange={(event) => {
                  const email = event.target.checked;
                  setChoices((current) => new Map(current).set(preference.kind, email));
                  setDone(false);
                }}
              />
              <span className="choice-title">{preference.label}</span>
            </label>
          ))}
        </fieldset>
        {error && (
          <Alert tone="error" role="alert" title="Your settings were not saved">
            <p>{error.message}</p>
          </Alert>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || !changed}>
            Save settings
          </button>
          <span role="status" className="save-status">
            {done && !changed ? 'Settings saved' : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}

function CalendarFeed() {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const path = await rotateCalendarFeed();
      setUrl(new URL(path, window.location.origin).toString());
      setError(null);
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section
      title="Calendar subscription"
      intro={
        <p>
          Add your mentoring meetings to your calendar app with a private address. Anyone who has the address can see
          the times of your meetings, so keep it to yourself. Making a new one stops the old one from working.
        </p>
      }
    >
      <Card className="meeting-card">
        {error && (
          <Alert tone="error" role="alert" title="No address was made">
            <p>{error.message}</p>
          </Alert>
        )}
        {url && <FormField label="Your calendar address" name="calendarUrl" value={url} readOnly />}
        <div className="form-actions">
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void create()}>
            {url ? 'Make a new address' : 'Make a calendar address'}
          </button>
        </div>
      </Card>
    </Section>
  );
}
