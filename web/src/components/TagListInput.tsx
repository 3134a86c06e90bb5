import { useId, useRef, useState, type KeyboardEvent } from 'react';

interface TagListInputProps {
  /** The list's name, the group's visible legend ("Specialties"). */
  label: string;
  /** What the text box adds, read as its label ("Add a specialty"). */
  addLabel: string;
  name: string;
  values: readonly string[];
  onChange(values: string[]): void;
  hint?: string;
  error?: string | undefined;
  /** How the stored value reads (a topic key as its label); values read as written when unset. */
  display?(value: string): string;
  maxItems?: number;
  maxLength?: number;
  disabled?: boolean;
}

/**
 * A list of short free-text labels: type one and press Enter (or the Add button) to add it;
 * each label has its own named Remove button. Additions and removals are announced, and focus
 * stays on something useful after a removal (the next label's button, else the text box).
 */
export function TagListInput({
  label,
  addLabel,
  name,
  values,
  onChange,
  hint,
  error,
  display = (value) => value,
  maxItems = 30,
  maxLength = 80,
  disabled = false,
}: TagListInputProps) {
  const id = useId();
  const inputId = `${id}-input`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const problemId = `${id}-problem`;
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const full = values.length >= maxItems;
  const describedBy = [hint ? hintId : null, error ? errorId : null, problem ? problemId : null]
    .filter(Boolean)
    .join(' ');

  const add = () => {
    const value = draft.trim().replace(/\s+/g, ' ');
    if (!value) {
      setProblem(`Type something to add to ${label.toLowerCase()}.`);
      return;
    }
    if (values.some((existing) => existing.toLowerCase() === value.toLowerCase())) {
      setProblem(`“${value}” is already in the list.`);
      return;
    }
    if (full) {
      setProblem(`The list holds at most ${maxItems}; remove one first.`);
      return;
    }
    onChange([...values, value]);
    setDraft('');
    setProblem(null);
    setAnnouncement(`Added ${value}.`);
  };

  const remove = (index: number) => {
    const value = values[index];
    if (value === undefined) return;
    onChange(values.filter((_, i) => i !== index));
    setProblem(null);
    setAnnouncement(`Removed ${display(value)}.`);
    // The removed button is gone: move to the one that takes its place, else to the text box.
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button');
    const next = buttons?.[index + 1] ?? buttons?.[index - 1];
    if (next) next.focus();
    else inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the label instead of submitting the form around it.
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  return (
    <fieldset className={error ? 'field tag-list field-invalid' : 'field tag-list'} disabled={disabled}>
      <legend className="field-label">{label}</legend>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {values.length > 0 ? (
        <ul className="tag-items" ref={listRef} aria-label={label}>
          {values.map((value, index) => (
            <li key={value} className="tag">
              <span>{display(value)}</span>
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove ${display(value)}`}
                onClick={() => remove(index)}
              >
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d="M6 6l12 12M18 6 6 18" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="tag-empty muted">None yet.</p>
      )}
      <label className="tag-add-label" htmlFor={inputId}>
        {addLabel}
      </label>
      <div className="tag-add">
        <input
          ref={inputRef}
          id={inputId}
          name={name}
          className="input"
          type="text"
          value={draft}
          maxLength={maxLength}
          autoComplete="off"
          aria-invalid={error || problem ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            setProblem(null);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="button button-secondary" onClick={add}>
          Add<span className="visually-hidden"> to {label.toLowerCase()}</span>
        </button>
      </div>
      {problem && (
        <p className="field-error" id={problemId}>
          {problem}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </fieldset>
  );
}
