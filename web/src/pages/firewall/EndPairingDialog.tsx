import { useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client.ts';
import { endPairing } from '../../api/firewall.ts';
import type { Pairing } from '../../api/firewall-schemas.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';

interface EndPairingDialogProps {
  pairing: Pairing | null;
  onClose(): void;
  onEnded(pairing: Pairing): void;
}

/** Asks for a reason before ending a pairing; the record is kept and the mentor's access ends at once. */
export function EndPairingDialog({ pairing, onClose, onEnded }: EndPairingDialogProps) {
  return (
    <Dialog open={pairing !== null} title="End this pairing?" onClose={onClose}>
      {pairing && <EndPairingForm pairing={pairing} onClose={onClose} onEnded={onEnded} />}
    </Dialog>
  );
}

function EndPairingForm({
  pairing,
  onClose,
  onEnded,
}: {
  pairing: Pairing;
  onClose(): void;
  onEnded(p: Pairing): void;
}) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    if (!reason.trim()) {
      setReasonError('Say why the pairing ends');
      reasonRef.current?.focus();
      return;
    }
    setSubmitting(true);
    try {
      onEnded(await endPairing(pairing.id, reason.trim()));
    } catch (error) {
      setSubmitting(false);
      if (isApiError(error) && error.field === 'reason') setReasonError(error.message);
      else setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
    }
  };

  return (
    <form className="form dialog-form" noValidate onSubmit={submit}>
      <p>
        <strong>{pairing.student.name}</strong> and <strong>{pairing.mentor.name}</strong> will no longer be paired in{' '}
        {pairing.programName}. The pairing stays on record, and from now on the mentor sees nothing more of the student.
        Both are told that the pairing ended, not why.
      </p>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <TextAreaField
        ref={reasonRef}
        label="Reason"
        name="reason"
        hint="For the program’s records; at most 500 characters."
        maxLength={500}
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
          setReasonError(undefined);
        }}
        error={reasonError}
        autoFocus
      />
      <div className="form-actions">
        <button type="submit" className="button button-danger" disabled={submitting}>
          {submitting ? 'Ending the pairing…' : 'End pairing'}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
