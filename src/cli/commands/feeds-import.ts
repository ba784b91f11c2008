import { readFileSync, writeFileSync } from "node:fs";
import { configPath, parseConfig } from "../../config/load.js";
import { ConfigError, coerceError } from "../../errors.js";
import { addFeedsToYaml } from "../feeds/config-edit.js";
import { FeedError } from "../../feeds/errors.js";
import { parseOpml } from "../feeds/opml.js";
import { safeLine } from "../../logger.js";
import { printable } from "../../printable.js";
import { checkConfigFiles } from "../../service/config-file-check.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command, onePositional } from "../command.js";

export const feedsImportCommand: Command = {
  name: "feeds import",
  summary: "add the feeds of an OPML file to the config file",
  help: `usage: newswatch feeds import FILE.opml [--dry-run]

Appends every feed of the OPML subscription list that the config does not
have yet to its feeds: list, keeping the file's comments, order and layout.
The result is validated before the file is written. An OPML whose feed URL
or name holds "\${" is refused whole: config values never read the
environment on behalf of an imported feed.
  --dry-run           print the new config to stdout instead of writing it`,
  options: { "dry-run": { type: "boolean" } },
  async run(args, io) {
    const file = onePositional(args, io, "feeds import", "OPML file");
    if (file === null) return 2;
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    let feeds;
    try {
      feeds = parseOpml(readFileSync(file, "utf8"));
    } catch (err) {
      if (!(err instanceof FeedError) && coerceError(err).code === undefined) throw err;
      println(io.stderr, `newswatch feeds import: ${file}: ${safeLine(coerceError(err).message)}`);
      return 1;
    }
    const target = configPath(typeof args.values.config === "string" ? args.values.config : undefined, io.env);
    let result;
    try {
      result = addFeedsToYaml(readFileSync(target, "utf8"), feeds);
    } catch (err) {
      if (!(err instanceof FeedError)) throw err;
      println(io.stderr, `newswatch feeds import: ${file}: ${printable(err.message, { multiline: true })}\nnothing written`);
      return 1;
    }
    // Validated like a config at start-up, so a bad edit never reaches the file; adding feeds needs no secret set.
    try {
      parseConfig(result.text, target, io.env, { env: [], checkFiles: checkConfigFiles });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      println(io.stderr, `newswatch feeds import: the edited config would be invalid; nothing written\n${err.message}`);
      return 1;
    }
    if (args.values["dry-run"] === true) io.stdout.write(result.text);
    else if (result.added.length > 0) writeFileSync(target, result.text);
    println(io.stderr, `${result.added.length} feed(s) added, ${result.skipped.length} already configured${args.values["dry-run"] === true ? " (dry run)" : ` (${target})`}`);
    return 0;
  },
};
