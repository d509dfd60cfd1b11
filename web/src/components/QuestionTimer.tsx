/**
 * An optional countdown for one question, as in a real interview: it only informs (nothing is
 * submitted when it runs out). It announces the last minute and the end, not every second.
 */
import { useEffect, useState } from "react";

interface Props {
  seconds: number;
}

export function QuestionTimer({ seconds }: Props) {
  const [left, setLeft] = useState(seconds);

  useEffect(() => {
    setLeft(seconds);
    const started = Date.now();
    const tick = window.setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) window.clearInterval(tick);
    }, 250);
    return () => window.clearInterval(tick);
  }, [seconds]);

  const minutes = Math.floor(left / 60);
  const rest = String(left % 60).padStart(2, "0");
  const phase = left === 0 ? "over" : left <= 60 ? "last-minute" : "running";
  return (
    <div className={`timer timer-${phase}`}>
      <span role="timer" aria-label="Time left for this question">
        {minutes}:{rest}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {phase === "over"
          ? "Time is up. Finish your thought and submit when ready."
          : phase === "last-minute"
            ? "One minute left."
            : ""}
      </span>
      {phase === "over" ? (
        <span className="timer-note">Time is up: finish your thought.</span>
      ) : null}
    </div>
  );
}
