import { useState } from 'react';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchMessageTextChoice, saveMessageTextChoice } from '../../api/messages.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Section } from '../../components/Section.tsx';

/** On the notification settings page: whether emails about a new message carry its text (off by default). */
export function MessageTextSetting() {
  const choice = useResource(fetchMessageTextChoice);
  return (
    <Section
      title="Message text in emails"
      intro={
        <p>
          An email about a new message says who wrote and links to the conversation. It carries what they wrote only if
          you turn that on; anyone who can read your email could then read it too.
        </p>
      }
    >
      {choice.status === 'loading' && <LoadingState label="Loading your choice…" />}
      {choice.status === 'failed' && <LoadFailure what="your choice" error={choice.error} retry={choice.retry} />}
      {choice.status === 'loaded' && <ChoiceForm initial={choice.data} />}
    </Section>
  );
}

function ChoiceForm({ initial }: { initial: boolean }) {
  const [checked, setChecked] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const change = async (next: boolean) => {
    setChecked(next);
    setBusy(true);
    try {
      const saved = await saveMessageTextChoice(next);
      setChecked(saved);
      setError(null);
      setStatus(saved ? 'Emails will carry the message text' : 'Emails will not carry the message text');
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setChecked(!next);
      setError(failure);
      setStatus('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="form-card">
      <label className="choice">
        <input
          type="checkbox"
          name="includeMessageText"
          checked={checked}
          disabled={busy}
          onChange={(event) => void change(event.target.checked)}
        />
        <span className="choice-title">Include the text of a message in the email that tells me it arrived</span>
      </label>
      {error && (
        <Alert tone="error" role="alert" title="Your choice was not saved">
          <p>{error.message}</p>
        </Alert>
      )}
      <LiveRegion politeness="polite">{status && <p className="save-status">{status}</p>}</LiveRegion>
    </Card>
  );
}
