/** Runs the alert stage alone: `node dist/workers/alert.js [--config FILE]` or `newswatch run --stages alert`. */
import { runWorkerEntry } from "../src/service/worker-entry.js";

runWorkerEntry(["alert"]);
