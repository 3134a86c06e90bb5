import { useCallback, useId, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import type { Role } from '../../../common/api.ts';
import type { Person } from '../api/firewall-schemas.ts';
import { searchPeople } from '../api/people.ts';
import { useResource } from '../api/use-resource.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

interface PersonPickerProps {
  label: string;
  name: string;
  /** Whom to offer: students or mentors. */
  role: Extract<Role, 'student' | 'mentor'>;
  /** Only mentors of this program (for role "mentor"). */
  programId?: string | undefined;
  value: Person | null;
  onChange(person: Person | null): void;
  hint?: string;
  /** Shown under the label and read with the field; may be more than a sentence (the firewall's reasons). */
  error?: ReactNode;
  /** Leaves people out of the list, e.g. students outside the program's cohorts or the current mentor. */
  offer?: (person: Person) => boolean;
  ref?: Ref<HTMLInputElement>;
}

/** The line under a person's name: how to tell two people of the same name apart. */
export function describePerson(person: Person): string {
  const about = person.student
    ? [person.student.cohortName, person.student.phaseName]
    : [person.faculty?.department, person.faculty?.title];
  return [person.email, ...about].filter(Boolean).join(' · ');
}

const noResults = () => Promise.resolve(null);

/**
 * Search-as-you-type for a person, following the ARIA combobox pattern with a list box popup:
 * type part of a name or email (or press Down, or click, to see everyone), move through
 * matches with the arrow keys, Enter chooses, Escape closes the list (and a second Escape
 * clears the field). Focus stays in the text box.
 */
export function PersonPicker({
  label,
  name,
  role,
  programId,
  value,
  onChange,
  hint,
  error,
  offer,
  ref,
}: PersonPickerProps) {
  const id = useId();
  const listboxId = `${id}-listbox`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const chosenId = `${id}-chosen`;
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = useDebouncedValue(text.trim(), 250);

  const load = useCallback(
    (signal: AbortSignal) => (open ? searchPeople({ role, programId, search: query }, signal) : noResults()),
    [open, role, programId, query],
  );
  const results = useResource(load, { keepPrevious: true });
  const found = results.status === 'loaded' && results.data ? results.data : null;
  const people = found ? found.people.filter((person) => (offer ? offer(person) : true)) : [];
  const searching = results.status === 'loading' || (results.status === 'loaded' && results.refreshing);
  const showList = open && people.length > 0;
  const activeIndex = active >= 0 && active < people.length ? active : -1;

  const choose = (person: Person) => {
    onChange(person);
    setText(person.name);
    setOpen(false);
    setActive(-1);
  };

  const type = (next: string) => {
    setText(next);
    setOpen(true);
    setActive(-1);
    if (value && next !== value.name) onChange(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else if (people.length > 0) setActive((activeIndex + 1) % people.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) setOpen(true);
        else if (people.length > 0) setActive(activeIndex <= 0 ? people.length - 1 : activeIndex - 1);
        break;
      case 'Enter':
        // Inside the list Enter chooses; otherwise it submits the form as usual.
        if (showList && activeIndex >= 0) {
          event.preventDefault();
          choose(people[activeIndex]!);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          event.preventDefault();
          type('');
          setOpen(false);
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  let status = '';
  if (open && found && !searching) {
    if (people.length === 0) status = query ? `No one matches “${query}”.` : 'No one to choose.';
    else {
      const more = found.total > found.people.length ? ` Showing the first ${people.length}; type more to narrow.` : '';
      status = `${people.length} ${people.length === 1 ? 'match' : 'matches'}. Use the up and down arrows to choose.${more}`;
    }
  } else if (open && searching) status = 'Searching…';

  const describedBy = [hint ? hintId : null, error ? errorId : null, value ? chosenId : null].filter(Boolean).join(' ');

  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </div>
      )}
      <div className="combobox">
        <input
          ref={ref}
          id={id}
          name={name}
          type="text"
          className="input"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listboxId}
          aria-activedescendant={showList && activeIndex >= 0 ? `${id}-option-${activeIndex}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          value={text}
          placeholder="Type a name or email"
          onChange={(event) => type(event.target.value)}
          onClick={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
        />
        <ul className="combobox-list" id={listboxId} role="listbox" aria-label={label} hidden={!showList}>
          {people.map((person, index) => (
            <li
              key={person.id}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              className={index === activeIndex ? 'combobox-option combobox-option-active' : 'combobox-option'}
              // Chosen on mouse down, before the text box loses focus and closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
            >
              <span className="cell-primary">{person.name}</span>{' '}
              <span className="cell-secondary">{describePerson(person)}</span>
            </li>
          ))}
        </ul>
        {open && !showList && status && (
          <p className="combobox-empty" aria-hidden="true">
            {status}
          </p>
        )}
      </div>
      {value && (
        <p className="field-hint combobox-chosen" id={chosenId}>
          Chosen: {describePerson(value)}
        </p>
      )}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {status}
      </div>
    </div>
  );
}
