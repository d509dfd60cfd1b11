/**
 * The screen's one h1, which also names the browser tab. It can take focus, so that after a
 * change of screen the layout moves focus here and a screen reader announces where we are.
 */
import { type ReactNode, useEffect } from "react";

interface Props {
  children: ReactNode;
  /** The tab's title when the heading is not plain text. */
  title?: string;
}

export function PageTitle({ children, title }: Props) {
  const text = title ?? (typeof children === "string" ? children : undefined);
  useEffect(() => {
    document.title = text ? `${text} · CareerFlow` : "CareerFlow";
  }, [text]);
  return (
    <h1 tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
