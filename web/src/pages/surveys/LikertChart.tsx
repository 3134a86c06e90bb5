import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';

/**
 * How many chose each point of one Likert question. Drawn for sighted readers only: the table
 * beside it holds the same figures, so the chart is hidden from assistive technology.
 */
export default function LikertChart({ labels, counts }: { labels: string[]; counts: number[] }) {
  const data = labels.map((label, i) => ({ label, responses: counts[i] ?? 0 }));
  return (
    <div className="likert-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#dce2e8" />
          <XAxis dataKey="label" tick={{ fill: '#4b5766', fontSize: 12 }} tickLine={false} interval={0} />
          <YAxis
            allowDecimals={false}
            tick={{ fill: '#4b5766', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={32}
          />
          <Bar dataKey="responses" fill="#0f4c5c" radius={[4, 4, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
