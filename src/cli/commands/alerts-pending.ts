import { listPendingAlerts, type PendingDelivery } from "../../alerts/pending.js";
import { redactText } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { println, type Command } from "../command.js";
import { withQueues } from "./jobs-queues.js";

/** The last error quotes an endpoint, whose URL may carry credentials. */
const shown = (d: PendingDelivery): PendingDelivery => ({ ...d, lastError: d.lastError === null ? null : redactText(d.lastError) });

function when(d: PendingDelivery): string {
  if (d.state === "active") return "sending now";
  return d.nextTry ? `next try ${d.nextTry}` : "due now";
}

export const alertsPendingCommand: Command = {
  name: "alerts pending",
  summary: "list alert deliveries not yet done: being sent, due, or waiting to retry",
  help: `usage: newswatch alerts pending [--json]

Lists the alert queue's active, waiting and delayed deliveries: id, channel,
story, state, tries so far, the last error and when the next try is due.
A channel that answers again after failures gets its waiting deliveries
sent soon after its first success (at its rate limit).
  --json              one JSON object per pending delivery`,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const json = args.values.json === true;
    return withQueues(args, io, ["alert"], async (queues, redis) => {
      const { deliveries, total } = await listPendingAlerts(queues.get("alert")!, redis);
      for (const d of deliveries.map(shown)) {
        if (json) {
          println(io.stdout, jsonLine(d));
          continue;
        }
        println(io.stdout, printable(`${d.id}  ${d.channel}  ${d.state}  ${when(d)}  tries ${d.attemptsMade}  ${d.subject}`));
        if (d.lastError) println(io.stdout, printable(`  last error: ${d.lastError}`));
      }
      if (total > deliveries.length) println(io.stderr, `showing ${deliveries.length} of ${total}`);
      if (!json) println(io.stderr, `${total} pending alert deliver${total === 1 ? "y" : "ies"}`);
      return 0;
    });
  },
};
