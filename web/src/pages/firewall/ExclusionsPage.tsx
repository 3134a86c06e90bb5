import { useCallback, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client.ts';
import { addExclusion, fetchExclusions, removeExclusion } from '../../api/firewall.ts';
import type { Exclusion, Person, Program } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PersonPicker } from '../../components/PersonPicker.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatShortDate } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Program exclusions';

export function ExclusionsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors"
      purpose="Directors use it to name pairs their program must never make."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            Pairs this program never makes, beyond the firewall: a declared family tie, a prior relationship such as a
            research supervisor. Pairing and matching refuse them.
          </p>
        }
      >
        {(program) => <ProgramExclusions program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramExclusions({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchExclusions(program.id, signal), [program.id]);
  const exclusions = useResource(load);
  const reload = exclusions.status === 'loaded' ? exclusions.reload : undefined;
  const [removing, setRemoving] = useState<Exclusion | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <RemoveExclusionDialog
        program={program}
        exclusion={removing}
        onClose={() => setRemoving(null)}
        onRemoved={(removed) => {
          setRemoving(null);
          setNotice(`${removed.student.name} and ${removed.mentor.name} may be paired again.`);
          reload?.();
        }}
      />
      <LiveRegion politeness="polite">{notice && <Alert tone="success" title={notice} takeFocus />}</LiveRegion>
      <div className="split">
        <div className="split-main">
          <Section title="Excluded pairs">
            {exclusions.status === 'loading' && <LoadingState label="Loading the exclusions…" />}
            {exclusions.status === 'failed' && (
              <LoadFailure what="the exclusions" error={exclusions.error} retry={exclusions.retry} />
            )}
            {exclusions.status === 'loaded' &&
              (exclusions.data.length === 0 ? (
                <Card className="empty-state">
                  <h3>No excluded pairs</h3>
                  <p>Only the firewall limits who may mentor whom in {program.name}.</p>
                </Card>
              ) : (
                <ExclusionTable
                  exclusions={exclusions.data}
                  onRemove={(exclusion) => {
                    setNotice(null);
                    setRemoving(exclusion);
                  }}
                />
              ))}
          </Section>
        </div>
        <Card as="section" className="side-card" labelledBy="add-exclusion-title">
          <AddExclusionForm
            key={formKey}
            program={program}
            onAdded={(message) => {
              setNotice(message);
              setFormKey((n) => n + 1);
              reload?.();
            }}
          />
        </Card>
      </div>
    </>
  );
}

function ExclusionTable({ exclusions, onRemove }: { exclusions: Exclusion[]; onRemove(exclusion: Exclusion): void }) {
  return (
    <TableFrame label="Excluded pairs">
      <table className="data-table">
        <caption className="visually-hidden">Excluded pairs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Mentor</th>
            <th scope="col" className="hide-narrow">
              Reason
            </th>
            <th scope="col" className="hide-narrow">
              Added
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {exclusions.map((exclusion) => (
            <tr key={exclusion.id}>
              <th scope="row" className="nowrap">
                {exclusion.student.name}
              </th>
              <td>
                <span className="cell-primary nowrap">{exclusion.mentor.name}</span>
                <span className="cell-secondary show-narrow">{exclusion.reason}</span>
              </td>
              <td className="hide-narrow">{exclusion.reason}</td>
              <td className="nowrap hide-narrow">{formatShortDate(exclusion.createdAt)}</td>
              <td className="actions-cell">
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => onRemove(exclusion)}
                >
                  Remove
                  <span className="visually-hidden">
                    {' '}
                    the exclusion of {exclusion.student.name} and {exclusion.mentor.name}
                  </span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function AddExclusionForm({ program, onAdded }: { program: Program; onAdded(message: string): void }) {
  const [student, setStudent] = useState<Person | null>(null);
  const [mentor, setMentor] = useState<Person | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ studentId?: ReactNode; mentorId?: ReactNode; reason?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const studentRef = useRef<HTMLInputElement>(null);
  const mentorRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const cohortIds = new Set(program.cohorts.map((cohort) => cohort.id));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const found: typeof errors = {};
    if (!student) found.studentId = 'Choose a student from the list';
    if (!mentor) found.mentorId = 'Choose a mentor from the list';
    if (!reason.trim()) found.reason = 'Say why this pair must not be made';
    setErrors(found);
    if (found.studentId) return studentRef.current?.focus();
    if (found.mentorId) return mentorRef.current?.focus();
    if (found.reason) return reasonRef.current?.focus();
    if (!student || !mentor) return;
    setSubmitting(true);
    try {
      await addExclusion(program.id, { studentId: student.id, mentorId: mentor.id, reason: reason.trim() });
      onAdded(`${student.name} and ${mentor.name} will never be paired in ${program.name}.`);
    } catch (error) {
      setSubmitting(false);
      if (!isApiError(error)) return setFormError('Something went wrong. Please try again.');
      if (error.field === 'studentId') {
        setErrors({ studentId: error.message });
        studentRef.current?.focus();
      } else if (error.field === 'mentorId') {
        setErrors({ mentorId: error.message });
        mentorRef.current?.focus();
      } else if (error.field === 'reason') {
        setErrors({ reason: error.message });
        reasonRef.current?.focus();
      } else setFormError(error.message);
    }
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-labelledby="add-exclusion-title">
      <h2 id="add-exclusion-title">Exclude a pair</h2>
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <PersonPicker
        ref={studentRef}
        label="Student"
        name="student"
        role="student"
        offer={(person) => person.student !== null && cohortIds.has(person.student.cohortId)}
        value={student}
        onChange={(person) => {
          setStudent(person);
          setErrors((current) => ({ ...current, studentId: undefined }));
        }}
        error={errors.studentId}
      />
      <PersonPicker
        ref={mentorRef}
        label="Mentor"
        name="mentor"
        role="mentor"
        programId={program.id}
        value={mentor}
        onChange={(person) => {
          setMentor(person);
          setErrors((current) => ({ ...current, mentorId: undefined }));
        }}
        error={errors.mentorId}
      />
      <TextAreaField
        ref={reasonRef}
        label="Reason"
        name="reason"
        hint="For example: family relationship declared by the mentor. At most 500 characters."
        maxLength={500}
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
          setErrors((current) => ({ ...current, reason: undefined }));
        }}
        error={errors.reason}
      />
      <button type="submit" className="button button-primary" disabled={submitting}>
        {submitting ? 'Adding…' : 'Add exclusion'}
      </button>
    </form>
  );
}

interface RemoveExclusionDialogProps {
  program: Program;
  exclusion: Exclusion | null;
  onClose(): void;
  onRemoved(exclusion: Exclusion): void;
}

function RemoveExclusionDialog({ program, exclusion, onClose, onRemoved }: RemoveExclusionDialogProps) {
  return (
    <Dialog open={exclusion !== null} title="Remove this exclusion?" onClose={onClose}>
      {exclusion && <RemoveExclusion program={program} exclusion={exclusion} onClose={onClose} onRemoved={onRemoved} />}
    </Dialog>
  );
}

function RemoveExclusion({
  program,
  exclusion,
  onClose,
  onRemoved,
}: {
  program: Program;
  exclusion: Exclusion;
  onClose(): void;
  onRemoved(exclusion: Exclusion): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const remove = async () => {
    setSubmitting(true);
    setError(null);
    try {
      await removeExclusion(program.id, exclusion.id);
      onRemoved(exclusion);
    } catch (caught) {
      setSubmitting(false);
      setError(isApiError(caught) ? caught.message : 'Something went wrong. Please try again.');
    }
  };
  return (
    <div className="dialog-form">
      <p>
        {exclusion.student.name} and {exclusion.mentor.name} could then be paired in {program.name}, unless the firewall
        forbids it. The reason given was: “{exclusion.reason}”.
      </p>
      <LiveRegion>{error && <Alert tone="error" title={error} />}</LiveRegion>
      <div className="form-actions">
        <button type="button" className="button button-danger" disabled={submitting} onClick={remove}>
          {submitting ? 'Removing…' : 'Remove exclusion'}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose} data-autofocus>
          Cancel
        </button>
      </div>
    </div>
  );
}
