/**
 * The mentoring portfolio as a PDF for a promotion dossier: a header, summary figures, a bar chart
 * of mentoring hours per academic year drawn in vector shapes, a table per academic year, the
 * agenda topics covered and the feedback section. Every page carries its number. Counts only.
 */
import PDFDocument from 'pdfkit';
import type { Portfolio } from '../../../../common/compensation.ts';
import { hoursText } from './portfolio.ts';

const MARGIN = 56;
const INK = '#1b2733';
const MUTED = '#4b5766';
const ACCENT = '#0f4c5c';
const BAR = '#2a7f8f';
const RULE = '#c7d0d9';

function heading(doc: PDFKit.PDFDocument, text: string, needs = 140) {
  if (doc.y > doc.page.height - MARGIN - needs) doc.addPage();
  doc.moveDown(0.9).font('Helvetica-Bold').fontSize(13).fillColor(ACCENT).text(text, MARGIN);
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor(INK);
}

function table(
  doc: PDFKit.PDFDocument,
  columns: { header: string; width: number; right?: boolean }[],
  rows: string[][],
) {
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
        align: col.right ? 'right' : 'left',
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

function figures(doc: PDFKit.PDFDocument, items: { label: string; value: string }[]) {
  const width = (doc.page.width - 2 * MARGIN - 2 * 12) / 3;
  const y = doc.y;
  items.forEach((item, i) => {
    const x = MARGIN + i * (width + 12);
    doc.roundedRect(x, y, width, 62, 6).lineWidth(1).strokeColor(RULE).stroke();
    doc
      .font('Helvetica-Bold')
      .fontSize(22)
      .fillColor(ACCENT)
      .text(item.value, x, y + 10, { width, align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(9.5)
      .fillColor(MUTED)
      .text(item.label, x, y + 40, { width, align: 'center' });
  });
  doc.x = MARGIN;
  doc.y = y + 74;
}

/** Hours per academic year as vertical bars with their values written above them. */
function barChart(doc: PDFKit.PDFDocument, years: Portfolio['years']) {
  const height = 130;
  if (doc.y + height + 40 > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y + 8;
  const left = MARGIN + 30;
  const width = doc.page.width - MARGIN - left;
  const max = Math.max(60, ...years.map((y) => y.minutes));
  doc
    .moveTo(left, top)
    .lineTo(left, top + height)
    .lineTo(left + width, top + height)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  doc.font('Helvetica').fontSize(8).fillColor(MUTED);
  doc.text(`${hoursText(max)} h`, MARGIN - 4, top - 4, { width: 32, align: 'right' });
  doc.text('0 h', MARGIN - 4, top + height - 6, { width: 32, align: 'right' });
  const slot = width / Math.max(1, years.length);
  const barWidth = Math.min(48, slot * 0.6);
  years.forEach((year, i) => {
    const barHeight = (year.minutes / max) * (height - 14);
    const x = left + i * slot + (slot - barWidth) / 2;
    if (barHeight > 0)
      doc
        .rect(x, top + height - barHeight, barWidth, barHeight)
        .fillColor(BAR)
        .fill();
    doc
      .font('Helvetica-Bold')
      .fontSize(8.5)
      .fillColor(INK)
      .text(hoursText(year.minutes), x - 10, top + height - barHeight - 12, { width: barWidth + 20, align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(year.academicYear, x - 14, top + height + 4, { width: barWidth + 28, align: 'center' });
  });
  doc.x = MARGIN;
  doc.y = top + height + 24;
}

/** Renders the portfolio; resolves with the PDF's bytes. */
export function renderPortfolioPdf(portfolio: Portfolio): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `Mentoring portfolio: ${portfolio.mentorName}`, Author: portfolio.institutionName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Header band.
  doc.rect(0, 0, doc.page.width, 92).fillColor(ACCENT).fill();
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#ffffff').text('Mentoring portfolio', MARGIN, 28);
  doc.font('Helvetica').fontSize(10.5).fillColor('#e6f0f2').text(portfolio.institutionName, MARGIN, 56);
  doc.y = 112;
  doc.font('Helvetica-Bold').fontSize(15).fillColor(INK).text(portfolio.mentorName, MARGIN);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(
      [portfolio.department, portfolio.programs.length > 0 ? `Programs: ${portfolio.programs.join(', ')}` : null]
        .filter(Boolean)
        .join(' · ') || 'Faculty mentor',
    )
    .text(
      `Generated on ${portfolio.generatedOn}. Counts only: no student is named and nothing said in a meeting is included.`,
    );
  doc.moveDown(0.8);

  figures(doc, [
    { label: 'mentees', value: String(portfolio.totals.mentees) },
    { label: 'meetings held', value: String(portfolio.totals.meetings) },
    { label: 'hours of mentoring', value: hoursText(portfolio.totals.minutes) },
  ]);

  heading(doc, 'Hours of mentoring by academic year');
  if (portfolio.years.length === 0) doc.text('No mentoring recorded yet.');
  else barChart(doc, portfolio.years);

  heading(doc, 'By academic year (July to June)');
  if (portfolio.years.length === 0) doc.text('No mentoring recorded yet.');
  else
    table(
      doc,
      [
        { header: 'Academic year', width: 140 },
        { header: 'Mentees', width: 110, right: true },
        { header: 'Meetings held', width: 120, right: true },
        { header: 'Hours', width: 110, right: true },
      ],
      portfolio.years.map((y) => [y.academicYear, String(y.mentees), String(y.meetings), hoursText(y.minutes)]),
    );

  heading(doc, 'Topics covered in meetings');
  if (portfolio.topics.length === 0 && portfolio.ownTopics === 0) doc.text('No agenda topics marked as covered yet.');
  else {
    table(
      doc,
      [
        { header: 'Program agenda topic', width: 360 },
        { header: 'Times covered', width: 120, right: true },
      ],
      [
        ...portfolio.topics.map((t) => [t.title, String(t.count)]),
        ...(portfolio.ownTopics > 0
          ? [['Topics the student or mentor added (not named)', String(portfolio.ownTopics)]]
          : []),
      ],
    );
  }

  heading(doc, 'Mentee feedback', 70);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(INK)
    .text(portfolio.feedback.note, MARGIN, doc.y, {
      width: doc.page.width - 2 * MARGIN,
    });
  for (const survey of portfolio.feedback.surveys) {
    doc
      .moveDown(0.5)
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(`${survey.title} (${survey.programName}, closes ${survey.closesOn})`, MARGIN);
    if (survey.withheld !== null) {
      doc
        .font('Helvetica')
        .fillColor(MUTED)
        .text(
          survey.withheld === 'still_open'
            ? 'Still open: results appear when it closes.'
            : 'Withheld: too few responses to keep answers anonymous.',
        );
      continue;
    }
    doc
      .font('Helvetica')
      .fillColor(MUTED)
      .text(`${survey.responses ?? 0} responses`);
    if (survey.items.length > 0) {
      table(
        doc,
        [
          { header: 'Question', width: 360 },
          { header: 'Mean (1–5)', width: 120, right: true },
        ],
        survey.items.map((item) => [item.prompt, item.mean === null ? '–' : item.mean.toFixed(1)]),
      );
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(
        `${portfolio.mentorName} · mentoring portfolio · page ${i + 1} of ${range.count}`,
        MARGIN,
        doc.page.height - 36,
        {
          width: doc.page.width - 2 * MARGIN,
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
