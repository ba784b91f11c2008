import { listFailedAlerts, type FailedAlert } from "../../alerts/failed.js";
import { redactText } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { println, type Command } from "../command.js";
import { withAlertQueue } from "./alerts-queue.js";

/** Reasons and attempt details are error messages: they may quote an endpoint's URL with its credentials. */
function shown(f: FailedAlert): FailedAlert {
  return { ...f, reason: redactText(f.reason), attempts: f.attempts.map((a) => ({ ...a, detail: redactText(a.detail) })) };
}

export const alertsFailedCommand: Command = {
  name: "alerts failed",
  summary: "list alert deliveries that failed for good, with every attempt",
  help: `usage: newswatch alerts failed [--json]

Lists the alert queue's failed jobs: id, channel, story, reason and each
attempt's time and status. Send them again with \`newswatch alerts retry\`.
  --json              one JSON object per failed delivery`,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    return withAlertQueue(args, io, async (queue) => {
      const failed = await listFailedAlerts(queue);
      for (const f of failed.map(shown)) {
        if (args.values.json) {
          println(io.stdout, jsonLine(f));
          continue;
        }
        println(io.stdout, printable(`${f.id}  ${f.channel}  ${f.subject}`));
        println(io.stdout, printable(`  failed ${f.failedAt ?? "?"} after ${f.attemptsMade} attempt(s): ${f.reason}`));
        for (const a of f.attempts) println(io.stdout, printable(`  #${a.attempt} ${a.at} ${a.ok ? "ok" : "failed"} (${a.ms} ms) ${a.detail}`));
      }
      if (!args.values.json) println(io.stderr, `${failed.length} failed alert deliver${failed.length === 1 ? "y" : "ies"}`);
      return 0;
    });
  },
};
