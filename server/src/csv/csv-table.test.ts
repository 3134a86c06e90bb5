import { describe, expect, it } from 'vitest';
import { readCsvTable, readCsvTableSlices, type CsvSlice } from './csv-table.ts';

const spec = { columns: ['id', 'name', 'note'], required: ['id'], maxRows: 5 };

async function allSlices(text: string, size: number, limits = spec): Promise<CsvSlice[]> {
  const slices: CsvSlice[] = [];
  for await (const slice of readCsvTableSlices(text, limits, size)) slices.push(slice);
  return slices;
}

/** Reading a slice at a time gives what reading the whole file gives: rows, line numbers, problems. */
describe('readCsvTableSlices', () => {
  const files = {
    'a byte-order mark, blank lines and CRLF': '\uFEFFid,name,note\r\n1,Ada,\r\n\r\n2,Grace,x\r\n3,Alan,y\r\n',
    'a quoted field over two lines': 'id,name,note\n1,"Ada\nLovelace",a\n2,Grace,"say ""hi"""\n3,Alan,\n',
    'a row with too few fields': 'id,name,note\n1,Ada\n2,Grace,b\n',
    'formula-guarded cells': "id,name,note\n1,'=SUM(A1),x\n",
  };
  for (const [what, text] of Object.entries(files)) {
    it(`matches the whole-file reading with ${what}`, async () => {
      const whole = readCsvTable(text, spec);
      const slices = await allSlices(text, 1);
      expect(slices.flatMap((s) => s.rows)).toEqual(whole.rows);
      expect(slices.flatMap((s) => s.problems)).toEqual(whole.problems);
      expect(slices.at(-1)!.rowCount).toBe(whole.rowCount);
      expect(slices[0]!.header).toEqual(['id', 'name', 'note']);
    });
  }

  it('hands rows on in slices of the size asked for', async () => {
    const text = ['id,name,note', ...[1, 2, 3, 4, 5].map((i) => `${i},n${i},`)].join('\n');
    const slices = await allSlices(text, 2);
    expect(slices.map((s) => s.rows.map((r) => r.values.id))).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('stops at a header problem, a broken quote or an empty file, with the problem', async () => {
    expect((await allSlices('id;name;note\n1;a;b\n', 10))[0]!.problems[0]!.message).toMatch(/not separated by commas/);
    expect((await allSlices('name,extra\n', 10))[0]!.problems.map((p) => p.column)).toEqual(['extra', 'id']);
    const broken = await allSlices('id,name,note\n1,Ada,ok\n2,"Grace,x\n', 10);
    expect(broken.flatMap((s) => s.problems)).toEqual([expect.objectContaining({ column: null })]);
    expect((await allSlices('', 10))[0]!.problems[0]!.message).toMatch(/The file is empty/);
  });

  it('counts the rows past the limit and says how many there were', async () => {
    const text = ['id,name,note', ...Array.from({ length: 8 }, (_, i) => `${i},n,`)].join('\n');
    const slices = await allSlices(text, 100);
    expect(slices.flatMap((s) => s.rows)).toHaveLength(5);
    expect(slices.at(-1)!.problems).toEqual([
      expect.objectContaining({ message: 'The file has 8 rows; at most 5 can be imported at once, so split it' }),
    ]);
  });
});
