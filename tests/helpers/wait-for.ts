/**
 * The one "wait until" of the tests: polls a condition instead of sleeping a
 * fixed time, and says what it waited for when the condition never held.
 * Deadline and pauses use node:timers and performance.now(), which fake
 * timers leave alone, so a test that fakes Date or setTimeout can still wait
 * for a real process or server.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitForOptions {
  /** @defaultValue 20_000 */
  timeout?: number;
  /** Pause between checks, ms. @defaultValue 50 */
  interval?: number;
  /** What is awaited, for the error; a function is called at the timeout, so it can tell what was seen instead. */
  what?: string | (() => string);
}

/** Resolves once `condition` returns true; rejects naming `what` when `timeout` ms pass first. */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const { timeout = 20_000, interval = 50, what = "a condition" } = options;
  const deadline = performance.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (performance.now() >= deadline) break;
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${typeof what === "function" ? what() : what}`);
}
