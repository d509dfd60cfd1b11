// Measures the JavaScript a browser loads before the app can show its first screen: every script
// and modulepreload that dist/index.html names, gzipped at level 9 (as a server would send it).
// Fails above the budget of issue 13: 200 KB (200 * 1000 bytes) gzipped. Screens loaded later
// (lazy chunks) are listed apart and not counted.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200 * 1000;
const distDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const html = readFileSync(join(distDir, "index.html"), "utf8");

const firstLoad = new Set();
for (const match of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+\.js)"/g)) {
  firstLoad.add(match[1].replace(/^\//, ""));
}

const gzipped = (file) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

let total = 0;
for (const file of firstLoad) {
  const size = gzipped(file);
  total += size;
  console.log(`  first load  ${kb(size).padStart(9)}  ${file}`);
}
const later = readdirSync(join(distDir, "assets"))
  .map((name) => `assets/${name}`)
  .filter((file) => file.endsWith(".js") && !firstLoad.has(file));
for (const file of later) {
  console.log(`  later       ${kb(gzipped(file)).padStart(9)}  ${file}`);
}
console.log(`First-load JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)})`);
if (total > BUDGET_BYTES) {
  console.error("bundle-size: over budget");
  process.exit(1);
}
