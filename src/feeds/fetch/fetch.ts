/**
 * The only module that fetches feeds. undici with keep-alive; redirects are
 * followed here (at most 5) so that a permanent one can update the stored
 * URL; the body is decompressed and capped while it streams, so a huge or
 * zip-bombed feed costs at most maxBytes of memory. What a status means is
 * response.ts's rule. A caller's abort signal (shutdown) ends the fetch with
 * the signal's reason, not a FeedError: stopping is not the feed's failure.
 */
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, request, type Dispatcher } from "undici";
import { errorText, FeedError } from "../errors.js";
import { refusedAddress, guardedLookup } from "./address-guard.js";
import { headerValue, responseOutcome, type FailedResponse } from "./response.js";
import { USER_AGENT } from "./user-agent.js";
import { coerceError } from "../../errors.js";

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

export interface FetchOptions {
  /** Aborts the fetch (redirects and body included) when the caller stops, e.g. on shutdown. */
  signal?: AbortSignal;
}

export interface Fetcher {
  fetch(url: string, conditional: Conditional, now: number, options?: FetchOptions): Promise<FetchResult>;
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
  const e = coerceError(err);
  if (e.name === "TimeoutError" || e.name === "AbortError" || /Timeout/.test(e.code ?? "")) return new FeedError("timeout", `feeds/fetch: ${url} timed out`, { cause: err });
  if (e.code === "EADDRREFUSED") return new FeedError("refused", e.message, { cause: err });
  return new FeedError("network", `feeds/fetch: ${url}: ${errorText(err)}`, { cause: err });
}

function httpError(url: string, res: FailedResponse): FeedError {
  const retryAfterMs = res.kind === "retry-later" ? res.retryAfterMs : null;
  return new FeedError("http", `feeds/fetch: ${url} answered HTTP ${res.status}`, { status: res.status, retryAfterMs });
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const agent = new Agent({
    connect: { timeout: options.connectTimeout, lookup: guardedLookup(options.blockPrivate) },
    keepAliveTimeout: 60_000,
    headersTimeout: options.timeout,
    bodyTimeout: options.timeout,
  });

  async function fetchFeed(url: string, conditional: Conditional, now: number, fetchOptions: FetchOptions = {}): Promise<FetchResult> {
    const stop = fetchOptions.signal;
    stop?.throwIfAborted();
    const timeout = AbortSignal.timeout(options.timeout);
    const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
    try {
      return await follow(url, conditional, now, signal);
    } catch (err) {
      if (stop?.aborted) throw stop.reason;
      throw err;
    }
  }

  async function follow(url: string, conditional: Conditional, now: number, signal: AbortSignal): Promise<FetchResult> {
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
      const outcome = responseOutcome(res.statusCode, res.headers, now);
      if (outcome.kind === "redirect") {
        await res.body.dump();
        if (hop === MAX_REDIRECTS) throw new FeedError("http", `feeds/fetch: ${url}: more than ${MAX_REDIRECTS} redirects`);
        permanent &&= outcome.permanent;
        current = new URL(outcome.location, current).toString();
        continue;
      }
      if (outcome.kind === "not-modified") {
        await res.body.dump();
        return { status: "not-modified", finalUrl: current, movedTo: movedTo() };
      }
      if (outcome.kind !== "ok") {
        await res.body.dump().catch(() => undefined);
        throw httpError(current, outcome);
      }
      const body = await readCapped(res.body as unknown as Readable, headerValue(res.headers, "content-encoding"), options.maxBytes, current);
      return {
        status: "ok",
        body,
        contentType: headerValue(res.headers, "content-type"),
        etag: headerValue(res.headers, "etag"),
        lastModified: headerValue(res.headers, "last-modified"),
        finalUrl: current,
        movedTo: movedTo(),
      };
    }
    throw new FeedError("http", `feeds/fetch: ${url}: more than ${MAX_REDIRECTS} redirects`);
  }

  return { fetch: fetchFeed, close: () => agent.close() };
}
