import { Suspense, lazy, useId } from 'react';
import type { RoundSummary as Summary } from '../../../../common/matching.ts';
import { LoadingState } from '../../components/LoadingState.tsx';
import { formatNumber, formatPercent } from '../../format.ts';
import { HISTOGRAM_BINS } from './matching-text.ts';

// The charting library is large; only this page needs it, so it comes in its own file.
const ScoreChart = lazy(() => import('./ScoreChart.tsx'));

const meanText = (mean: number | null) => (mean === null ? '—' : formatNumber(Math.round(mean * 10) / 10));

/** "+12" / "−40" / "no change", for a figure against the algorithm's own result. */
function change(now: number | null, before: number | null, decimals = false): { text: string; worse: boolean } | null {
  if (now === null || before === null) return null;
  const delta = decimals ? Math.round((now - before) * 10) / 10 : now - before;
  if (delta === 0) return { text: 'No change from the algorithm’s result', worse: false };
  const sign = delta > 0 ? '+' : '−';
  return { text: `${sign}${formatNumber(Math.abs(delta))} from the algorithm’s result`, worse: delta < 0 };
}

interface TileProps {
  label: string;
  value: string;
  hint?: string | undefined;
  tone?: 'neutral' | 'positive' | 'attention';
}

function Tile({ label, value, hint, tone = 'neutral' }: TileProps) {
  return (
    <div className={`stat-tile stat-${tone}`}>
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">{value}</dd>
      {hint && <dd className="stat-hint">{hint}</dd>}
    </div>
  );
}

/**
 * The round's figures. After hand edits each figure also says how it differs from what the
 * algorithm produced, so the director sees what a swap cost or gained.
 */
export function RoundSummaryTiles({
  summary,
  algorithm,
  ran,
}: {
  summary: Summary;
  algorithm: Summary | null;
  /** Whether the algorithm has run: an unproved result after hand edits is not "not run". */
  ran: boolean;
}) {
  const edited =
    algorithm !== null &&
    (algorithm.placed !== summary.placed ||
      algorithm.totalScore !== summary.totalScore ||
      algorithm.minScore !== summary.minScore ||
      algorithm.meanScore !== summary.meanScore);
  const delta = (now: number | null, before: number | null, decimals = false) =>
    edited ? change(now, before, decimals) : null;
  const placed = delta(summary.placed, algorithm?.placed ?? null);
  const total = delta(summary.totalScore, algorithm?.totalScore ?? null);
  const min = delta(summary.minScore, algorithm?.minScore ?? null);
  const mean = delta(summary.meanScore, algorithm?.meanScore ?? null, true);
  const unplaced = summary.students - summary.placed;
  const tone = (d: { worse: boolean } | null) => (d?.worse ? 'attention' : 'neutral');

  return (
    <dl className="stat-grid round-summary" aria-label="Round summary">
      <Tile label="Students" value={formatNumber(summary.students)} />
      <Tile
        label="Placed"
        value={formatNumber(summary.placed)}
        tone={placed?.worse || unplaced > 0 ? 'attention' : 'positive'}
        hint={
          placed?.text ??
          (unplaced > 0 ? `${formatNumber(unplaced)} not placed` : `${formatPercent(summary.placed, summary.students)}`)
        }
      />
      <Tile label="Total score" value={formatNumber(summary.totalScore)} tone={tone(total)} hint={total?.text} />
      <Tile
        label="Lowest score"
        value={summary.minScore === null ? '—' : formatNumber(summary.minScore)}
        tone={tone(min)}
        hint={min?.text}
      />
      <Tile label="Mean score" value={meanText(summary.meanScore)} tone={tone(mean)} hint={mean?.text} />
      <Tile
        label="Certified"
        value={summary.certified === null ? '—' : summary.certified ? 'Yes' : 'No'}
        tone={summary.certified === false ? 'attention' : 'neutral'}
        hint={
          summary.certified === null
            ? ran
              ? 'Hand edits are not proved optimal'
              : 'Not run yet'
            : summary.certified
              ? 'The algorithm proved its result'
              : 'The result could not be proved'
        }
      />
    </dl>
  );
}

/** The score distribution: a bar chart, named by its caption, with the same figures as a table. */
export function ScoreDistribution({ summary }: { summary: Summary }) {
  const captionId = useId();
  const busiest = summary.histogram.reduce((best, count, i, all) => (count > (all[best] ?? 0) ? i : best), 0);
  return (
    <figure className="card score-distribution" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="card-title">Score distribution</span>
        <span className="cell-secondary">
          {summary.placed === 0
            ? 'Nobody is placed yet.'
            : `Placed students per score band, 0 to 1000. Most scores are ${HISTOGRAM_BINS[busiest]}.`}
        </span>
      </figcaption>
      {summary.placed > 0 && (
        <>
          <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
            <ScoreChart histogram={summary.histogram} />
          </Suspense>
          <ScoreTable summary={summary} />
        </>
      )}
    </figure>
  );
}

function ScoreTable({ summary }: { summary: Summary }) {
  return (
    <details className="chart-table">
      <summary>Show the figures as a table</summary>
      <table className="data-table">
        <caption className="visually-hidden">Placed students per score band</caption>
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col" className="numeric">
              Students
            </th>
          </tr>
        </thead>
        <tbody>
          {HISTOGRAM_BINS.map((bin, i) => (
            <tr key={bin}>
              <th scope="row">{bin}</th>
              <td className="numeric">{formatNumber(summary.histogram[i] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
