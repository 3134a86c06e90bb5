/**
 * The review's charts, drawn for sighted readers only: each sits in a <figure> that names it and
 * holds the same figures as a table, so the drawing itself is hidden from assistive technology and
 * takes no focus. Loaded lazily: recharts is the largest thing on the page.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { GRADE_LABELS } from '../../../../common/records.ts';
import type { ExamSeries, GradePoint } from '../../../../common/review.ts';
import { formatShortDate } from '../../format.ts';

const AXIS = { fill: '#4b5766', fontSize: 12 };
const GRID = '#dce2e8';
const PRIMARY = '#0f4c5c';
const SECOND = '#8a4b00';
const TIER_NAMES = [GRADE_LABELS.fail, GRADE_LABELS.pass, GRADE_LABELS.high_pass, GRADE_LABELS.honors];

/** Tiered grades on the ordinal scale over time, one dot per grade; numeric grades on a line of their own. */
export function GradeChart({ points }: { points: GradePoint[] }) {
  const tiered = points
    .filter((p) => p.ordinal !== null)
    .map((p) => ({ when: formatShortDate(p.occurredOn), ordinal: p.ordinal, course: p.course?.code ?? '' }));
  const numeric = points
    .filter((p) => p.score !== null)
    .map((p) => ({ when: formatShortDate(p.occurredOn), score: p.score }));
  return (
    <div className="records-review-chart" aria-hidden="true">
      {tiered.length > 0 && (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={tiered} margin={{ top: 8, right: 16, bottom: 8, left: 16 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={GRID} />
            <XAxis dataKey="when" tick={AXIS} tickLine={false} axisLine={{ stroke: '#737f8c' }} />
            <YAxis
              domain={[0, 3]}
              ticks={[0, 1, 2, 3]}
              tickFormatter={(v: number) => TIER_NAMES[v] ?? ''}
              tick={AXIS}
              tickLine={false}
              axisLine={false}
              width={72}
            />
            <Line
              type="linear"
              dataKey="ordinal"
              name="Grade"
              stroke={PRIMARY}
              strokeWidth={2}
              dot={{ r: 4, fill: PRIMARY }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
      {numeric.length > 0 && (
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={numeric} margin={{ top: 8, right: 16, bottom: 8, left: 16 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke={GRID} />
            <XAxis dataKey="when" tick={AXIS} tickLine={false} axisLine={{ stroke: '#737f8c' }} />
            <YAxis domain={[0, 100]} tick={AXIS} tickLine={false} axisLine={false} width={72} />
            <Legend />
            <Line
              type="linear"
              dataKey="score"
              name="Numeric grade (of 100)"
              stroke={SECOND}
              strokeWidth={2}
              dot={{ r: 4, fill: SECOND }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

/** One kind of exam over time: the score, and the cohort percentile on its own axis (dashed). */
export function ExamChart({ series }: { series: ExamSeries }) {
  const data = series.points.map((p) => ({
    when: formatShortDate(p.occurredOn),
    score: p.score,
    percentile: p.percentile,
  }));
  const hasPercentile = data.some((d) => d.percentile !== null);
  const hasScore = data.some((d) => d.score !== null);
  return (
    <div className="records-review-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={GRID} />
          <XAxis dataKey="when" tick={AXIS} tickLine={false} axisLine={{ stroke: '#737f8c' }} />
          {hasScore && (
            <YAxis yAxisId="score" domain={['auto', 'auto']} tick={AXIS} tickLine={false} axisLine={false} width={48} />
          )}
          {hasPercentile && (
            <YAxis
              yAxisId="percentile"
              orientation="right"
              domain={[0, 100]}
              tick={AXIS}
              tickLine={false}
              axisLine={false}
              width={40}
            />
          )}
          <Tooltip />
          <Legend />
          {hasScore && (
            <Line
              yAxisId="score"
              type="linear"
              dataKey="score"
              name="Score"
              stroke={PRIMARY}
              strokeWidth={2}
              dot={{ r: 4, fill: PRIMARY }}
              connectNulls
              isAnimationActive={false}
            />
          )}
          {hasPercentile && (
            <Line
              yAxisId="percentile"
              type="linear"
              dataKey="percentile"
              name="Cohort percentile"
              stroke={SECOND}
              strokeWidth={2}
              strokeDasharray="6 4"
              dot={{ r: 4, fill: SECOND }}
              connectNulls
              isAnimationActive={false}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A small bar chart of the narratives mentioning a theme in each period. */
export function ThemeBars({ counts }: { counts: { key: string; narratives: number }[] }) {
  return (
    <div className="records-review-sparkline" aria-hidden="true">
      <ResponsiveContainer width="100%" height={56}>
        <BarChart data={counts} margin={{ top: 4, right: 0, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <XAxis dataKey="key" hide />
          <YAxis hide allowDecimals={false} domain={[0, 'dataMax']} />
          <Bar dataKey="narratives" fill={PRIMARY} radius={[2, 2, 0, 0]} isAnimationActive={false} minPointSize={1} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
