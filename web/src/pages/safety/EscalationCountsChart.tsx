import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';

/**
 * Escalations per month as bars, for sighted readers only: the table beside it holds the same
 * figures, so the chart is hidden from assistive technology and takes no focus.
 */
export default function EscalationCountsChart({ months }: { months: { label: string; escalations: number }[] }) {
  return (
    <div className="compliance-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={months} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#dce2e8" />
          <XAxis
            dataKey="label"
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: '#737f8c' }}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={32}
          />
          <Bar dataKey="escalations" fill="#0f4c5c" maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
