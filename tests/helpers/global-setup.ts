/**
 * Finds the Redis the integration tests use: REDIS_URL when set, else a
 * testcontainers Redis when a Docker engine answers, else the local server.
 * Each test file then takes its own key prefix (tests/helpers/redis.ts).
 */
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL);
    return async () => {};
  }
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    const { RedisContainer } = await import("@testcontainers/redis");
    const container = await new RedisContainer("redis:7-alpine").start();
    project.provide("redisUrl", container.getConnectionUrl());
    return async () => {
      await container.stop();
    };
  } catch {
    project.provide("redisUrl", "redis://127.0.0.1:6379");
    return async () => {};
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
