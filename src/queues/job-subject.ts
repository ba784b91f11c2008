/**
 * What a job is about, in a few words for `jobs failed`, `alerts failed` and
 * `alerts pending`: the feed of a poll (credentials blanked), the stories of
 * a classify batch, the story of a dedupe or alert job, an alert's channel.
 */
import { redactUrl } from "../logger.js";
import type { QueueName } from "./names.js";
import { PAYLOADS } from "./factory.js";

export interface JobSubject {
  subject: string;
  /** The alert channel, for alert jobs. */
  channel?: string;
}

const TITLES_SHOWN = 2;
const TITLE_CHARS = 80;

const cut = (text: string) => (text.length > TITLE_CHARS ? `${text.slice(0, TITLE_CHARS - 1)}…` : text);

export function jobSubject(stage: QueueName, data: unknown): JobSubject {
  const parsed = PAYLOADS[stage].safeParse(data);
  if (!parsed.success) return { subject: "(invalid payload)" };
  const payload = parsed.data;
  if ("feed" in payload) return { subject: `${payload.feed.name ? `${payload.feed.name} ` : ""}${redactUrl(payload.feed.url)}` };
  if ("stories" in payload) {
    const { stories } = payload;
    const titles = stories.slice(0, TITLES_SHOWN).map((s) => JSON.stringify(cut(s.title)));
    const more = stories.length > TITLES_SHOWN ? ` and ${stories.length - TITLES_SHOWN} more` : "";
    return { subject: `${redactUrl(payload.feedUrl)}: ${titles.join(", ")}${more}` };
  }
  if ("story" in payload) return { subject: `${cut(payload.story.title)} (${payload.story.source})` };
  if ("digest" in payload) return { subject: `digest window ${payload.digest.window}`, channel: payload.channel };
  return { subject: payload.alert.story.title, channel: payload.channel };
}
