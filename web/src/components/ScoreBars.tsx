/**
 * Scores as horizontal bars, each with its label and its number in words a screen reader reads
 * ("Depth 6 out of 10"). The bars are SVG drawn from the numbers: no style attributes, which
 * the page's Content-Security-Policy would refuse.
 */

export interface ScoreBar {
  label: string;
  /** null: nothing to score (no question of that kind). */
  value: number | null;
}

interface Props {
  bars: ScoreBar[];
  max: number;
  /** Names the group for assistive technology ("Rubric", "Score by kind"). */
  label: string;
}

export function ScoreBars({ bars, max, label }: Props) {
  return (
    <ul className="score-bars" aria-label={label}>
      {bars.map((bar) => {
        const share = bar.value === null ? 0 : Math.max(0, Math.min(1, bar.value / max));
        return (
          <li key={bar.label} className="score-bar">
            <span className="score-bar-label">{bar.label}</span>
            <svg
              className="score-bar-track"
              viewBox="0 0 100 8"
              preserveAspectRatio="none"
              aria-hidden="true"
            >
              <rect className="score-bar-bg" x="0" y="0" width="100" height="8" rx="4" />
              <rect className="score-bar-fill" x="0" y="0" width={share * 100} height="8" rx="4" />
            </svg>
            <span className="score-bar-value">
              {bar.value === null ? (
                "none"
              ) : (
                <>
                  {Math.round(bar.value)}
                  <span className="visually-hidden"> out of </span>
                  <span aria-hidden="true"> / </span>
                  {max}
                </>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
