/** Runs the dedupe stage alone: `node dist/workers/dedupe.js [--config FILE]` or `newswatch run --stages dedupe`. */
import { runWorkerEntry } from "../src/service/worker-entry.js";

runWorkerEntry(["dedupe"]);
