/**
 * The one source of truth for configuration: validates the YAML at start-up
 * and generates config/schema.json. Each section lives in its own module.
 */
import { z } from "zod";
import { AlertsSection } from "./sections/alerts.js";
import { DedupeSection } from "./sections/dedupe.js";
import { DefaultsSection, FeedEntry, NetworkSection } from "./sections/feeds.js";
import { CpuSection } from "./sections/cpu.js";
import { LimitsSection } from "./sections/limits.js";
import { MetricsSection } from "./sections/metrics.js";
import { RedisSection } from "./sections/redis.js";
import { TopicSection } from "./sections/topics.js";
import { ArchiveSection } from "./sections/archive.js";
import { StagesSection } from "./sections/stages.js";

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    owner: z
      .string()
      .regex(/^[^\s]{1,200}$/, "one word, no spaces")
      .optional()
      .describe(
        "Who this config is on its Redis prefix: the feeds it schedules carry it, and a sync removes only its own (default: the config file's absolute path)",
      ),
    redis: RedisSection,
    defaults: DefaultsSection,
    network: NetworkSection,
    limits: LimitsSection,
    cpu: CpuSection,
    feeds: z.array(FeedEntry).default([]),
    topics: z.array(TopicSection).default([]),
    reference: z.array(z.string()).default([]).describe("Reference article files (YAML facts or plain text)"),
    dedupe: DedupeSection,
    alerts: AlertsSection,
    metrics: MetricsSection,
    archive: ArchiveSection,
    stages: StagesSection,
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.feeds.forEach((f, i) => {
      if (seen.has(f.url)) ctx.addIssue({ code: "custom", path: ["feeds", i, "url"], message: `duplicate feed ${f.url}` });
      seen.add(f.url);
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
