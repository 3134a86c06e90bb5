/** Parts the mentor's and the student's matching profile forms share. */
import { useId } from 'react';
import { MENTOR_TOPICS } from '../../../../common/matching.ts';
import { isApiError } from '../../api/client.ts';
import { TagListInput } from '../../components/TagListInput.tsx';
import { MENTOR_TOPIC_KEYS, topicLabel } from './matching-text.ts';

export type FieldErrors = Partial<Record<string, string>>;

/**
 * The form field a server error names: `specialties.2` is a problem of the specialties list, so
 * it is shown there. Returns null for an error that names no field of the form.
 */
export function fieldOf(error: unknown, fields: readonly string[]): string | null {
  if (!isApiError(error) || !error.field) return null;
  const head = error.field.split('.')[0] ?? '';
  return fields.includes(head) ? head : null;
}

interface TopicsFieldProps {
  legend: string;
  hint: string;
  otherLabel: string;
  name: string;
  values: string[];
  onChange(values: string[]): void;
  error?: string | undefined;
}

/**
 * The usual life-and-career topics as checkboxes (stored by key), and any others as free text.
 * The two are one list on the server, so a problem with either shows once, on the group.
 */
export function TopicsField({ legend, hint, otherLabel, name, values, onChange, error }: TopicsFieldProps) {
  const id = useId();
  const usual = values.filter((value) => MENTOR_TOPIC_KEYS.has(value));
  const others = values.filter((value) => !MENTOR_TOPIC_KEYS.has(value));
  const toggle = (key: string, checked: boolean) =>
    onChange(checked ? [...usual, key, ...others] : [...usual.filter((k) => k !== key), ...others]);

  return (
    <div className="topics-field">
      <fieldset
        className={error ? 'field choice-field field-invalid' : 'field choice-field'}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ')}
      >
        <legend className="field-label">{legend}</legend>
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
        {error && (
          <p className="field-error" id={`${id}-error`}>
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        )}
        <div className="check-grid">
          {MENTOR_TOPICS.map((topic) => (
            <label key={topic.key} className="check">
              <input
                type="checkbox"
                name={name}
                value={topic.key}
                checked={usual.includes(topic.key)}
                onChange={(event) => toggle(topic.key, event.target.checked)}
              />
              <span>{topic.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <TagListInput
        label={otherLabel}
        addLabel="Add another topic"
        name={`${name}-other`}
        values={others}
        display={topicLabel}
        maxItems={30 - usual.length}
        onChange={(next) => onChange([...usual, ...next])}
      />
    </div>
  );
}
