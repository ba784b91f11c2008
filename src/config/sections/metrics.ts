import { isIP } from "node:net";
import { z } from "zod";
import { fromEnv } from "../env-field.js";

/** Names that only this machine can reach: the status page may go without a token there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

export const MetricsSection = z
  .strictObject({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe("Serve /metrics (Prometheus), /healthz, the status page (/) and Bull Board (/queues) on this port; off when unset"),
    host: fromEnv(z.string()).default("127.0.0.1").describe("Address to bind the metrics server to; any address but loopback needs metrics.token"),
    token: fromEnv(z.string().min(16, "use at least 16 characters"))
      .optional()
      .describe("Token for the status page and /queues (Authorization: Bearer, or ?token= once to set a cookie); use ${ENV_VAR}. /metrics and /healthz stay open"),
  })
  .superRefine((metrics, ctx) => {
    // A page with a Retry button must not face a network without a lock.
    if (metrics.port !== undefined && metrics.token === undefined && !isLoopbackHost(metrics.host)) {
      ctx.addIssue({ code: "custom", path: ["token"], message: `required when metrics.host (${metrics.host}) is not a loopback address` });
    }
  })
  .prefault({});
export type MetricsSection = z.infer<typeof MetricsSection>;
