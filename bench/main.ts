/**
 * `npm run bench [-- --quick] [-- --only pipeline,classify]`: every benchmark,
 * each printed as ratios against a baseline measured in the same process.
 */
import { parseArgs } from "node:util";
import type { BenchOptions } from "./harness.js";
import { runAlertsBench } from "./alerts.js";
import { runArchiveBench } from "./archive.js";
import { runClassifyBench } from "./classify.js";
import { runCrashLoopBench } from "./crash-loop.js";
import { runDedupeBench } from "./dedupe.js";
import { runFeedsBench } from "./feeds.js";
import { runPipelineBench } from "./pipeline.js";
import { runScaleBench } from "./scale.js";

type Bench = (opts: BenchOptions) => Promise<string[]>;

const BENCHES: Record<string, Bench> = {
  pipeline: runPipelineBench,
  feeds: runFeedsBench,
  classify: runClassifyBench,
  dedupe: runDedupeBench,
  alerts: runAlertsBench,
  archive: runArchiveBench,
};

/** Run only when named in --only: they take minutes and start service processes (crashloop SIGKILLs them). */
const ON_REQUEST: Record<string, Bench> = { crashloop: runCrashLoopBench, scale: runScaleBench };

const { values } = parseArgs({ options: { quick: { type: "boolean" }, only: { type: "string" } } });
const opts: BenchOptions = { redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", quick: Boolean(values.quick) };
const names = values.only ? values.only.split(",") : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name] ?? ON_REQUEST[name];
  if (!bench) throw new Error(`bench: unknown benchmark "${name}" (have ${[...Object.keys(BENCHES), ...Object.keys(ON_REQUEST)].join(", ")})`);
  const started = Date.now();
  for (const line of await bench(opts)) console.log(line);
  console.log(`  (${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
process.exit(0);
