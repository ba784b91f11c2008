import { FeedError } from "../../feeds/errors.js";
import { checkFeed } from "../feeds/check.js";
import { createFetcher } from "../../feeds/fetch/fetch.js";
import { safeLine } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command, onePositional } from "../command.js";
import { formatTable, shortTime, truncate } from "./feeds-table.js";

/** What the published column says when the date is not the feed's. */
const DATE_LABEL = { missing: "undated", future: "bad date" } as const;

export const checkFeedCommand: Command = {
  name: "check-feed",
  summary: "fetch, parse and classify one feed once (nothing is stored)",
  help: `usage: newswatch check-feed URL [--json]

Fetches the feed at URL with the configured timeouts and address rules,
parses it and classifies every item against the configured topics. Prints a
table of the items (date, relevant, score, title), or with --json one JSON
object per item: the normalised story and its classification. An item the
feed gives no date shows "undated", one dated more than a day ahead "bad
date" (published is null for both in JSON); the service dates both when it
first sees them.
What the reader had to repair or leave (malformed XML, items past the cap)
is printed on stderr as a warning. Only http(s) URLs are fetched: serve a
local file over HTTP to check it. Exits 1 when the feed cannot be fetched or
read, with the reason.
  --json              JSON lines instead of a table`,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const url = onePositional(args, io, "check-feed", "feed URL");
    if (url === null) return 2;
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { config } = loaded;
    const d = config.defaults;
    const fetcher = createFetcher({ timeout: d.timeout, connectTimeout: d.connectTimeout, maxBytes: d.maxBytes, blockPrivate: config.network.blockPrivate });
    try {
      const name = config.feeds.find((f) => f.url === url)?.name;
      const checked = await checkFeed(url, { fetcher, topics: config.topics, now: Date.now(), maxBytes: d.maxBytes, limits: config.limits, name });
      if (checked.movedTo) println(io.stderr, `moved permanently to ${printable(checked.movedTo)}`);
      for (const w of checked.warnings) println(io.stderr, `warning: ${safeLine(w)}`);
      if (args.values.json === true) {
        for (const { story, date, classification } of checked.items) {
          println(io.stdout, jsonLine({ ...story, published: date === "feed" ? story.published : null, classification }));
        }
      } else {
        println(io.stdout, `${printable(checked.title || checked.url)} (${checked.format}, ${checked.items.length} items)\n`);
        const rows = checked.items.map(({ story, date, classification: c }) => [
          date === "feed" ? shortTime(Date.parse(story.published)) : DATE_LABEL[date],
          c.relevant ? "yes" : "",
          c.score.toFixed(2),
          truncate(story.title || "(untitled)", 90),
        ]);
        println(io.stdout, formatTable(["published", "relevant", "score", "title"], rows));
      }
      return 0;
    } catch (err) {
      if (!(err instanceof FeedError)) throw err;
      println(io.stderr, `newswatch check-feed: ${safeLine(err.message)}`);
      return 1;
    } finally {
      await fetcher.close();
    }
  },
};
