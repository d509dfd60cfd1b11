/**
 * A message box for the candidate: information, a warning (something was done without the AI)
 * or an error. Warnings and errors are announced by screen readers when they appear.
 */
import type { ReactNode } from "react";

export type NoticeLevel = "info" | "warning" | "error" | "success";

interface Props {
  level?: NoticeLevel;
  title?: string;
  children?: ReactNode;
}

const ICON: Record<NoticeLevel, string> = { info: "i", warning: "!", error: "×", success: "✓" };

export function Notice({ level = "info", title, children }: Props) {
  return (
    <div className={`notice notice-${level}`} role={level === "error" ? "alert" : "status"}>
      <span className="notice-icon" aria-hidden="true">
        {ICON[level]}
      </span>
      <div className="notice-body">
        {title ? <p className="notice-title">{title}</p> : null}
        {children}
      </div>
    </div>
  );
}
