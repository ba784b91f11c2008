/** The fetcher against a real HTTP server on loopback. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorText, FeedError } from "../../src/feeds/errors.js";
import { createFetcher, type Fetcher } from "../../src/feeds/fetch/fetch.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: Server;
let base: string;
let fetcher: Fetcher;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    const h = routes.get(req.url ?? "");
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fetcher = createFetcher({ timeout: 2_000, connectTimeout: 1_000, maxBytes: 10_000, blockPrivate: false });
});
afterAll(async () => {
  await fetcher.close();
  await new Promise((r) => server.close(r));
});

const now = Date.UTC(2024, 0, 1);
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error("expected a FeedError");
};

describe("credentials in a feed URL", () => {
  it("go as Basic auth to their own origin only, never in the request line nor to a redirect's other origin", async () => {
    const other = createServer((req, res) => {
      seen.push(req);
      res.writeHead(200, { "content-type": "application/rss+xml" }).end("<rss>elsewhere</rss>");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      routes.set("/private", (req, res) => {
        if (req.headers.authorization === `Basic ${Buffer.from("ann:p@ss word").toString("base64")}`) res.writeHead(200).end("<rss>private</rss>");
        else res.writeHead(401).end();
      });
      routes.set("/private-moved", (_req, res) => res.writeHead(302, { location: `${otherBase}/feed` }).end());
      const ok = await fetcher.fetch(`${base.replace("http://", "http://ann:p%40ss%20word@")}/private`, {}, now);
      expect(ok.status).toBe("ok");
      expect(seen.at(-1)?.url).toBe("/private");
      await fetcher.fetch(`${base.replace("http://", "http://ann:secret@")}/private-moved`, {}, now);
      expect(seen.at(-1)?.headers.host).toBe(otherBase.slice("http://".length));
      expect(seen.at(-1)?.headers.authorization).toBeUndefined();
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});

describe("createFetcher", () => {
  it("sends a newswatch User-Agent and the validators, and reports 304", async () => {
    routes.set("/cond", (req, res) => {
      if (req.headers["if-none-match"] === '"v1"' && req.headers["if-modified-since"] === "Mon, 01 Jan 2024 00:00:00 GMT") res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"', "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT", "content-type": "application/rss+xml" }).end("<rss/>");
    });
    const first = await fetcher.fetch(`${base}/cond`, {}, now);
    expect(first).toMatchObject({ status: "ok", etag: '"v1"', lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", contentType: "application/rss+xml" });
    expect(seen.at(-1)?.headers["user-agent"]).toMatch(/^newswatch\/\d+\.\d+\.\d+/);
    const second = await fetcher.fetch(`${base}/cond`, { etag: '"v1"', lastModified: "Mon, 01 Jan 2024 00:00:00 GMT" }, now);
    expect(second.status).toBe("not-modified");
  });

  it.each([
    ["gzip", gzipSync],
    ["br", brotliCompressSync],
  ] as const)("decompresses %s", async (encoding, compress) => {
    routes.set(`/enc-${encoding}`, (_req, res) => res.writeHead(200, { "content-encoding": encoding }).end(compress(Buffer.from("<rss>zipped</rss>"))));
    const res = await fetcher.fetch(`${base}/enc-${encoding}`, {}, now);
    expect(res.status === "ok" && Buffer.from(res.body).toString()).toBe("<rss>zipped</rss>");
  });

  it("reports a permanent redirect chain's end as the feed's new address, not a temporary one", async () => {
    routes.set("/old", (_req, res) => res.writeHead(301, { location: "/older" }).end());
    routes.set("/older", (_req, res) => res.writeHead(308, { location: `${base}/new` }).end());
    routes.set("/temp", (_req, res) => res.writeHead(302, { location: "/new" }).end());
    routes.set("/new", (_req, res) => res.writeHead(200).end("<rss/>"));
    expect(await fetcher.fetch(`${base}/old`, {}, now)).toMatchObject({ status: "ok", finalUrl: `${base}/new`, movedTo: `${base}/new` });
    expect(await fetcher.fetch(`${base}/temp`, {}, now)).toMatchObject({ status: "ok", finalUrl: `${base}/new`, movedTo: null });
  });

  it("gives up after 5 redirects", async () => {
    routes.set("/loop", (_req, res) => res.writeHead(302, { location: "/loop" }).end());
    expect((await failure(fetcher.fetch(`${base}/loop`, {}, now))).message).toMatch(/more than 5 redirects/);
  });

  it("caps the body while streaming, compressed or not", async () => {
    routes.set("/big", (_req, res) => res.writeHead(200).end(Buffer.alloc(20_000, 0x20)));
    routes.set("/bomb", (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(5_000_000, 0x20))));
    expect((await failure(fetcher.fetch(`${base}/big`, {}, now))).kind).toBe("too-large");
    expect((await failure(fetcher.fetch(`${base}/bomb`, {}, now))).kind).toBe("too-large");
  });

  it("reads Retry-After on 429 and 503", async () => {
    routes.set("/busy", (_req, res) => res.writeHead(503, { "retry-after": "90" }).end());
    routes.set("/gone", (_req, res) => res.writeHead(410).end());
    expect(await failure(fetcher.fetch(`${base}/busy`, {}, now))).toMatchObject({ kind: "http", status: 503, retryAfterMs: 90_000 });
    expect(await failure(fetcher.fetch(`${base}/gone`, {}, now))).toMatchObject({ kind: "http", status: 410, retryAfterMs: null });
  });

  it("times out a server that never answers", async () => {
    routes.set("/hang", () => undefined);
    const quick = createFetcher({ timeout: 200, connectTimeout: 200, maxBytes: 1000, blockPrivate: false });
    try {
      expect((await failure(quick.fetch(`${base}/hang`, {}, now))).kind).toBe("timeout");
    } finally {
      await quick.close();
    }
  });

  it.each([
    ["before the headers", "/stop-head", (res: ServerResponse) => void res],
    ["while reading the body", "/stop-body", (res: ServerResponse) => res.writeHead(200).write("<rss><channel>")],
  ])("stops when the caller's signal aborts %s, with the signal's reason, not as the feed's failure", async (_when, route, answer) => {
    let arrived!: () => void;
    const request = new Promise<void>((r) => (arrived = r));
    routes.set(route, (_req, res) => {
      answer(res);
      arrived();
    });
    const stop = new AbortController();
    const reason = new Error("shutting down");
    const fetching = fetcher.fetch(`${base}${route}`, {}, now, { signal: stop.signal });
    await request;
    stop.abort(reason);
    await expect(fetching).rejects.toBe(reason);
  });

  it("fetches nothing when the signal is already aborted", async () => {
    const before = seen.length;
    const reason = new Error("shut down");
    await expect(fetcher.fetch(`${base}/big`, {}, now, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(seen.length).toBe(before);
  });

  it("refuses other schemes, link-local addresses, and loopback when private addresses are blocked", async () => {
    expect((await failure(fetcher.fetch("file:///etc/passwd", {}, now))).kind).toBe("refused");
    expect((await failure(fetcher.fetch("http://169.254.169.254/latest/meta-data/", {}, now))).kind).toBe("refused");
    routes.set("/to-metadata", (_req, res) => res.writeHead(302, { location: "http://[::ffff:169.254.169.254]/" }).end());
    expect((await failure(fetcher.fetch(`${base}/to-metadata`, {}, now))).kind).toBe("refused");
    const strict = createFetcher({ timeout: 1000, connectTimeout: 500, maxBytes: 1000, blockPrivate: true });
    try {
      // "localhost" goes through DNS: the check is on the resolved address.
      const port = new URL(base).port;
      expect((await failure(strict.fetch(`http://localhost:${port}/new`, {}, now))).kind).toBe("refused");
      expect((await failure(strict.fetch(`${base}/new`, {}, now))).kind).toBe("refused");
    } finally {
      await strict.close();
    }
  });
});

describe("refusals and network errors say it once", () => {
  it.each([
    ["/tmp/feed.xml", "a file path (/tmp/feed.xml)"],
    ["./feed.xml", "a file path (./feed.xml)"],
    ["file:///tmp/feed.xml", "file: URLs"],
    ["ftp://news.example.test/feed.xml", "ftp: URLs"],
    ["news.example.test/feed.xml", '"news.example.test/feed.xml", which is not a URL'],
  ])("refuses %s: only http(s) URLs are polled", async (url, what) => {
    const err = await failure(fetcher.fetch(url, {}, now));
    expect(err.kind).toBe("refused");
    expect(err.message).toBe(`feeds/fetch: only http(s) URLs are polled, not ${what}`);
  });

  it("names a refused connection without repeating its code", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(fetcher.fetch(`http://127.0.0.1:${port}/feed`, {}, now));
    expect(err.kind).toBe("network");
    expect(err.message).toBe(`feeds/fetch: http://127.0.0.1:${port}/feed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("joins a cause chain, each part once", () => {
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND news.example.test"), { code: "ENOTFOUND" });
    expect(errorText(dns)).toBe("getaddrinfo ENOTFOUND news.example.test");
    expect(errorText(new Error("fetch failed", { cause: dns }))).toBe("fetch failed: getaddrinfo ENOTFOUND news.example.test");
    expect(errorText(Object.assign(new Error("ENOTFOUND", { cause: dns }), { code: "ENOTFOUND" }))).toBe("getaddrinfo ENOTFOUND news.example.test");
    expect(errorText(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }))).toBe("UND_ERR_SOCKET other side closed");
    const tries = [new Error("connect ECONNREFUSED 127.0.0.1:1"), new Error("connect ECONNREFUSED ::1:1")];
    expect(errorText(Object.assign(new AggregateError(tries, ""), { code: "ECONNREFUSED" }))).toBe("connect ECONNREFUSED 127.0.0.1:1; connect ECONNREFUSED ::1:1");
    const loop: Error = new Error("outer");
    (loop as { cause?: unknown }).cause = loop;
    expect(errorText(loop)).toBe("outer");
    expect(errorText("plain text")).toBe("plain text");
  });
});
