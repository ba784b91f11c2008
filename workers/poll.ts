/** Runs the poll stage alone: `node dist/workers/poll.js [--config FILE]` or `newswatch run --stages poll`. */
import { runWorkerEntry } from "../src/service/worker-entry.js";

runWorkerEntry(["poll"]);
