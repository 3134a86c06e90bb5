/**
 * The accreditation report as a PDF: a title page, then participation, compliance by cohort and
 * phase, meeting frequency per term (with a bar chart drawn in vector shapes), the twelve-month
 * trend and satisfaction. Every page carries its number and the date the report was generated.
 */
import PDFDocument from 'pdfkit';
import type { ComplianceCounts } from '../../../../common/compliance.ts';
import type { AccreditationReport } from './accreditation.ts';

const MARGIN = 56;
const INK = '#1b2733';
const MUTED = '#4b5766';
const ACCENT = '#0f4c5c';
const RULE = '#c7d0d9';

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '–' : String(v));

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

function heading(doc: PDFKit.PDFDocument, text: string) {
  if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(14).fillColor(ACCENT).text(text, MARGIN);
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor(INK);
}

function table(doc: PDFKit.PDFDocument, columns: Column[], rows: string[][]) {
  const rowHeight = 18;
  const drawRow = (cells: string[], bold: boolean) => {
    if (doc.y + rowHeight > doc.page.height - MARGIN - 24) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9.5)
      .fillColor(INK);
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.text(cell, x + 4, y + 4, {
        width: col.width - 8,
        align: col.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
      });
      x += col.width;
    });
    const width = columns.reduce((a, c) => a + c.width, 0);
    doc
      .moveTo(MARGIN, y + rowHeight)
      .lineTo(MARGIN + width, y + rowHeight)
      .lineWidth(bold ? 1 : 0.5)
      .strokeColor(bold ? INK : RULE)
      .stroke();
    doc.x = MARGIN;
    doc.y = y + rowHeight;
  };
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows) drawRow(row, false);
  doc.moveDown(0.5);
}

const COUNT_COLUMNS: Column[] = [
  { header: 'Group', width: 150 },
  { header: 'Students', width: 60, align: 'right' },
  { header: 'On leave', width: 60, align: 'right' },
  { header: 'With mentor', width: 75, align: 'right' },
  { header: 'On cadence', width: 75, align: 'right' },
  { header: 'Compliant', width: 80, align: 'right' },
];
const countCells = (name: string, c: ComplianceCounts) => [
  name,
  String(c.students),
  String(c.onLeave),
  pct(c.percentWithMentor),
  pct(c.percentOnCadence),
  `${c.compliant} (${pct(c.percentCompliant)})`,
];

/** Vertical bars with value labels, scaled to `max`; drawn as rectangles and lines only. */
function barChart(
  doc: PDFKit.PDFDocument,
  title: string,
  bars: { label: string; value: number | null }[],
  max: number,
  format: (v: number) => string,
) {
  const height = 150;
  if (doc.y + height + 60 > doc.page.height - MARGIN - 24) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(title, MARGIN);
  const top = doc.y + 8;
  const left = MARGIN + 30;
  const width = doc.page.width - MARGIN - left;
  const base = top + height;
  doc.font('Helvetica').fontSize(8).fillColor(MUTED);
  for (const fraction of [0, 0.5, 1]) {
    const y = base - fraction * height;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.text(format(max * fraction), MARGIN - 6, y - 4, { width: 32, align: 'right', lineBreak: false });
  }
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(48, slot * 0.6);
  bars.forEach((bar, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const value = bar.value ?? 0;
    const h = max === 0 ? 0 : (Math.min(value, max) / max) * height;
    if (h > 0) doc.rect(x, base - h, barWidth, h).fill(ACCENT);
    doc
      .fillColor(INK)
      .fontSize(8)
      .text(bar.value === null ? '–' : format(value), x - 10, base - h - 11, {
        width: barWidth + 20,
        align: 'center',
        lineBreak: false,
      });
    doc.fillColor(MUTED).text(bar.label, left + i * slot, base + 4, { width: slot, align: 'center', lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = base + 24;
}

/** Renders the report to PDF bytes. */
export async function renderAccreditationPdf(report: AccreditationReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `Mentoring program report: ${report.program.name}`,
      Author: report.program.institution,
      Subject: 'Accreditation report of the required mentoring program',
      CreationDate: report.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const generated = report.generatedAt.toISOString().slice(0, 10);
  const contentWidth = doc.page.width - 2 * MARGIN;

  // Title page.
  doc.rect(0, 0, doc.page.width, 12).fill(ACCENT);
  doc.y = 180;
  doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor(MUTED)
    .text('Accreditation report', MARGIN, doc.y, { width: contentWidth });
  doc
    .moveDown(0.4)
    .font('Helvetica-Bold')
    .fontSize(26)
    .fillColor(INK)
    .text(report.program.name, { width: contentWidth });
  doc
    .moveDown(0.3)
    .font('Helvetica')
    .fontSize(14)
    .fillColor(INK)
    .text(report.program.institution, { width: contentWidth });
  doc.moveDown(1.5).fontSize(11).fillColor(MUTED);
  doc.text(`Figures as of ${report.asOf} (${report.summary.term.label}). Generated ${generated}.`, {
    width: contentWidth,
  });
  doc.text(`Cohorts: ${report.program.cohorts.join(', ') || 'none'}.`, { width: contentWidth });
  doc
    .moveDown(1)
    .fillColor(INK)
    .text(
      'This report holds program facts and aggregates only: who has a mentor, how often pairs meet and ' +
        'whether development plans are reviewed. It holds no mentoring content and names no student.',
      { width: contentWidth },
    );

  doc.addPage();
  heading(doc, 'Program description');
  doc.text(report.program.description || 'The program has no description yet.', { width: contentWidth });
  doc
    .moveDown(0.5)
    .fillColor(MUTED)
    .text(
      `A student meets the requirement when they have an active mentor, meet on the cadence their phase sets, ` +
        `and their development plan was reviewed this term (due ${report.summary.planReviewDueDays} days into the term). ` +
        `Terms: fall August–December, spring January–May, summer June–July. Students on leave of absence are not counted.`,
      { width: contentWidth },
    )
    .fillColor(INK);

  heading(doc, 'Participation');
  const t = report.summary.totals;
  doc.text(
    `${t.withMentor} of ${t.students - t.onLeave} students (${pct(t.percentWithMentor)}) have an active mentor; ` +
      `${t.onLeave} on leave of absence. ${t.compliant} (${pct(t.percentCompliant)}) meet the whole requirement.`,
    { width: contentWidth },
  );
  doc.moveDown(0.5);
  table(doc, COUNT_COLUMNS, [countCells('All students', t)]);

  heading(doc, 'Compliance by cohort');
  table(
    doc,
    COUNT_COLUMNS,
    report.summary.cohorts.map((c) => countCells(c.name, c)),
  );
  heading(doc, 'Compliance by phase');
  table(
    doc,
    COUNT_COLUMNS,
    report.summary.phases.map((p) => countCells(p.name, p)),
  );

  heading(doc, 'Meeting frequency');
  table(
    doc,
    [
      { header: 'Term', width: 110 },
      { header: 'Students', width: 65, align: 'right' },
      { header: 'Meetings', width: 65, align: 'right' },
      { header: 'Mean / student', width: 90, align: 'right' },
      { header: 'Median / student', width: 90, align: 'right' },
      { header: 'On cadence', width: 80, align: 'right' },
    ],
    report.terms.map((term) => [
      term.term.label,
      String(term.students),
      String(term.meetings),
      num(term.meanPerStudent),
      num(term.medianPerStudent),
      pct(term.percentOnCadence),
    ]),
  );
  const maxMean = Math.max(1, ...report.terms.map((term) => term.meanPerStudent ?? 0));
  barChart(
    doc,
    'Mean meetings per student, by term',
    [...report.terms].reverse().map((term) => ({ label: term.term.label, value: term.meanPerStudent })),
    Math.ceil(maxMean),
    (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)),
  );

  heading(doc, 'Compliance over the last twelve months');
  barChart(
    doc,
    'Students meeting the requirement at each month’s end (%)',
    report.trends.map((p) => ({ label: p.month.slice(2).replace('-', '/'), value: p.percentCompliant })),
    100,
    (v) => `${Math.round(v)}`,
  );
  table(
    doc,
    [
      { header: 'Month', width: 90 },
      { header: 'Students', width: 80, align: 'right' },
      { header: 'On leave', width: 80, align: 'right' },
      { header: 'Compliant', width: 80, align: 'right' },
      { header: '% compliant', width: 90, align: 'right' },
    ],
    report.trends.map((p) => [
      p.month,
      String(p.students),
      String(p.onLeave),
      String(p.compliant),
      pct(p.percentCompliant),
    ]),
  );

  heading(doc, 'Student satisfaction');
  if (report.satisfaction.note) doc.text(report.satisfaction.note, { width: contentWidth });
  if (report.satisfaction.items.length > 0) {
    table(
      doc,
      [
        { header: 'Question', width: 300 },
        { header: 'Responses', width: 80, align: 'right' },
        { header: 'Mean', width: 100, align: 'right' },
      ],
      report.satisfaction.items.map((i) => [
        i.question,
        String(i.responses),
        i.mean === null ? 'withheld' : `${i.mean} (${i.scale})`,
      ]),
    );
  }

  // Page numbers and the generated date on every page, written once all pages exist.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; the footer lives there, so lift it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 16;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${report.program.name} · generated ${generated}`, MARGIN, y, { width: contentWidth / 2, lineBreak: false })
      .text(`Page ${i + 1} of ${range.count}`, MARGIN + contentWidth / 2, y, {
        width: contentWidth / 2,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}
