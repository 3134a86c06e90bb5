import { Link } from 'react-router';
import { importAssessmentCsv } from '../../api/firewall.ts';
import type { AssessmentImportResult } from '../../api/firewall-schemas.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { CsvImportControls, ImportProblemTable } from '../../components/CsvImport.tsx';
import { useCsvImport } from '../../components/use-csv-import.ts';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { announceConflictsChanged } from '../../components/use-open-conflicts.ts';
import { formatNumber } from '../../format.ts';

const COLUMNS = 'external_id,assessor_email,kind,student_email,cohort_year,course_code,context,starts_on,ends_on';
const EXAMPLE =
  'ROT-2027-IM-014,attending@school.edu,rotation,student@school.edu,,,Internal Medicine clerkship (ward attending),2027-01-04,2027-02-26';
const MAX_BYTES = 10 * 1024 * 1024;

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * Imports assessment relationships from a CSV file in two steps: "Check file" runs a dry run
 * and shows every problem (row, column, value) and the pairs that would go to the conflict
 * queue; "Import" stays disabled until the check finds no problem. Nothing is written unless
 * the whole file is valid.
 */
export function AssessmentImportPanel({ onImported }: { onImported?: () => void }) {
  const { file, fileError, stage, failure, fileRef, choose, run, checked } = useCsvImport<AssessmentImportResult>({
    maxBytes: MAX_BYTES,
    tooLarge: 'The file is larger than 10 MB; split it into smaller files',
    send: (chosen, dryRun) => importAssessmentCsv(chosen.text, { dryRun }),
    // The file changed on the server's side of the check (or was not checked): show the problems as a check would.
    refusedAsCheck: ({ errors, rowCount }) => ({
      dryRun: true,
      valid: false,
      rowCount,
      created: 0,
      updated: 0,
      unchanged: 0,
      flagged: [],
      errors,
    }),
    onImported: (result) => {
      if (result.flagged.length > 0) announceConflictsChanged();
      onImported?.();
    },
  });
  const canImport = checked !== null && checked.valid && checked.errors.length === 0;

  return (
    <Section
      title="Import a schedule"
      intro={
        <p>
          Load rotation schedules, course directorships and committee seats from a CSV file. Check the file first:
          nothing is imported unless every row is valid, and importing the same file again changes nothing.
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
              <code>kind</code> is <code>rotation</code> or <code>manual</code> (with <code>student_email</code>),{' '}
              <code>committee</code> (with <code>cohort_year</code>, the class’s graduation year) or{' '}
              <code>course_director</code> (with <code>course_code</code>).
            </li>
            <li>
              Dates are written <code>YYYY-MM-DD</code>; <code>ends_on</code> may be empty for an open-ended
              relationship.
            </li>
            <li>
              <code>external_id</code> is your system’s id for the row, so a corrected file updates rows instead of
              adding them.
            </li>
          </ul>
        </div>

        <div className="import-form">
          <CsvImportControls
            fileRef={fileRef}
            hint="At most 10 MB"
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
        {stage.step === 'imported' && <ImportSummary result={stage.result} />}
      </LiveRegion>
      {checked && <CheckDetails result={checked} />}
    </Section>
  );
}

function CheckSummary({ result, fileName }: { result: AssessmentImportResult; fileName: string }) {
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
        {result.flagged.length > 0 &&
          ` ${plural(result.flagged.length, 'current pairing', 'current pairings')} would go to the conflict queue.`}
      </p>
    </Alert>
  );
}

function CheckDetails({ result }: { result: AssessmentImportResult }) {
  return (
    <div className="import-preview">
      {result.errors.length > 0 ? (
        <ImportProblemTable problems={result.errors} />
      ) : (
        <StatGrid label="What the file would change">
          <StatTile label="Rows" value={result.rowCount} />
          <StatTile label="New" value={result.created} />
          <StatTile label="Updated" value={result.updated} />
          <StatTile label="Unchanged" value={result.unchanged} />
          <StatTile
            label="Pairings to the conflict queue"
            value={result.flagged.length}
            tone={result.flagged.length > 0 ? 'attention' : 'neutral'}
          />
        </StatGrid>
      )}
      {result.flagged.length > 0 && (
        <>
          <Alert tone="warning" title="These pairs would go to the conflict queue.">
            <p>
              The file makes these mentors assessors of their mentees. The pairs are kept, flagged, until you reassign
              the student or end the pairing.
            </p>
          </Alert>
          <TableFrame label="Pairings the file would flag">
            <table className="data-table">
              <caption>Pairings the file would flag</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    Row
                  </th>
                  <th scope="col">Student</th>
                  <th scope="col">Mentor</th>
                  <th scope="col" className="hide-narrow">
                    Program
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.flagged.map((flag) => (
                  <tr key={`${flag.row}-${flag.pairingId}`}>
                    <td className="numeric">{flag.row}</td>
                    <th scope="row">{flag.studentName}</th>
                    <td>{flag.mentorName}</td>
                    <td className="hide-narrow">{flag.programName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </>
      )}
    </div>
  );
}

function ImportSummary({ result }: { result: AssessmentImportResult }) {
  return (
    <Alert tone="success" title={`Imported ${plural(result.rowCount, 'row', 'rows')}.`} takeFocus>
      <p>
        {formatNumber(result.created)} new, {formatNumber(result.updated)} updated, {formatNumber(result.unchanged)}{' '}
        unchanged.
      </p>
      {result.flagged.length > 0 && (
        <p>
          {plural(result.flagged.length, 'pairing went', 'pairings went')} to the conflict queue.{' '}
          <Link to="/conflicts">Review the conflict queue</Link>
        </p>
      )}
    </Alert>
  );
}
