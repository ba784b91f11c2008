/**
 * Live config: watches the config file and takes SIGHUP, and hands each
 * valid new version to the running service (service.ts, reload). An invalid
 * one is logged, every problem with its line and key path, and the running
 * config stays.
 *
 * The folder is watched, not the file: editors save by writing a temporary
 * file and renaming it over the original, and Kubernetes swaps a symlink,
 * either of which leaves a watch on the old file blind. Any event in the
 * folder starts a short quiet period; then the file is read, and only a text
 * that differs from the last one read is loaded (the folder may hold a busy
 * alerts file). SIGHUP always reloads, so that an edited reference article
 * or model file, which the watch does not see, can be applied too.
 */
import { watch, readFileSync, type FSWatcher } from "node:fs";
import path from "node:path";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { digest } from "../config/files.js";
import { ConfigError, coerceError } from "../errors.js";
import { checkConfigFiles } from "./config-file-check.js";
import type { Logger } from "../logger.js";
import type { RunningService } from "./service.js";

export interface ConfigWatchOptions {
  /** The config the service runs now. */
  loaded: Pick<LoadedConfig, "file" | "digest">;
  env: Record<string, string | undefined>;
  service: Pick<RunningService, "reload">;
  log: Logger;
  /** Quiet time after the last event in the folder before the file is read. @defaultValue 300 */
  debounceMs?: number;
  /** Reload on SIGHUP. @defaultValue true */
  sighup?: boolean;
}

export interface ConfigWatch {
  /** Reads the file and applies it, changed or not (what SIGHUP does). */
  reload(): Promise<void>;
  close(): void;
}

export function watchConfig(options: ConfigWatchOptions): ConfigWatch {
  const { log, env, service } = options;
  const file = options.loaded.file;
  let lastDigest: string | null = options.loaded.digest;
  let timer: NodeJS.Timeout | undefined;

  const apply = async (force: boolean) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      // Mid-rename, or deleted: the next event (or SIGHUP) reads it again.
      const { code, message } = coerceError(err);
      if (force || lastDigest !== null) log.warn(`config: cannot read ${file} (${code ?? message}); the running config stays`);
      lastDigest = null;
      return;
    }
    if (!force && digest(text) === lastDigest) return;
    lastDigest = digest(text);
    let next: LoadedConfig;
    try {
      next = loadConfig(file, env, { checkFiles: checkConfigFiles });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      log.error({ problems: err.problems.length }, `config: ${file} is invalid; the running config stays`);
      for (const line of err.lines) log.error(`config: ${line}`);
      return;
    }
    await service.reload(next);
  };
  const run = (force: boolean) =>
    apply(force).catch((err: Error) => log.error({ err }, `config: reload failed, the running config stays: ${err.message}`));

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(path.dirname(file), { persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(false), options.debounceMs ?? 300);
      timer.unref();
    });
    watcher.on("error", (err) => log.warn(`config: stopped watching ${file} (${err.message}); SIGHUP still reloads it`));
  } catch (err) {
    log.warn(`config: cannot watch ${file} (${coerceError(err).message}); SIGHUP reloads it`);
  }
  const onHup = () => {
    log.info("config: SIGHUP received; reloading");
    void run(true);
  };
  if (options.sighup ?? true) process.on("SIGHUP", onHup);
  log.info(`config: watching ${file} for changes (and SIGHUP)`);

  return {
    reload: () => run(true),
    close() {
      clearTimeout(timer);
      watcher?.close();
      process.off("SIGHUP", onHup);
    },
  };
}
