// Copies the repository's sample resume, job description and target role (../samples) into
// public/samples, so the app serves them for its "try the sample" button. They stay in one
// place in git: public/samples is ignored and refilled before every dev or build run.

import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const from = resolve(webDir, "..", "samples");
const to = join(webDir, "public", "samples");
const SAMPLES = ["resume.pdf", "job-description.txt", "target-role.txt"];

mkdirSync(to, { recursive: true });
for (const name of SAMPLES) {
  copyFileSync(join(from, name), join(to, name));
}
console.log(`samples: copied ${SAMPLES.join(", ")} into public/samples`);
