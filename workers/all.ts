/** Runs every stage in one process (what `npm start` does). */
import { STAGES } from "../src/queues/names.js";
import { runWorkerEntry } from "../src/service/worker-entry.js";

runWorkerEntry(STAGES);
