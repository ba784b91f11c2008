import { configPath, loadConfig, type LoadedConfig, type LoadOptions } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { checkConfigFiles } from "../service/config-file-check.js";
import { println, type CliIO, type CommandArgs } from "./command.js";

/**
 * Commands read Redis at most, so by default only the redis section's
 * `${VAR}`s are expanded: an operator can run `feeds` or `alerts failed`
 * without the webhook secret or SMTP password in their shell. Other
 * sections' `${…}` values hold placeholders (config/env.ts), which the
 * service refuses; a command that needs them asks for `{ env: "all" }`.
 */
const READ_ONLY: LoadOptions = { env: ["redis"] };

/** Loads the config chosen by --config / NEWSWATCH_CONFIG; prints every problem and returns null when invalid. */
export function loadCliConfig(args: CommandArgs, io: CliIO, options: LoadOptions = READ_ONLY): LoadedConfig | null {
  try {
    return loadConfig(cliConfigPath(args, io), io.env, { ...options, checkFiles: checkConfigFiles });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    println(io.stderr, err.message);
    return null;
  }
}

function cliConfigPath(args: CommandArgs, io: CliIO): string {
  return configPath(typeof args.values.config === "string" ? args.values.config : undefined, io.env);
}
