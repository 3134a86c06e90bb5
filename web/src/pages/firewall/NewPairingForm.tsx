import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client.ts';
import { createPairing } from '../../api/firewall.ts';
import {
  PAIRING_KINDS,
  type Pairing,
  type PairingKind,
  type Person,
  type Program,
} from '../../api/firewall-schemas.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { PersonPicker } from '../../components/PersonPicker.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { PAIRING_KIND_LABELS, refusalMessage, todayIso } from './firewall-text.tsx';

type Field = 'studentId' | 'mentorId' | 'kind' | 'startsOn';

interface NewPairingFormProps {
  program: Program;
  id: string;
  onCreated(pairing: Pairing): void;
  onCancel(): void;
}

/**
 * Pairs a student with a mentor by hand. The server checks the firewall; when it refuses, the
 * reason (the assessment relationship or exclusion it found) is shown at the mentor field.
 */
export function NewPairingForm({ program, id, onCreated, onCancel }: NewPairingFormProps) {
  const [student, setStudent] = useState<Person | null>(null);
  const [mentor, setMentor] = useState<Person | null>(null);
  const [kind, setKind] = useState<PairingKind>('general');
  const [startsOn, setStartsOn] = useState(todayIso);
  const [errors, setErrors] = useState<Partial<Record<Field, ReactNode>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const studentRef = useRef<HTMLInputElement>(null);
  const mentorRef = useRef<HTMLInputElement>(null);
  const kindRef = useRef<HTMLSelectElement>(null);
  const startsOnRef = useRef<HTMLInputElement>(null);
  const cohortIds = new Set(program.cohorts.map((cohort) => cohort.id));

  const showErrors = (found: Partial<Record<Field, ReactNode>>) => {
    setErrors(found);
    if (found.studentId) studentRef.current?.focus();
    else if (found.mentorId) mentorRef.current?.focus();
    else if (found.kind) kindRef.current?.focus();
    else if (found.startsOn) startsOnRef.current?.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const found: Partial<Record<Field, ReactNode>> = {};
    if (!student) found.studentId = 'Choose a student from the list';
    if (!mentor) found.mentorId = 'Choose a mentor from the list';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startsOn)) found.startsOn = 'Enter the date the pairing starts';
    if (!student || !mentor || found.startsOn) return showErrors(found);
    setErrors({});
    setSubmitting(true);
    try {
      const pairing = await createPairing(program.id, { studentId: student.id, mentorId: mentor.id, kind, startsOn });
      onCreated(pairing);
    } catch (error) {
      setSubmitting(false);
      if (!isApiError(error)) return setFormError('Something went wrong. Please try again.');
      const field = error.field as Field | undefined;
      if (field === 'mentorId') return showErrors({ mentorId: refusalMessage(error) });
      if (field === 'studentId' || field === 'kind' || field === 'startsOn') {
        return showErrors({ [field]: error.message });
      }
      setFormError(error.message);
    }
  };

  const clear = (field: Field) =>
    setErrors((current) => (current[field] ? { ...current, [field]: undefined } : current));

  return (
    <form className="form" id={id} noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New pairing</h2>
      <p className="muted">
        medmentor refuses a mentor who assesses the student, has assessed them or is scheduled to, and any pair the
        program has excluded.
      </p>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <div className="form-grid">
        <PersonPicker
          ref={studentRef}
          label="Student"
          name="student"
          role="student"
          hint={`Students of ${program.cohorts.map((cohort) => cohort.name).join(', ') || 'the program’s cohorts'}`}
          offer={(person) => person.student !== null && cohortIds.has(person.student.cohortId)}
          value={student}
          onChange={(person) => {
            setStudent(person);
            clear('studentId');
          }}
          error={errors.studentId}
        />
        <PersonPicker
          ref={mentorRef}
          label="Mentor"
          name="mentor"
          role="mentor"
          programId={program.id}
          hint={`Mentors of ${program.name}`}
          value={mentor}
          onChange={(person) => {
            setMentor(person);
            clear('mentorId');
          }}
          error={errors.mentorId}
        />
        <SelectField
          ref={kindRef}
          label="Type of mentoring"
          name="kind"
          value={kind}
          onChange={(event) => {
            setKind(event.target.value as PairingKind);
            clear('kind');
          }}
          error={typeof errors.kind === 'string' ? errors.kind : undefined}
        >
          {PAIRING_KINDS.map((value) => (
            <option key={value} value={value}>
              {PAIRING_KIND_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <FormField
          ref={startsOnRef}
          label="Starts on"
          name="startsOn"
          type="date"
          value={startsOn}
          onChange={(event) => {
            setStartsOn(event.target.value);
            clear('startsOn');
          }}
          error={typeof errors.startsOn === 'string' ? errors.startsOn : undefined}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Creating the pairing…' : 'Create pairing'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
