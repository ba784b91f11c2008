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
  help: `usage: newswatch run [--stages poll,classify,dedupe,alert] [--private-redis]

Runs the pipeline's workers against Redis until SIGTERM/SIGINT, which let
in-flight jobs finish. Run more processes against the same Redis to scale out.
When Redis is away or refuses the connection, it waits and retries, saying so
once per retry step, and goes on by itself when Redis is back.
With neither REDIS_URL nor redis.url set and nothing answering at
redis://127.0.0.1:6379, it starts a private redis-server (data in ./data, AOF
on) — unless ./data/external-redis.txt says a Redis of your own has held the
state there; then it waits for that one.
Exits 1 on any start-up failure (a bad config, a port in use, a Redis that may
evict keys: maxmemory-policy other than noeviction, since an evicted delivery
record repeats an alert; redis.allowEviction: true runs anyway).
  --stages LIST       comma-separated stages to run here (default: all)
  --private-redis     start the private redis-server even where ./data has known
                      another Redis (never when REDIS_URL or redis.url names one)`,
  options: { stages: { type: "string" }, "private-redis": { type: "boolean" } },
  async run(args, io) {
    const stages = StageList.safeParse(typeof args.values.stages === "string" ? args.values.stages : STAGES.join(","));
    if (!stages.success) {
      println(io.stderr, `newswatch run: --stages: expected a comma-separated list of ${STAGES.join(", ")}`);
      return 2;
    }
    const configFlag = typeof args.values.config === "string" ? args.values.config : undefined;
    return runServiceProcess({ stages: stages.data, configFlag, env: io.env, privateRedis: args.values["private-redis"] === true });
  },
};
