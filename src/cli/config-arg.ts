import { configPath, loadConfig, type LoadedConfig } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { println, type CliIO, type CommandArgs } from "./command.js";

/** Loads the config chosen by --config / NEWSWATCH_CONFIG; prints every problem and returns null when invalid. */
export function loadCliConfig(args: CommandArgs, io: CliIO): LoadedConfig | null {
  const flag = typeof args.values.config === "string" ? args.values.config : undefined;
  try {
    return loadConfig(configPath(flag, io.env), io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    println(io.stderr, err.message);
    return null;
  }
}
