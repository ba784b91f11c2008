import { writeOpml } from "../feeds/opml.js";
import { loadCliConfig } from "../config-arg.js";
import { type Command } from "../command.js";

export const feedsExportCommand: Command = {
  name: "feeds export",
  summary: "write the configured feeds as OPML to stdout",
  help: `usage: newswatch feeds export > feeds.opml

Writes an OPML 2.0 subscription list of every configured feed.`,
  options: {},
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    io.stdout.write(writeOpml(loaded.config.feeds));
    return 0;
  },
};
