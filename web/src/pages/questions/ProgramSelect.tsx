import { useId } from 'react';

/** Which program a questions page shows, for people in several; nothing when there is one. */
export function ProgramSelect({
  programs,
  value,
  onChange,
}: {
  programs: { id: string; name: string }[];
  value: string;
  onChange(id: string): void;
}) {
  const id = useId();
  if (programs.length < 2) return null;
  return (
    <div className="field program-switcher">
      <label className="field-label" htmlFor={id}>
        Program
      </label>
      <select id={id} className="input select" value={value} onChange={(event) => onChange(event.target.value)}>
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
