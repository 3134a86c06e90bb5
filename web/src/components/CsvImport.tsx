import type { ChangeEvent, Ref } from 'react';
import type { ImportProblem } from '../api/firewall-schemas.ts';
import { formatNumber } from '../format.ts';
import { FormField } from './FormField.tsx';
import { TableFrame } from './TableFrame.tsx';

/**
 * The parts every CSV import page shares: the file field with its "Check file" and "Import"
 * buttons (import only once a check found no problem), and the table of every problem found,
 * each with its row, column and value.
 */
export function CsvImportControls({
  fileRef,
  hint,
  fileError,
  onChoose,
  running,
  checkedClean,
  onRun,
}: {
  fileRef: Ref<HTMLInputElement>;
  /** The size limit the server takes, e.g. "At most 10 MB". */
  hint: string;
  fileError: string | undefined;
  onChoose: (event: ChangeEvent<HTMLInputElement>) => void;
  /** What is running now, if anything. */
  running: 'check' | 'import' | null;
  /** Null before any check; then whether the last check found no problem. */
  checkedClean: boolean | null;
  onRun: (action: 'check' | 'import') => void;
}) {
  const busy = running !== null;
  return (
    <>
      <FormField
        ref={fileRef}
        label="CSV file"
        name="file"
        type="file"
        accept=".csv,text/csv"
        hint={hint}
        onChange={onChoose}
        error={fileError}
      />
      <div className="form-actions">
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => onRun('check')}>
          {running === 'check' ? 'Checking…' : 'Check file'}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={checkedClean !== true || busy}
          onClick={() => onRun('import')}
        >
          {running === 'import' ? 'Importing…' : 'Import'}
        </button>
      </div>
      <p className="field-hint">
        {checkedClean === null
          ? 'Import is possible once the check finds no problem.'
          : checkedClean
            ? 'The check found no problem: the file is ready to import.'
            : 'Fix the problems listed below, then choose the file again and check it.'}
      </p>
    </>
  );
}

/** Every problem in a file, top to bottom; `total` says how many there were when only the first are listed. */
export function ImportProblemTable({ problems, total }: { problems: ImportProblem[]; total?: number }) {
  return (
    <TableFrame label="Problems in the file">
      <table className="data-table problem-table">
        <caption>
          Problems in the file
          {total !== undefined && total > problems.length
            ? ` (the first ${formatNumber(problems.length)} of ${formatNumber(total)})`
            : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Row
            </th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem, index) => (
            <tr key={`${problem.row}-${problem.column ?? ''}-${index}`}>
              <th scope="row" className="numeric">
                {problem.row}
              </th>
              <td>{problem.column ? <code>{problem.column}</code> : '—'}</td>
              <td className="value-cell">{problem.value ? <code>{problem.value}</code> : '—'}</td>
              <td className="problem-cell">{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
