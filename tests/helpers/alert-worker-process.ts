/**
 * A child process running only the alert stage, for the crash test: the
 * test SIGKILLs it mid-delivery and starts another. Short locks make the
 * killed worker's jobs come back within a second or two.
 * Env: NW_REDIS_URL, NW_PREFIX, NW_WEBHOOK_URL, NW_SECRET, and NW_TIMEOUT
 * (the webhook timeout in ms, 2 s when unset).
 */
import { alertConfig, startAlertStage } from "./alert-worker.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`alert-worker-process: ${name} is not set`);
  return value;
};

const config = alertConfig(env("NW_REDIS_URL"), env("NW_PREFIX"), {
  retryDelay: 50,
  retryMaxDelay: 200,
  retryHorizon: 5_000,
  webhooks: [{ name: "hook", url: env("NW_WEBHOOK_URL"), secret: env("NW_SECRET"), timeout: Number(process.env.NW_TIMEOUT ?? 2_000) }],
});
const running = await startAlertStage(config, { concurrency: 4, lockDuration: 1_000, stalledInterval: 300 });
process.stdout.write("ready\n");
process.once("SIGTERM", () => void running.close().then(() => process.exit(0)));
