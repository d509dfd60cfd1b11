/**
 * Files the browser suite writes, shared by the config and the specs. All of them live in the
 * run's artifacts folder (test-results/, emptied by Playwright at the start of every run).
 */
import { join } from "node:path";

export const RESULTS_DIR = join(import.meta.dirname, "..", "test-results");

/** The signed-in browser state the setup project saves and the other projects start from. */
export const ACCOUNT_STATE = join(RESULTS_DIR, ".auth", "user.json");

/** One screenshot per screen and project. */
export const SCREENS_DIR = join(RESULTS_DIR, "screens");

/** The figures the measuring spec writes (issue 13's targets). */
export const FIGURES_FILE = join(RESULTS_DIR, "figures.json");
