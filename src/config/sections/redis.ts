import { z } from "zod";
import { fromEnv, isPlaceholder } from "../env-field.js";

/** The schema's default redis.url, used when neither redis.cluster nor redis.sentinel is given. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** A node's URL; a placeholder (a ${VAR} this command does not expand) passes, as it does in every fromEnv field. */
const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v) || isPlaceholder(v), "expected a redis:// or rediss:// URL");

const hostPort = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/, 'expected "host:port"');

/** ACL user and password for the master and replicas; the password may be `${VAR}`. */
const credentials = {
  username: fromEnv(z.string().min(1)).optional().describe("ACL user name (AUTH user); may hold ${ENV_VAR}"),
  password: fromEnv(z.string().min(1)).optional().describe("Password (AUTH); may hold ${ENV_VAR}"),
};

const ClusterSection = z
  .strictObject({
    nodes: z.array(fromEnv(redisUrl)).min(1).describe("Seed nodes of the cluster (redis:// or rediss:// URLs; rediss:// turns TLS on for every node); each may hold ${ENV_VAR}"),
    ...credentials,
  })
  .describe("A Redis Cluster (instead of redis.url)");

const SentinelSection = z
  .strictObject({
    name: z.string().min(1).describe("Name of the master group the sentinels watch"),
    sentinels: z.array(hostPort).min(1).describe('Sentinels as "host:port"'),
    ...credentials,
    sentinelUsername: fromEnv(z.string().min(1)).optional().describe("ACL user name for the sentinels; may hold ${ENV_VAR}"),
    sentinelPassword: fromEnv(z.string().min(1)).optional().describe("Password for the sentinels; may hold ${ENV_VAR}"),
    tls: z.boolean().default(false).describe("TLS to the sentinels and to the master and replicas"),
    db: z.number().int().min(0).default(0).describe("Database number on the master"),
  })
  .describe("A Sentinel group (instead of redis.url)");

export type RedisClusterConfig = z.output<typeof ClusterSection>;
export type RedisSentinelConfig = z.output<typeof SentinelSection>;

export const RedisSection = z
  .strictObject({
    /** Overridden by the REDIS_URL environment variable. */
    url: fromEnv(z.string())
      .optional()
      .describe(`Redis URL (REDIS_URL overrides it; default ${DEFAULT_REDIS_URL}); may hold \${ENV_VAR}. Give one of url, cluster, sentinel`),
    cluster: ClusterSection.optional(),
    sentinel: SentinelSection.optional(),
    /** Key prefix; wrapped in a hash tag so that a Redis Cluster keeps BullMQ's keys together. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only")
      .default("newswatch")
      .describe("Key prefix for every Redis key"),
    /**
     * Start even when Redis's maxmemory-policy is not `noeviction`. An evicted
     * delivery record means the alert is sent again, so this is for setups
     * that accept repeats (a throwaway cache Redis, a test).
     * @defaultValue false
     */
    allowEviction: z
      .boolean()
      .default(false)
      .describe("Start even when Redis may evict keys (maxmemory-policy other than noeviction); evicted delivery records mean repeated alerts"),
  })
  .superRefine((s, ctx) => {
    const given = (["url", "cluster", "sentinel"] as const).filter((k) => s[k] !== undefined);
    if (given.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [given[1] as string],
        message: `redis.${given.join(" and redis.")} are both given; use exactly one of redis.url, redis.cluster, redis.sentinel`,
      });
    }
  })
  // url keeps its default only for a single Redis; with cluster or sentinel it stays unset.
  .transform(({ url, ...rest }): typeof rest & { url?: string } => (rest.cluster || rest.sentinel ? rest : { url: url ?? DEFAULT_REDIS_URL, ...rest }))
  .prefault({});

export type RedisConfig = z.output<typeof RedisSection>;

/** Which Redis the section names: exactly one of these holds (the schema makes sure). */
export type RedisTarget =
  | { kind: "url"; url: string }
  | { kind: "cluster"; cluster: RedisClusterConfig }
  | { kind: "sentinel"; sentinel: RedisSentinelConfig };

export function redisTarget(section: Pick<RedisConfig, "url" | "cluster" | "sentinel">): RedisTarget {
  if (section.cluster) return { kind: "cluster", cluster: section.cluster };
  if (section.sentinel) return { kind: "sentinel", sentinel: section.sentinel };
  return { kind: "url", url: section.url ?? DEFAULT_REDIS_URL };
}
