/**
 * Renders the whole app (its real routes and query client) at an address, as a browser would
 * open it, against a fake gateway that already knows the signed-in account.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router";
import { AppRoutes, createQueryClient } from "../App";
import { ACCOUNT } from "./fixtures";
import { FakeGateway, json, problem } from "./gateway";

export const CSRF_TOKEN = "csrf-token-from-the-cookie";

interface Options {
  signedIn?: boolean;
  /** Routes of the fake gateway, set before the first request. */
  routes?: (gateway: FakeGateway) => void;
}

export function renderApp(path: string, { signedIn = true, routes }: Options = {}) {
  const gateway = new FakeGateway().install();
  gateway.on("GET", "/v1/auth/me", () =>
    signedIn ? json(200, ACCOUNT) : problem(401, "unauthorized", "sign in first"),
  );
  routes?.(gateway);
  document.cookie = `careerflow_csrf=${CSRF_TOKEN}; path=/`;
  const queryClient = createQueryClient();
  const user = userEvent.setup({ delay: null });
  const screen = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { gateway, queryClient, user, ...screen };
}

let lastLocation = "";

/** Records where the app is, so tests can check navigation without reading the DOM's shape. */
function LocationProbe() {
  const location = useLocation();
  lastLocation = `${location.pathname}${location.search}`;
  return null;
}

export function currentPath(): string {
  return lastLocation;
}
