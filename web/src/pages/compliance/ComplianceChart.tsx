import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';

/**
 * The line of the share of students meeting the requirement, month by month. It is drawn for
 * sighted readers only: the figure around it names it and holds the same figures as a table, so
 * the chart itself is hidden from assistive technology and takes no focus.
 */
export default function ComplianceChart({ points }: { points: { label: string; percentCompliant: number | null }[] }) {
  return (
    <div className="compliance-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#dce2e8" />
          <XAxis
            dataKey="label"
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: '#737f8c' }}
            interval="preserveStartEnd"
          />
          <YAxis
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={48}
          />
          <Line
            type="linear"
            dataKey="percentCompliant"
            stroke="#0f4c5c"
            strokeWidth={2}
            dot={{ r: 3, fill: '#0f4c5c' }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
