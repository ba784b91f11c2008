/** Runs the classify stage alone: `node dist/workers/classify.js [--config FILE]` or `newswatch run --stages classify`. */
import { runWorkerEntry } from "../src/service/worker-entry.js";

runWorkerEntry(["classify"]);
