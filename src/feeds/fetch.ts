/**
 * The only module that fetches feeds. undici with keep-alive; redirects are
 * followed here (at most 5) so that a permanent one can update the stored
 * URL; the body is decompressed and capped while it streams, so a huge or
 * zip-bombed feed costs at most maxBytes of memory.
 */
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, request, type Dispatcher } from "undici";
import { refusedAddress, guardedLookup } from "./address-guard.js";
import { errorText, FeedError } from "./errors.js";
import { retryAfterMs } from "./retry-after.js";
import { USER_AGENT } from "./user-agent.js";

export interface FetcherOptions {
  /** Total time for one fetch, redirects included. */
  timeout: number;
  connectTimeout: number;
  maxBytes: number;
  blockPrivate: boolean;
}

export interface Conditional {
  etag?: string | null;
  lastModified?: string | null;
}

interface Common {
  /** The URL that answered, after redirects. */
  finalUrl: string;
  /** Set when every redirect on the way was permanent (301/308): the feed's new address. */
  movedTo: string | null;
}
export type FetchResult =
  | (Common & { status: "not-modified" })
  | (Common & { status: "ok"; body: Uint8Array; contentType: string | null; etag: string | null; lastModified: string | null });

export interface Fetcher {
  fetch(url: string, conditional: Conditional, now: number): Promise<FetchResult>;
  close(): Promise<void>;
}

const MAX_REDIRECTS = 5;

/** `user:password@` in a feed URL as a Basic Authorization header for that URL's origin (undici does not send them). */
function basicAuth(url: string): { origin: string; header: string } | null {
  // Not a URL: checkUrl refuses it, with the reason.
  const u = URL.canParse(url) ? new URL(url) : null;
  if (!u || (!u.username && !u.password)) return null;
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return { origin: u.origin, header: `Basic ${Buffer.from(pair).toString("base64")}` };
}

function header(h: Dispatcher.ResponseData["headers"], name: string): string | null {
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** What a URL that is not http(s) is, for the refusal: "file: URLs", "a file path (…)". */
function notHttp(url: string, parsed: URL | null): string {
  if (parsed) return `${parsed.protocol} URLs`;
  return /^(\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(url) ? `a file path (${url})` : `"${url}", which is not a URL`;
}

function checkUrl(url: string, blockPrivate: boolean): URL {
  const u = URL.canParse(url) ? new URL(url) : null;
  if (u?.protocol !== "http:" && u?.protocol !== "https:") throw new FeedError("refused", `feeds/fetch: only http(s) URLs are polled, not ${notHttp(url, u)}`);
  // An IP literal never reaches the DNS lookup, so it is checked here.
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const reason = isIP(host) ? refusedAddress(host, blockPrivate) : null;
  if (reason) throw new FeedError("refused", `feeds/fetch: refused ${url}: ${reason}`);
  return u;
}

async function readCapped(body: Readable, encoding: string | null, maxBytes: number, url: string): Promise<Uint8Array> {
  const enc = encoding?.trim().toLowerCase();
  const stream =
    enc === "gzip" || enc === "x-gzip" ? body.pipe(createGunzip()) : enc === "deflate" ? body.pipe(createInflate()) : enc === "br" ? body.pipe(createBrotliDecompress()) : body;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        throw new FeedError("too-large", `feeds/fetch: ${url} is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FeedError) throw err;
    throw new FeedError("network", `feeds/fetch: reading ${url} failed: ${errorText(err)}`, { cause: err });
  }
  return Buffer.concat(chunks, size);
}

function networkError(url: string, err: unknown): FeedError {
  const e = err as Error & { code?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError" || /Timeout/.test(e.code ?? "")) return new FeedError("timeout", `feeds/fetch: ${url} timed out`, { cause: err });
  if (e.code === "EADDRREFUSED") return new FeedError("refused", e.message, { cause: err });
  return new FeedError("network", `feeds/fetch: ${url}: ${errorText(err)}`, { cause: err });
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const agent = new Agent({
    connect: { timeout: options.connectTimeout, lookup: guardedLookup(options.blockPrivate) },
    keepAliveTimeout: 60_000,
    headersTimeout: options.timeout,
    bodyTimeout: options.timeout,
  });

  async function fetchFeed(url: string, conditional: Conditional, now: number): Promise<FetchResult> {
    const signal = AbortSignal.timeout(options.timeout);
    const auth = basicAuth(url);
    let current = url;
    let permanent = true;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkUrl(current, options.blockPrivate);
      const target = new URL(current);
      const headers: Record<string, string> = {
        "user-agent": USER_AGENT,
        accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
        "accept-encoding": "gzip, deflate, br",
      };
      if (conditional.etag) headers["if-none-match"] = conditional.etag;
      if (conditional.lastModified) headers["if-modified-since"] = conditional.lastModified;
      // Credentials go only to the origin they were given for, never to where it redirects.
      if (auth && target.origin === auth.origin) headers.authorization = auth.header;
      target.username = "";
      target.password = "";
      let res: Dispatcher.ResponseData;
      try {
        res = await request(target.toString(), { dispatcher: agent, headers, signal });
      } catch (err) {
        throw networkError(current, err);
      }
      const movedTo = () => (permanent && current !== url ? current : null);
      const location = header(res.headers, "location");
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && location) {
        await res.body.dump();
        if (hop === MAX_REDIRECTS) throw new FeedError("http", `feeds/fetch: ${url}: more than ${MAX_REDIRECTS} redirects`);
        permanent &&= res.statusCode === 301 || res.statusCode === 308;
        current = new URL(location, current).toString();
        continue;
      }
      if (res.statusCode === 304) {
        await res.body.dump();
        return { status: "not-modified", finalUrl: current, movedTo: movedTo() };
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump().catch(() => undefined);
        const wait = res.statusCode === 429 || res.statusCode === 503 ? retryAfterMs(header(res.headers, "retry-after"), now) : null;
        throw new FeedError("http", `feeds/fetch: ${current} answered HTTP ${res.statusCode}`, { status: res.statusCode, retryAfterMs: wait });
      }
      const body = await readCapped(res.body as unknown as Readable, header(res.headers, "content-encoding"), options.maxBytes, current);
      return {
        status: "ok",
        body,
        contentType: header(res.headers, "content-type"),
        etag: header(res.headers, "etag"),
        lastModified: header(res.headers, "last-modified"),
        finalUrl: current,
        movedTo: movedTo(),
      };
    }
    throw new FeedError("http", `feeds/fetch: ${url}: more than ${MAX_REDIRECTS} redirects`);
  }

  return { fetch: fetchFeed, close: () => agent.close() };
}
