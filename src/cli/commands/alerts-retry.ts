import { retryCommand } from "./jobs-retry.js";

export const alertsRetryCommand = retryCommand({
  name: "alerts retry",
  summary: "send failed alert deliveries again (by id, or --all)",
  help: `usage: newswatch alerts retry ID… | --all

Moves failed alert jobs back to the queue with a fresh set of tries; the
running alert workers deliver them (same idempotency key as before).
  --all               retry every failed delivery`,
  stage: "alert",
});
