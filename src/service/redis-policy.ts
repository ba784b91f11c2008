/**
 * Redis must not evict our keys. A delivery record is the only thing that
 * says an alert went out; if Redis evicts it under memory pressure, the alert
 * is sent again (and a dedupe record, and the story alerts as new). Every
 * policy but `noeviction` can do that — the volatile-* ones too, since
 * every key we write has a TTL — so the service refuses to start on any
 * other, unless `redis.allowEviction: true` says the operator accepts it.
 *
 * A managed Redis often forbids CONFIG; then the policy cannot be read, and
 * the service warns and starts: refusing would make it unusable there.
 */
import { StartupError, coerceError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../queues/connection.js";

export const REQUIRED_POLICY = "noeviction";

/** The policy, or null with the reason it could not be read. */
export type PolicyReading = { policy: string; error: null } | { policy: null; error: string };

export class EvictionPolicyError extends StartupError {
  constructor(readonly policy: string) {
    super(
      `redis: maxmemory-policy is ${policy}, but newswatch needs ${REQUIRED_POLICY}: RedisClient could evict a delivery record ` +
        `under memory pressure, and the alert would be sent again. Run \`CONFIG SET maxmemory-policy ${REQUIRED_POLICY}\` ` +
        `(and set it in redis.conf), or set redis.allowEviction: true in the config to run anyway.`,
    );
    this.name = this.constructor.name;
  }
}

export async function readEvictionPolicy(redis: RedisClient): Promise<PolicyReading> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as unknown;
    const policy = Array.isArray(reply) ? reply[1] : undefined;
    if (typeof policy === "string" && policy) return { policy, error: null };
    return { policy: null, error: "CONFIG GET maxmemory-policy gave no value" };
  } catch (err) {
    return { policy: null, error: coerceError(err).message };
  }
}

export interface EvictionCheckOptions {
  allowEviction: boolean;
  log: Logger;
}

/** Resolves with the policy read (null when CONFIG is refused); rejects with EvictionPolicyError when Redis may evict and that is not allowed. */
export async function checkEvictionPolicy(redis: RedisClient, options: EvictionCheckOptions): Promise<string | null> {
  const { policy, error } = await readEvictionPolicy(redis);
  if (policy === null) {
    options.log.warn({ error }, `redis: could not read maxmemory-policy (${error}); make sure it is ${REQUIRED_POLICY}, or alerts may repeat`);
    return null;
  }
  if (policy === REQUIRED_POLICY) return policy;
  if (!options.allowEviction) throw new EvictionPolicyError(policy);
  options.log.warn({ policy }, `redis: maxmemory-policy is ${policy}; running anyway (redis.allowEviction), alerts may repeat if Redis evicts`);
  return policy;
}
