import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { AvailabilityWindow } from '../../../../common/mentoring.ts';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchMyAvailability, saveMyAvailability, type Availability } from '../../api/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { WEEKDAY_NAMES } from './meeting-text.ts';

/** A window as the form holds it: a key for React, and the text of each field. */
interface Row {
  key: number;
  weekday: string;
  startsAt: string;
  endsAt: string;
  location: string;
}

type RowErrors = Partial<Record<'weekday' | 'startsAt' | 'endsAt' | 'location', string>>;

/** /settings/availability: a mentor's weekly windows for meetings, from which mentees pick free times. */
export function AvailabilityPage() {
  const resource = useResource(fetchMyAvailability);
  return (
    <>
      <PageHeader title="Your meeting availability">
        <p className="lead">
          The times of the week when you take mentoring meetings. Your mentees pick from these when they propose a
          meeting; times when you already have a meeting are left out. They can still suggest another time.
        </p>
      </PageHeader>
      {resource.status === 'loading' && <LoadingState label="Loading your availability…" />}
      {resource.status === 'failed' && (
        <LoadFailure what="your availability" error={resource.error} retry={resource.retry} />
      )}
      {resource.status === 'loaded' && (
        <div className="page-body">
          <AvailabilityForm initial={resource.data} />
        </div>
      )}
    </>
  );
}

let nextKey = 0;
const toRow = (w: AvailabilityWindow): Row => ({
  key: nextKey++,
  weekday: String(w.weekday),
  startsAt: w.startsAt,
  endsAt: w.endsAt,
  location: w.location ?? '',
});

const fingerprint = (rows: Row[]) => JSON.stringify(rows.map((r) => [r.weekday, r.startsAt, r.endsAt, r.location]));

/** Checks the rows as the server will, so most mistakes are named before a round trip. */
function checkRows(rows: Row[]): Map<number, RowErrors> {
  const errors = new Map<number, RowErrors>();
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  rows.forEach((row, i) => {
    const problems: RowErrors = {};
    if (!time.test(row.startsAt)) problems.startsAt = 'Enter the time the window starts';
    if (!time.test(row.endsAt)) problems.endsAt = 'Enter the time the window ends';
    else if (time.test(row.startsAt) && row.endsAt <= row.startsAt) problems.endsAt = 'End after the start time';
    const overlapped = rows.findIndex(
      (other, j) =>
        j < i &&
        other.weekday === row.weekday &&
        other.startsAt < row.endsAt &&
        row.startsAt < other.endsAt &&
        time.test(other.startsAt) &&
        time.test(other.endsAt),
    );
    if (!problems.startsAt && !problems.endsAt && overlapped >= 0)
      problems.startsAt = `Overlaps time ${overlapped + 1} on the same day`;
    if (Object.keys(problems).length > 0) errors.set(row.key, problems);
  });
  return errors;
}

function AvailabilityForm({ initial }: { initial: Availability }) {
  const [rows, setRows] = useState<Row[]>(() => initial.windows.map(toRow));
  const [saved, setSaved] = useState<Row[]>(rows);
  const [errors, setErrors] = useState<Map<number, RowErrors>>(new Map());
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const addRef = useRef<HTMLButtonElement>(null);
  const focusKey = useRef<number | null>(null);
  const changed = fingerprint(rows) !== fingerprint(saved);

  const edit = (key: number, patch: Partial<Row>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
    setDone(false);
  };

  const add = () => {
    const last = rows[rows.length - 1];
    const row: Row = {
      key: nextKey++,
      weekday: last ? String((Number(last.weekday) % 7) + 1) : '1',
      startsAt: last?.startsAt ?? '09:00',
      endsAt: last?.endsAt ?? '10:00',
      location: last?.location ?? '',
    };
    focusKey.current = row.key;
    setRows((current) => [...current, row]);
    setDone(false);
  };

  const remove = (key: number) => {
    setRows((current) => current.filter((row) => row.key !== key));
    setErrors((current) => {
      const next = new Map(current);
      next.delete(key);
      return next;
    });
    setDone(false);
    addRef.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = checkRows(rows);
    setErrors(problems);
    setFailure(null);
    if (problems.size > 0) {
      setDone(false);
      return;
    }
    setBusy(true);
    try {
      const result = await saveMyAvailability(
        rows.map((row) => ({
          weekday: Number(row.weekday),
          startsAt: row.startsAt,
          endsAt: row.endsAt,
          location: row.location.trim() || null,
        })),
      );
      const next = result.windows.map(toRow);
      setRows(next);
      setSaved(next);
      setDone(true);
    } catch (error) {
      if (!isApiError(error)) throw error;
      // The server names the field as windows.<index>.<field>; show it beside that field.
      const match = /^windows\.(\d+)\.(weekday|startsAt|endsAt|location)$/.exec(error.field ?? '');
      const row = match ? rows[Number(match[1])] : undefined;
      if (match && row) setErrors(new Map([[row.key, { [match[2]!]: error.message }]]));
      else setFailure(error);
      setDone(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="form-card">
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <p className="section-note">
          Times are in the school’s time zone, <strong>{initial.timeZone.replace(/_/g, ' ')}</strong>. Meetings are
          offered every half hour inside each window.
        </p>
        {rows.length === 0 ? (
          <p className="muted">No weekly times yet: mentees can only suggest times of their own.</p>
        ) : (
          <ul className="availability-list" aria-label="Weekly meeting times">
            {rows.map((row, i) => {
              const rowErrors = errors.get(row.key) ?? {};
              return (
                <li key={row.key}>
                  <fieldset className="availability-row">
                    <legend className="availability-legend">Time {i + 1}</legend>
                    <SelectField
                      label="Day"
                      name={`weekday-${i}`}
                      value={row.weekday}
                      error={rowErrors.weekday}
                      ref={(element) => {
                        if (element && focusKey.current === row.key) {
                          focusKey.current = null;
                          element.focus();
                        }
                      }}
                      onChange={(event) => edit(row.key, { weekday: event.target.value })}
                    >
                      {WEEKDAY_NAMES.map((name, index) => (
                        <option key={name} value={index + 1}>
                          {name}
                        </option>
                      ))}
                    </SelectField>
                    <FormField
                      label="From"
                      name={`startsAt-${i}`}
                      type="time"
                      step={900}
                      value={row.startsAt}
                      error={rowErrors.startsAt}
                      onChange={(event) => edit(row.key, { startsAt: event.target.value })}
                    />
                    <FormField
                      label="Until"
                      name={`endsAt-${i}`}
                      type="time"
                      step={900}
                      value={row.endsAt}
                      error={rowErrors.endsAt}
                      onChange={(event) => edit(row.key, { endsAt: event.target.value })}
                    />
                    <FormField
                      label="Place"
                      name={`location-${i}`}
                      hint="Optional."
                      maxLength={300}
                      value={row.location}
                      error={rowErrors.location}
                      onChange={(event) => edit(row.key, { location: event.target.value })}
                    />
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => remove(row.key)}
                    >
                      Remove<span className="visually-hidden"> time {i + 1}</span>
                    </button>
                  </fieldset>
                </li>
              );
            })}
          </ul>
        )}
        {failure && (
          <Alert tone="error" role="alert" title="Your availability was not saved">
            <p>{failure.message}</p>
          </Alert>
        )}
        {errors.size > 0 && (
          <Alert tone="error" role="alert" title="Your availability was not saved">
            <p>Some times need a change; each is marked above.</p>
          </Alert>
        )}
        <div className="form-actions">
          <button ref={addRef} type="button" className="button button-secondary" onClick={add}>
            Add a time
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !changed}>
            Save availability
          </button>
          <span role="status" className="save-status">
            {done && !changed ? 'Availability saved' : ''}
          </span>
        </div>
        <p>
          <Link to="/my-mentorship">Back to My mentorship</Link>
        </p>
      </form>
    </Card>
  );
}
