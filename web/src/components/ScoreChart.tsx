/**
 * The overall score of each finished interview over time, as a small line chart drawn in SVG
 * (a chart library would weigh more than the whole app). The axis labels are HTML beside the
 * drawing, so they keep a readable size at any width. The chart has an accessible summary; the
 * list beside it carries every number.
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
const HEIGHT = 160;
/** Room for the points' circles at the edges of the drawing. */
const INSET = 8;

export function ScoreChart({ points }: Props) {
  const sorted = [...points].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return null;
  const x = (i: number) =>
    sorted.length === 1 ? WIDTH / 2 : INSET + (i / (sorted.length - 1)) * (WIDTH - 2 * INSET);
  const y = (score: number) =>
    INSET + (1 - Math.max(0, Math.min(100, score)) / 100) * (HEIGHT - 2 * INSET);
  const line = sorted.map((p, i) => `${x(i)},${y(p.score)}`).join(" ");
  const summary =
    sorted.length === 1
      ? `Overall score of your one finished interview: ${Math.round(first.score)} out of 100.`
      : `Overall score over ${sorted.length} finished interviews, from ${Math.round(first.score)} to ${Math.round(last.score)} out of 100.`;

  return (
    <figure className="score-chart">
      <div className="chart-body">
        <div className="chart-y" aria-hidden="true">
          <span>100</span>
          <span>50</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
          {[0, 50, 100].map((tick) => (
            <line key={tick} className="chart-grid" x1="0" x2={WIDTH} y1={y(tick)} y2={y(tick)} />
          ))}
          {sorted.length > 1 ? <polyline className="chart-line" points={line} /> : null}
          {sorted.map((p, i) => (
            <circle key={p.id} className="chart-point" cx={x(i)} cy={y(p.score)} r="6">
              <title>{`${p.label}: ${Math.round(p.score)}`}</title>
            </circle>
          ))}
        </svg>
        <div
          className={`chart-x${sorted.length === 1 ? " chart-x-single" : ""}`}
          aria-hidden="true"
        >
          <span>{first.label}</span>
          {sorted.length > 1 ? <span>{last.label}</span> : null}
        </div>
      </div>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
