import { READINESS_CSV_COLUMNS, type ReadinessImportResult } from '../../../../common/readiness.ts';
import { importCompletionsCsv } from '../../api/readiness.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { CsvImportControls, ImportProblemTable } from '../../components/CsvImport.tsx';
import { useCsvImport } from '../../components/use-csv-import.ts';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { formatNumber } from '../../format.ts';

const COLUMNS = READINESS_CSV_COLUMNS.join(',');
const EXAMPLE = 'dana.reyes@school.edu,Student privacy (FERPA),2026-08-20,';
const MAX_BYTES = 5 * 1024 * 1024;

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * Imports mentors' completions (a training system's export) in two steps, like the other imports:
 * "Check file" runs a dry run and lists every problem with its row and column; "Import" stays
 * disabled until the check finds none. Nothing is written unless the whole file is valid, and
 * the same file again changes nothing.
 */
export function CompletionImportPanel({ programId, onImported }: { programId: string; onImported: () => void }) {
  const { file, fileError, stage, failure, fileRef, choose, run, checked } = useCsvImport<ReadinessImportResult>({
    maxBytes: MAX_BYTES,
    tooLarge: 'The file is larger than 5 MB; split it into smaller files',
    send: (chosen, dryRun) => importCompletionsCsv(programId, chosen.text, { dryRun }),
    refusedAsCheck: ({ errors, rowCount }) => ({
      dryRun: true,
      valid: false,
      rowCount,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors,
    }),
    onImported,
  });
  const canImport = checked !== null && checked.valid && checked.errors.length === 0;

  return (
    <Section
      title="Import completions"
      intro={
        <p>
          Load completions from your training system as a CSV file. Check the file first: nothing is imported unless
          every row is valid, and importing the same file again changes nothing.
        </p>
      }
    >
      <Card className="import-card">
        <div className="import-format">
          <h3>The file’s columns</h3>
          <p>The first line names the columns, in any order:</p>
          <pre className="code-block">
            <code>{COLUMNS}</code>
          </pre>
          <p>For example:</p>
          <pre className="code-block">
            <code>{EXAMPLE}</code>
          </pre>
          <ul className="format-notes">
            <li>
              <code>requirement</code> is the requirement’s name as listed above (capitals do not matter).
            </li>
            <li>
              Dates are written <code>YYYY-MM-DD</code>; <code>expires_on</code> may be empty to compute it from the
              requirement’s validity.
            </li>
            <li>A signed paper agreement counts for the agreement’s current version.</li>
          </ul>
        </div>

        <div className="import-form">
          <CsvImportControls
            fileRef={fileRef}
            hint="At most 5 MB"
            fileError={fileError}
            onChoose={choose}
            running={stage.step === 'busy' ? stage.action : null}
            checkedClean={checked === null ? null : canImport}
            onRun={(action) => void run(action)}
          />
        </div>
      </Card>

      <LiveRegion>{failure && <Alert tone="error" title={failure} />}</LiveRegion>
      <LiveRegion politeness="polite">
        {checked && <CheckSummary result={checked} fileName={file?.name ?? 'The file'} />}
        {stage.step === 'imported' && (
          <Alert tone="success" title={`Imported ${plural(stage.result.rowCount, 'row', 'rows')}.`} takeFocus>
            <p>
              {formatNumber(stage.result.created)} new, {formatNumber(stage.result.updated)} updated,{' '}
              {formatNumber(stage.result.unchanged)} unchanged.
            </p>
          </Alert>
        )}
      </LiveRegion>
      {checked &&
        (checked.errors.length > 0 ? (
          <ImportProblemTable problems={checked.errors} />
        ) : (
          <StatGrid label="What the file would change">
            <StatTile label="Rows" value={checked.rowCount} />
            <StatTile label="New" value={checked.created} />
            <StatTile label="Updated" value={checked.updated} />
            <StatTile label="Unchanged" value={checked.unchanged} />
          </StatGrid>
        ))}
    </Section>
  );
}

function CheckSummary({ result, fileName }: { result: ReadinessImportResult; fileName: string }) {
  if (result.errors.length > 0) {
    return (
      <Alert
        tone="error"
        title={`${fileName} has ${plural(result.errors.length, 'problem', 'problems')}. Nothing can be imported until ${result.errors.length === 1 ? 'it is' : 'they are'} fixed.`}
      >
        <p>Each problem is listed below with its row and column.</p>
      </Alert>
    );
  }
  return (
    <Alert tone="success" title={`${fileName} is ready to import.`}>
      <p>
        {plural(result.rowCount, 'row', 'rows')}: {formatNumber(result.created)} new, {formatNumber(result.updated)}{' '}
        updated, {formatNumber(result.unchanged)} unchanged.
      </p>
    </Alert>
  );
}
