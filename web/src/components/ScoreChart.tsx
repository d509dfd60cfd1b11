/**
 * The overall score of each finished interview over time, as a small line chart drawn in SVG
 * (a chart library would weigh more than the whole app). The chart has an accessible summary;
 * the list beside it carries every number.
 */

export interface ScorePoint {
  id: string;
  date: string;
  label: string;
  score: number;
}

interface Props {
  points: ScorePoint[];
}

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { top: 12, right: 16, bottom: 28, left: 36 };

export function ScoreChart({ points }: Props) {
  const sorted = [...points].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  if (sorted.length === 0) return null;
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return null;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (sorted.length === 1 ? innerW / 2 : (i / (sorted.length - 1)) * innerW);
  const y = (score: number) =>
    PAD.top + innerH - (Math.max(0, Math.min(100, score)) / 100) * innerH;
  const line = sorted.map((p, i) => `${x(i)},${y(p.score)}`).join(" ");
  const summary =
    sorted.length === 1
      ? `Overall score of your one finished interview: ${Math.round(first.score)} out of 100.`
      : `Overall score over ${sorted.length} finished interviews, from ${Math.round(first.score)} to ${Math.round(last.score)} out of 100.`;

  return (
    <figure className="score-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {[0, 50, 100].map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {sorted.length > 1 ? <polyline className="chart-line" points={line} /> : null}
        {sorted.map((p, i) => (
          <circle key={p.id} className="chart-point" cx={x(i)} cy={y(p.score)} r="5">
            <title>{`${p.label}: ${Math.round(p.score)}`}</title>
          </circle>
        ))}
        <text className="chart-axis" x={PAD.left} y={HEIGHT - 6}>
          {first.label}
        </text>
        {sorted.length > 1 ? (
          <text className="chart-axis" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
            {last.label}
          </text>
        ) : null}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
