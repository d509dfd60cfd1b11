/**
 * The session's own notices (how it was produced: fallbacks, unreadable resume...), each in the
 * gateway's words, with what it means for the candidate.
 */
import type { Notice as SessionNotice } from "../api/sessions";
import { noticeMeaning } from "../interview";
import { Notice } from "./Notice";

interface Props {
  notices: SessionNotice[];
  /** Only these stages, in this order; all when absent. */
  stages?: SessionNotice["stage"][];
}

export function SessionNotices({ notices, stages }: Props) {
  const shown = stages
    ? stages.flatMap((stage) => notices.filter((n) => n.stage === stage))
    : notices;
  if (shown.length === 0) return null;
  return (
    <div className="notice-stack">
      {shown.map((notice) => {
        const meaning = noticeMeaning(notice);
        return (
          <Notice key={`${notice.stage}:${notice.code}`} level={notice.level}>
            <p>{notice.message}</p>
            {meaning ? <p className="notice-meaning">{meaning}</p> : null}
          </Notice>
        );
      })}
    </div>
  );
}
