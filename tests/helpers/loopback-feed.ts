/**
 * An RSS feed on loopback whose items a test changes while the service polls
 * it, and a handful of stories written for tests: each about a different
 * Iran–China defence event, so the shipped topic finds each relevant and
 * dedupe sees each as new.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "./wait-for.js";

export interface FeedStory {
  guid: string;
  title: string;
  description: string;
}

export const RELEVANT_STORIES: FeedStory[] = [
  {
    guid: "naval-drill",
    title: "China and Iran to stage joint naval exercise with Russia next month",
    description: "Warships of the PLA Navy and Iran's navy will join Russian ships for a joint naval drill in the Arabian Sea, Iran's navy commander said.",
  },
  {
    guid: "drone-sanctions",
    title: "US sanctions Chinese companies for supplying parts to Iran's drone program",
    description: "The Treasury said the Chinese firms shipped engines and components used in Iranian military drones.",
  },
  {
    guid: "ministers-meet",
    title: "Iranian defence minister meets Chinese counterpart in Beijing to discuss military cooperation",
    description: "Iran's defence minister Aziz Nasirzadeh held talks with China's defence minister on arms sales and joint training.",
  },
  {
    guid: "radar-delivery",
    title: "China delivers air defence radar systems to Iran, officials say",
    description: "The PLA shipped early-warning radars to the Iranian armed forces under a new defence deal.",
  },
];

export interface LoopbackFeed {
  url: string;
  /** What the feed serves; change it at will. */
  items: FeedStory[];
  requests: number;
  /** Waits until the feed has been fetched `n` more times. */
  polls(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function rss(items: FeedStory[]): string {
  const now = new Date().toUTCString();
  const body = items
    .map((e) => `<item><title>${e.title}</title><link>http://news.example/${e.guid}</link><guid isPermaLink="false">${e.guid}</guid><pubDate>${now}</pubDate><description>${e.description}</description></item>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback Wire</title><link>http://news.example/</link><description>test</description>${body}</channel></rss>`;
}

export async function startLoopbackFeed(items: FeedStory[] = []): Promise<LoopbackFeed> {
  const server = http.createServer((_req, res) => {
    feed.requests++;
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(rss(feed.items));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const feed: LoopbackFeed = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`,
    items,
    requests: 0,
    async polls(n, timeoutMs = 20_000) {
      const start = feed.requests;
      await waitFor(() => feed.requests >= start + n, { timeout: timeoutMs, what: `${n} more polls of the loopback feed` });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return feed;
}
