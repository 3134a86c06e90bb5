import { useRef, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { fetchRecordBatches, importRecordCsv, rollbackRecordBatch } from '../../api/records.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { CsvImportControls, ImportProblemTable } from '../../components/CsvImport.tsx';
import { useCsvImport } from '../../components/use-csv-import.ts';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import type { RecordBatch, RecordImportResult } from '../../../../common/records.ts';

const TITLE = 'Record imports';
const COLUMNS =
  'external_id,student_email,student_external_id,category,occurred_on,course_code,phase,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';
const EXAMPLE = 'REG-2026-0412,student@school.edu,,grade,2026-08-20,MED-CLK,,,high_pass,,,,,,,';
const MAX_BYTES = 20 * 1024 * 1024;
const SOURCE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * Directors and administrators import performance records from the registrar, exam boards or
 * the LMS (check first: nothing is written unless every row is valid), and roll a batch back.
 * They see counts and who imported, never a student's records.
 */
export function RecordImportPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors and administrators"
      purpose="They import grades, exam scores, narratives, professionalism reports and attendance, and undo an import that went wrong."
    >
      <RecordImports />
    </RoleGate>
  );
}

function RecordImports() {
  const batches = useResource(fetchRecordBatches);
  const reload = batches.status === 'loaded' ? batches.reload : undefined;
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Performance records arrive in batches. Each batch can be rolled back: the records it added are removed and the
          records it changed go back to what they were.
        </p>
      </PageHeader>
      <ImportPanel onImported={() => reload?.()} />
      <Section title="Batches">
        {batches.status === 'loading' && <LoadingState label="Loading the import batches…" />}
        {batches.status === 'failed' && (
          <LoadFailure what="the import batches" error={batches.error} retry={batches.retry} />
        )}
        {batches.status === 'loaded' &&
          (batches.data.batches.length === 0 ? (
            <Card className="empty-state">
              <h3>No records have been imported yet</h3>
              <p>Check and import a file above; each import appears here.</p>
            </Card>
          ) : (
            <BatchTable batches={batches.data.batches} onChanged={batches.reload} />
          ))}
      </Section>
    </>
  );
}

function ImportPanel({ onImported }: { onImported: () => void }) {
  const [source, setSource] = useState('registrar');
  const [sourceError, setSourceError] = useState<string | undefined>();
  const sourceRef = useRef<HTMLInputElement>(null);
  const sourceName = () => source.trim().toLowerCase();
  const { file, fileError, stage, failure, fileRef, choose, run, checked } = useCsvImport<RecordImportResult>({
    maxBytes: MAX_BYTES,
    tooLarge: 'The file is larger than 20 MB; split it, or use the command line for a whole history',
    beforeRun: () => {
      if (!SOURCE_PATTERN.test(sourceName())) {
        setSourceError('Lower-case letters, digits, dots, dashes and underscores; at most 40, e.g. registrar');
        sourceRef.current?.focus();
        return false;
      }
      setSourceError(undefined);
      return true;
    },
    send: (chosen, dryRun) => importRecordCsv(chosen.text, { dryRun, source: sourceName(), fileName: chosen.name }),
    refusedAsCheck: ({ errors, rowCount }) => ({
      dryRun: true,
      valid: false,
      batchId: null,
      source: sourceName(),
      rowCount,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors,
      errorCount: errors.length,
    }),
    onImported: () => onImported(),
  });
  const canImport = checked !== null && checked.valid;

  return (
    <Section
      title="Import records"
      intro={
        <p>
          Check the file first: nothing is imported unless every row is valid. A record is known by its source and its{' '}
          <code>external_id</code>, so importing the same file again adds nothing, and a corrected file updates the
          records it changes.
        </p>
      }
    >
      <Card className="import-card">
        <div className="import-format">
          <h3>The file’s columns</h3>
          <p>The first line names the columns, in any order; leave out those you do not use:</p>
          <pre className="code-block">
            <code>{COLUMNS}</code>
          </pre>
          <p>For example:</p>
          <pre className="code-block">
            <code>{EXAMPLE}</code>
          </pre>
          <ul className="format-notes">
            <li>
              <code>grade</code>: a course (<code>course_code</code>) and <code>grade</code> honors, high_pass, pass or
              fail, or a <code>score</code> out of 100.
            </li>
            <li>
              <code>exam</code>: <code>exam_kind</code> (course_exam, nbme_subject, usmle_step1, usmle_step2_ck,
              usmle_step3, comlex_level1, comlex_level2_ce, comlex_level3), a <code>score</code> or pass/fail in{' '}
              <code>grade</code>, and the cohort <code>percentile</code> when you have it.
            </li>
            <li>
              <code>narrative</code>: the text in <code>body</code>, <code>author_name</code> and the setting in{' '}
              <code>title</code>. <code>professionalism</code>: <code>report_kind</code> concern or commendation, and{' '}
              <code>body</code>. <code>attendance</code>: the session in <code>title</code> and{' '}
              <code>attendance_status</code> (present, late, excused_absence, unexcused_absence).
            </li>
            <li>
              Dates are <code>YYYY-MM-DD</code>. Name the student by <code>student_email</code> or{' '}
              <code>student_external_id</code>.
            </li>
          </ul>
        </div>

        <div className="import-form">
          <FormField
            ref={sourceRef}
            label="Source"
            name="source"
            value={source}
            onChange={(event) => setSource(event.target.value)}
            hint="The system the file comes from, e.g. registrar, nbme or lms"
            error={sourceError}
            autoComplete="off"
          />
          <CsvImportControls
            fileRef={fileRef}
            hint="At most 20 MB"
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
          <ImportProblemTable problems={checked.errors} total={checked.errorCount} />
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

function CheckSummary({ result, fileName }: { result: RecordImportResult; fileName: string }) {
  if (!result.valid) {
    return (
      <Alert
        tone="error"
        title={`${fileName} has ${plural(result.errorCount, 'problem', 'problems')}. Nothing can be imported until ${result.errorCount === 1 ? 'it is' : 'they are'} fixed.`}
      >
        <p>Each problem is listed below with its row, column and value.</p>
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

function BatchTable({ batches, onChanged }: { batches: RecordBatch[]; onChanged: () => void }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const rollback = async (batch: RecordBatch) => {
    setBusy(batch.id);
    setOutcome(null);
    try {
      const result = await rollbackRecordBatch(batch.id);
      setOutcome({
        tone: 'success',
        text: `Rolled back the batch of ${formatDateTime(batch.createdAt)}: ${plural(result.removed, 'record', 'records')} removed, ${plural(result.restored, 'record', 'records')} restored.`,
      });
      onChanged();
    } catch (error) {
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };

  return (
    <>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      <TableFrame label="Import batches">
        <table className="data-table">
          <caption>Import batches, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Imported</th>
              <th scope="col">Source</th>
              <th scope="col" className="hide-narrow">
                By
              </th>
              <th scope="col" className="numeric">
                New
              </th>
              <th scope="col" className="numeric">
                Updated
              </th>
              <th scope="col" className="numeric hide-narrow">
                Unchanged
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id}>
                <th scope="row">
                  {formatDateTime(batch.createdAt)}
                  {batch.fileName && <span className="cell-secondary">{batch.fileName}</span>}
                </th>
                <td>
                  <code>{batch.source}</code>
                </td>
                <td className="hide-narrow">{batch.createdBy}</td>
                <td className="numeric">{formatNumber(batch.created)}</td>
                <td className="numeric">{formatNumber(batch.updated)}</td>
                <td className="numeric hide-narrow">{formatNumber(batch.unchanged)}</td>
                <td>
                  {batch.status === 'rolled_back' ? (
                    <span className="badge badge-muted">
                      Rolled back {batch.rolledBackAt ? formatDateTime(batch.rolledBackAt) : ''}
                      {batch.rolledBackBy ? ` by ${batch.rolledBackBy}` : ''}
                    </span>
                  ) : confirming === batch.id ? (
                    <div className="rollback-actions">
                      <button
                        type="button"
                        className="button button-danger button-small"
                        disabled={busy !== null}
                        onClick={() => rollback(batch)}
                      >
                        {busy === batch.id ? 'Rolling back…' : 'Confirm roll back'}
                      </button>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        disabled={busy !== null}
                        onClick={() => setConfirming(null)}
                      >
                        Keep it
                      </button>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setConfirming(batch.id)}
                      aria-label={`Roll back the batch imported ${formatDateTime(batch.createdAt)} from ${batch.source}`}
                    >
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}
