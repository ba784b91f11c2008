import { z } from "zod";
import { fromEnv } from "../env-field.js";

export const MetricsSection = z
  .strictObject({
    port: z.number().int().min(0).max(65535).optional().describe("Serve /metrics (Prometheus) and /healthz on this port; off when unset"),
    host: fromEnv(z.string()).default("127.0.0.1").describe("Address to bind the metrics server to"),
  })
  .prefault({});
