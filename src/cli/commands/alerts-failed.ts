import { failedCommand } from "./jobs-failed.js";

export const alertsFailedCommand = failedCommand({
  name: "alerts failed",
  summary: "list alert deliveries that failed for good, with every try",
  help: `usage: newswatch alerts failed [--json]

Lists the alert queue's failed jobs: id, channel, story, reason (with the
start of the receiver's answer) and each try's time and outcome. Send them
again with \`newswatch alerts retry\`; \`newswatch jobs failed\` shows every stage.
  --json              one JSON object per failed delivery`,
  stage: "alert",
});
