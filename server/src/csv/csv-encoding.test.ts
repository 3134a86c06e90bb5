import { describe, expect, it } from 'vitest';
import { parseCsvRecords, readCsvTable } from './csv-table.ts';

const spec = { columns: ['email', 'name'], required: ['email'], maxRows: 10 };

describe('CSV files that are not UTF-8 text', () => {
  it('refuses a Windows-1252 file instead of importing mangled names, naming the line', () => {
    const text = Buffer.from('email,name\na@example.edu,Ana\nb@example.edu,José\n', 'latin1').toString('utf8');
    const table = readCsvTable(text, spec);
    expect(table.rows).toEqual([]);
    expect(table.problems).toEqual([
      { row: 3, column: null, message: expect.stringContaining('not UTF-8') as unknown as string },
    ]);
  });

  it('refuses a file with a NUL character, which no spreadsheet writes and PostgreSQL cannot store', () => {
    const { records, problem } = parseCsvRecords('email,name\na@example.edu,A\u0000na\n');
    expect(records).toEqual([]);
    expect(problem).toMatchObject({ row: 2, message: expect.stringContaining('NUL') });
  });

  it('still reads UTF-8 with or without a byte-order mark', () => {
    expect(readCsvTable('\ufeffemail,name\na@example.edu,Zoë\n', spec).rows).toEqual([
      { row: 2, values: { email: 'a@example.edu', name: 'Zoë' } },
    ]);
  });
});
