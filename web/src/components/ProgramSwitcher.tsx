import { useId } from 'react';
import type { Program } from '../api/firewall-schemas.ts';

interface ProgramSwitcherProps {
  programs: Program[];
  program: Program;
  onChoose(programId: string): void;
}

/** For people who run several programs: which one the page shows. Nothing to choose when there is one. */
export function ProgramSwitcher({ programs, program, onChoose }: ProgramSwitcherProps) {
  const id = useId();
  if (programs.length < 2) return null;
  return (
    <div className="program-switcher">
      <label className="field-label" htmlFor={id}>
        Program
      </label>
      <select id={id} className="input select" value={program.id} onChange={(event) => onChoose(event.target.value)}>
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
