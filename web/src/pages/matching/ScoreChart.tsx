import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { HISTOGRAM_BINS } from './matching-text.ts';

/**
 * The bar chart of placed students per score bin. It is drawn for sighted readers only: the
 * figure around it names it and holds the same figures as a table (ScoreDistribution), so the
 * chart itself is hidden from assistive technology and takes no focus.
 */
export default function ScoreChart({ histogram }: { histogram: readonly number[] }) {
  const data = HISTOGRAM_BINS.map((bin, i) => ({ bin, students: histogram[i] ?? 0 }));
  return (
    <div className="score-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#dce2e8" />
          <XAxis
            dataKey="bin"
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: '#737f8c' }}
            interval={0}
            angle={-30}
            textAnchor="end"
            height={56}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={40}
          />
          <Bar dataKey="students" fill="#0f4c5c" radius={[4, 4, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
