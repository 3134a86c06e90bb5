import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client.ts';
import { resolveConflict } from '../../api/firewall.ts';
import type { Conflict, Person, Program } from '../../api/firewall-schemas.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { PersonPicker } from '../../components/PersonPicker.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { refusalMessage } from './firewall-text.tsx';

export interface Resolved {
  title: string;
  text: string;
}

interface ResolveConflictFormProps {
  id: string;
  conflict: Conflict;
  program: Program;
  onResolved(outcome: Resolved): void;
  onCancel(): void;
}

type Action = 'reassign' | 'end';

/** Reassigns the student to another mentor (through the same firewall) or ends the pairing, with a note. */
export function ResolveConflictForm({ id, conflict, program, onResolved, onCancel }: ResolveConflictFormProps) {
  const [action, setAction] = useState<Action>('reassign');
  const [mentor, setMentor] = useState<Person | null>(null);
  const [note, setNote] = useState('');
  const [mentorError, setMentorError] = useState<ReactNode>(null);
  const [noteError, setNoteError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const firstChoice = useRef<HTMLInputElement>(null);
  const mentorRef = useRef<HTMLInputElement>(null);
  const student = conflict.student.name;

  // The form opens from a button that then goes away: focus its first choice instead of losing focus.
  useEffect(() => firstChoice.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    if (action === 'reassign' && !mentor) {
      setMentorError('Choose the new mentor from the list');
      mentorRef.current?.focus();
      return;
    }
    setSubmitting(true);
    try {
      if (action === 'reassign' && mentor) {
        await resolveConflict(conflict.id, { action, newMentorId: mentor.id, note: note.trim() });
        onResolved({
          title: `${student} is now paired with ${mentor.name}.`,
          text: `The pairing with ${conflict.mentor.name} has ended and the conflict is resolved. Both mentors and the student are told the pairing changed, not why.`,
        });
      } else {
        await resolveConflict(conflict.id, { action: 'end', note: note.trim() });
        onResolved({
          title: `The pairing of ${student} and ${conflict.mentor.name} has ended.`,
          text: `The conflict is resolved. ${student} now waits for a new mentor in ${program.name}.`,
        });
      }
    } catch (error) {
      setSubmitting(false);
      if (!isApiError(error)) return setFormError('Something went wrong. Please try again.');
      if (error.field === 'newMentorId' || error.field === 'mentorId') {
        setMentorError(refusalMessage(error));
        mentorRef.current?.focus();
      } else if (error.field === 'note') {
        setNoteError(error.message);
      } else {
        setFormError(error.message);
      }
    }
  };

  return (
    <form
      className="form resolve-form"
      id={id}
      noValidate
      onSubmit={submit}
      aria-label={`Resolve the conflict of ${student}`}
    >
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <fieldset className="choice-group">
        <legend className="field-label">How to resolve it</legend>
        <label className="choice">
          <input
            ref={firstChoice}
            type="radio"
            name={`${id}-action`}
            value="reassign"
            checked={action === 'reassign'}
            onChange={() => setAction('reassign')}
          />
          <span>
            <span className="choice-title">Reassign {student} to another mentor</span>{' '}
            <span className="choice-hint">The current pairing ends and the new one starts today.</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-action`}
            value="end"
            checked={action === 'end'}
            onChange={() => {
              setAction('end');
              setMentorError(null);
            }}
          />
          <span>
            <span className="choice-title">End the pairing</span>{' '}
            <span className="choice-hint">{student} waits for a new mentor.</span>
          </span>
        </label>
      </fieldset>
      {action === 'reassign' && (
        <PersonPicker
          ref={mentorRef}
          label="New mentor"
          name="newMentor"
          role="mentor"
          programId={program.id}
          hint={`Mentors of ${program.name}, other than ${conflict.mentor.name}`}
          offer={(person) => person.id !== conflict.mentor.id}
          value={mentor}
          onChange={(person) => {
            setMentor(person);
            setMentorError(null);
          }}
          error={mentorError}
        />
      )}
      <TextAreaField
        label="Note (optional)"
        name="note"
        hint="Kept with the conflict for the program’s records. Mentor and student are not shown it."
        maxLength={1000}
        value={note}
        onChange={(event) => {
          setNote(event.target.value);
          setNoteError(undefined);
        }}
        error={noteError}
      />
      <div className="form-actions">
        <button
          type="submit"
          className={action === 'end' ? 'button button-danger' : 'button button-primary'}
          disabled={submitting}
        >
          {submitting ? 'Resolving…' : action === 'reassign' ? 'Reassign student' : 'End pairing'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
