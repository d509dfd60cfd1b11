/**
 * The frame around every screen: a skip link, the header with the app's name and (when signed
 * in) the main places, and the main region. After each change of screen, focus moves to the new
 * screen's heading, as a page load would do for a screen reader.
 */
import { useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useAccount } from "../hooks/useAccount";

export function Layout() {
  const { data: account } = useAccount();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of screen
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    heading?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <NavLink to="/" className="brand">
            <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" />
              <path d="M9 21c3-9 11-9 14 0" />
              <circle cx="16" cy="11" r="3" />
            </svg>
            CareerFlow
          </NavLink>
          {account ? (
            <nav aria-label="Main">
              <ul className="nav-list">
                <li>
                  <NavLink to="/interviews/new">New interview</NavLink>
                </li>
                <li>
                  <NavLink to="/interviews" end>
                    History
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/account">Account</NavLink>
                </li>
              </ul>
            </nav>
          ) : null}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
    </>
  );
}
