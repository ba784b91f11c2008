import { retryFailedAlerts } from "../../alerts/failed.js";
import { println, type Command } from "../command.js";
import { withAlertQueue } from "./alerts-queue.js";

export const alertsRetryCommand: Command = {
  name: "alerts retry",
  summary: "send failed alert deliveries again (by id, or --all)",
  help: `usage: newswatch alerts retry ID… | --all

Moves failed alert jobs back to the queue with a fresh set of tries; the
running alert workers deliver them (same idempotency key as before).
  --all               retry every failed delivery`,
  options: { all: { type: "boolean" } },
  async run(args, io) {
    const all = args.values.all === true;
    if (all === args.positionals.length > 0) {
      println(io.stderr, "newswatch alerts retry: give job ids or --all (not both)");
      return 2;
    }
    return withAlertQueue(args, io, async (queue) => {
      const { retried, notFailed } = await retryFailedAlerts(queue, all ? "all" : args.positionals);
      for (const id of retried) println(io.stdout, `retried ${id}`);
      for (const id of notFailed) println(io.stderr, `not a failed alert job: ${id}`);
      println(io.stderr, `${retried.length} retried`);
      return notFailed.length > 0 ? 1 : 0;
    });
  },
};
