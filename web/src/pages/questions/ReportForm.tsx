import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client.ts';
import { reportQuestion } from '../../api/questions.ts';
import { Alert } from '../../components/Alert.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';

/** "Report as abusive" for a question or one answer: a reason, sent without naming the reporter. */
export function ReportForm({
  questionId,
  answerId,
  what,
}: {
  questionId: string;
  answerId: string | null;
  what: string;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await reportQuestion(questionId, { answerId, reason });
      setSent(true);
      setOpen(false);
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'The report could not be sent.');
    }
  }

  if (sent) return <Alert tone="success" role="status" title="Reported. The program director will look at it." />;
  if (!open) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={() => setOpen(true)}>
        Report {what}
      </button>
    );
  }
  return (
    <form className="report-form" onSubmit={submit}>
      <TextAreaField
        label={`Why should the director look at this ${what}?`}
        name="reason"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={error}
        required
        maxLength={1000}
        autoFocus
      />
      <div className="button-row">
        <button type="submit" className="button button-primary button-small">
          Send report
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
