import { z } from "zod";
import { STAGES, type QueueName } from "../../queues/names.js";
import { runServiceProcess } from "../../service/process.js";
import { println, type Command } from "../command.js";

const StageList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(STAGES as [QueueName, ...QueueName[]])).min(1));

export const runCommand: Command = {
  name: "run",
  summary: "run the service (all stages, or those given with --stages)",
  help: `usage: newswatch run [--stages poll,classify,dedupe,alert]

Runs the pipeline's workers against Redis until SIGTERM/SIGINT, which let
in-flight jobs finish. Run more processes against the same Redis to scale out.
Exits 1 when Redis may evict keys (maxmemory-policy other than noeviction),
since an evicted delivery record repeats an alert; redis.allowEviction: true
in the config runs anyway.
  --stages LIST       comma-separated stages to run here (default: all)`,
  options: { stages: { type: "string" } },
  async run(args, io) {
    const stages = StageList.safeParse(typeof args.values.stages === "string" ? args.values.stages : STAGES.join(","));
    if (!stages.success) {
      println(io.stderr, `newswatch run: --stages: expected a comma-separated list of ${STAGES.join(", ")}`);
      return 2;
    }
    const configFlag = typeof args.values.config === "string" ? args.values.config : undefined;
    return runServiceProcess({ stages: stages.data, configFlag, env: io.env });
  },
};
