/**
 * Reading and writing CSV files that people make in spreadsheets: a pure core with no I/O.
 * Reading reports every problem with the line it is on (the header is row 1), so a file can be
 * fixed in one pass; writing guards against spreadsheet formula injection and round-trips.
 */
import { Readable } from 'node:stream';
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One thing wrong with a file. `row` is the line where the record starts; the header is row 1. */
export interface CsvProblem {
  row: number;
  column: string | null;
  value?: string;
  message: string;
}

export interface CsvRow {
  row: number;
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  /** Data rows in the file (blank lines not counted), including those with problems. */
  rowCount: number;
  rows: CsvRow[];
  problems: CsvProblem[];
}

// A cell starting with = + - @ runs as a formula when the file is opened in a spreadsheet
// (OWASP "CSV injection"): exports prefix it with an apostrophe and imports take it off again.
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const PARSE_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'A quoted field is never closed: a double quote (") is missing',
  INVALID_OPENING_QUOTE:
    'A double quote (") appears inside a field that does not start with one; quote the whole field and double the inner quote ("")',
  CSV_INVALID_CLOSING_QUOTE:
    'Text follows a closing double quote ("); quote the whole field and double any quote inside it ("")',
};

function lineAt(bytes: Buffer, offset: number, from = { offset: 0, line: 1 }): { offset: number; line: number } {
  let line = from.line;
  const end = Math.min(offset, bytes.length);
  for (let i = from.offset; i < end; i++) if (bytes[i] === 0x0a) line++;
  return { offset: end, line };
}

/**
 * Bytes that were not UTF-8 arrive as U+FFFD (a Windows-1252 or UTF-16 file): importing them
 * would store mangled names. A NUL never belongs in a spreadsheet's text, and PostgreSQL cannot
 * store one. Either way the file is refused before anything is read from it, naming the line.
 */
function unreadableText(text: string, bytes: Buffer): CsvProblem | null {
  const nul = text.indexOf('\u0000');
  const replaced = text.indexOf('\ufffd');
  if (nul === -1 && replaced === -1) return null;
  const at = nul === -1 ? replaced : replaced === -1 ? nul : Math.min(nul, replaced);
  const row = lineAt(bytes, Buffer.byteLength(text.slice(0, at), 'utf8')).line;
  const message =
    at === nul
      ? 'The file contains a NUL character, so it is not a CSV text file'
      : 'The file is not UTF-8 text: save it from the spreadsheet as "CSV UTF-8" and import it again';
  return { row, column: null, message };
}

/** Splits the file into records with the line each starts on; a broken file gives one problem instead. */
export function parseCsvRecords(text: string): { records: { row: number; fields: string[] }[]; problem?: CsvProblem } {
  const bytes = Buffer.from(text, 'utf8');
  const unreadable = unreadableText(text, bytes);
  if (unreadable) return { records: [], problem: unreadable };
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as never;
  } catch (error) {
    const csvError = error as { code?: string; bytes?: number; lines?: number; message: string };
    const row =
      typeof csvError.bytes === 'number' ? lineAt(bytes, Math.max(0, csvError.bytes - 1)).line : (csvError.lines ?? 1);
    const message = PARSE_MESSAGES[csvError.code ?? ''] ?? `The file is not valid CSV: ${csvError.message}`;
    return { records: [], problem: { row, column: null, message } };
  }
  const records: { row: number; fields: string[] }[] = [];
  let position = { offset: 0, line: 1 };
  let start = 0;
  for (const { record, info } of parsed) {
    // The bytes before a record may hold a byte-order mark and blank lines that csv-parse skipped.
    if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
    position = lineAt(bytes, start, position);
    records.push({ row: position.line, fields: record });
    start = info.bytes;
  }
  return { records };
}

/**
 * Reads a file with a header row into rows keyed by column name (trimmed, formula guard removed).
 * Header problems (unknown, missing, repeated columns, wrong separator) stop the reading;
 * rows with the wrong number of fields are reported and left out.
 */
export function readCsvTable(
  text: string,
  spec: { columns: readonly string[]; required: readonly string[]; maxRows: number },
): CsvTable {
  const { records, problem } = parseCsvRecords(text);
  if (problem) return { header: [], rowCount: 0, rows: [], problems: [problem] };
  const [headerRecord, ...dataRecords] = records;
  if (!headerRecord) {
    return {
      header: [],
      rowCount: 0,
      rows: [],
      problems: [
        {
          row: 1,
          column: null,
          message: `The file is empty; its first line must name the columns (${spec.columns.join(',')})`,
        },
      ],
    };
  }
  const header = headerRecord.fields.map((name) => name.trim().toLowerCase());
  const problems: CsvProblem[] = checkHeader(header, spec);
  const data = dataRecords.filter((record) => record.fields.some((field) => field.trim() !== ''));
  if (problems.length > 0) return { header, rowCount: data.length, rows: [], problems };
  if (data.length > spec.maxRows) {
    return {
      header,
      rowCount: data.length,
      rows: [],
      problems: [
        {
          row: data[spec.maxRows]!.row,
          column: null,
          message: `The file has ${data.length} rows; at most ${spec.maxRows} can be imported at once, so split it`,
        },
      ],
    };
  }
  const rows: CsvRow[] = [];
  for (const { row, fields } of data) {
    if (fields.length !== header.length) {
      problems.push({
        row,
        column: null,
        message: `This row has ${fields.length} fields; the header has ${header.length}`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = unguardFormula((fields[i] ?? '').trim())));
    rows.push({ row, values });
  }
  return { header, rowCount: data.length, rows, problems };
}

/** One slice of a file read a slice at a time; `header` and header problems come with the first. */
export interface CsvSlice {
  header: string[];
  rows: CsvRow[];
  problems: CsvProblem[];
  /** Data rows read so far (blank lines not counted), including those with problems. */
  rowCount: number;
}

/**
 * The same reading as readCsvTable, a slice of rows at a time, so a file of a million rows is never
 * held as a million row objects: the parser streams over the text and each slice is handed on
 * before the next is read. Header problems (and a broken file) end the reading with a problem;
 * past `maxRows`, rows are only counted, and the last slice says how many there were.
 */
export async function* readCsvTableSlices(
  text: string,
  spec: { columns: readonly string[]; required: readonly string[]; maxRows: number },
  sliceSize: number,
): AsyncGenerator<CsvSlice> {
  const bytes = Buffer.from(text, 'utf8');
  const unreadable = unreadableText(text, bytes);
  if (unreadable) {
    yield { header: [], rows: [], problems: [unreadable], rowCount: 0 };
    return;
  }
  const chunks = function* () {
    for (let at = 0; at < bytes.length; at += 1 << 20) yield bytes.subarray(at, at + (1 << 20));
  };
  const parser = Readable.from(chunks()).pipe(
    parseStream({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let header: string[] | null = null;
  let rows: CsvRow[] = [];
  let problems: CsvProblem[] = [];
  let rowCount = 0;
  let position = { offset: 0, line: 1 };
  let start = 0;
  const slice = (): CsvSlice => {
    const out = { header: header ?? [], rows, problems, rowCount };
    rows = [];
    problems = [];
    return out;
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
      while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
      position = lineAt(bytes, start, position);
      const row = position.line;
      start = info.bytes;
      if (header === null) {
        header = record.map((name) => name.trim().toLowerCase());
        const headerProblems = checkHeader(header, spec);
        if (headerProblems.length > 0) {
          problems.push(...headerProblems);
          yield slice();
          return;
        }
        continue;
      }
      if (!record.some((field) => field.trim() !== '')) continue;
      rowCount++;
      if (rowCount > spec.maxRows) continue;
      if (record.length !== header.length) {
        problems.push({
          row,
          column: null,
          message: `This row has ${record.length} fields; the header has ${header.length}`,
        });
      } else {
        const values: Record<string, string> = {};
        header.forEach((name, i) => (values[name] = unguardFormula((record[i] ?? '').trim())));
        rows.push({ row, values });
      }
      if (rows.length + problems.length >= sliceSize) yield slice();
    }
  } catch (error) {
    const csvError = error as { code?: string; bytes?: number; lines?: number; message: string };
    const row =
      typeof csvError.bytes === 'number' ? lineAt(bytes, Math.max(0, csvError.bytes - 1)).line : (csvError.lines ?? 1);
    const message = PARSE_MESSAGES[csvError.code ?? ''] ?? `The file is not valid CSV: ${csvError.message}`;
    problems.push({ row, column: null, message });
    yield slice();
    return;
  }
  if (header === null) {
    problems.push({
      row: 1,
      column: null,
      message: `The file is empty; its first line must name the columns (${spec.columns.join(',')})`,
    });
  } else if (rowCount > spec.maxRows) {
    problems.push({
      row: 1,
      column: null,
      message: `The file has ${rowCount} rows; at most ${spec.maxRows} can be imported at once, so split it`,
    });
  }
  yield slice();
}

/** What is wrong with a header row: another separator, unnamed, unknown, repeated or missing columns. */
function checkHeader(header: string[], spec: { columns: readonly string[]; required: readonly string[] }) {
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    return [
      {
        row: 1,
        column: null,
        value: header[0]!,
        message: 'The columns are not separated by commas; save the file as "CSV (comma delimited)"',
      },
    ];
  }
  const problems: CsvProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') problems.push({ row: 1, column: null, message: 'A column has no name' });
    else if (!spec.columns.includes(name))
      problems.push({
        row: 1,
        column: name,
        message: `Unknown column "${name}"; the columns are: ${spec.columns.join(', ')}`,
      });
    else if (seen.has(name)) problems.push({ row: 1, column: name, message: `The column "${name}" appears twice` });
    seen.add(name);
  }
  for (const name of spec.required) {
    if (!seen.has(name)) problems.push({ row: 1, column: name, message: `The required column "${name}" is missing` });
  }
  return problems;
}

/** Writes rows under a header: UTF-8 with a byte-order mark (for spreadsheets), CRLF, formulas guarded. */
export function writeCsvTable(
  columns: readonly string[],
  rows: readonly Record<string, string | number | null | undefined>[],
): string {
  const body = stringify(
    rows.map((row) =>
      columns.map((column) =>
        guardFormula(row[column] === null || row[column] === undefined ? '' : String(row[column])),
      ),
    ),
    { header: true, columns: [...columns], record_delimiter: 'windows' },
  );
  return `\uFEFF${body}`;
}

/** Orders problems by row, then by column order, for a report people read top to bottom. */
export function sortCsvProblems(columns: readonly string[], problems: CsvProblem[]): CsvProblem[] {
  const rank = (column: string | null) => (column === null ? -1 : columns.indexOf(column));
  return [...problems].sort((a, b) => a.row - b.row || rank(a.column) - rank(b.column));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2026-09-31 is not one). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
