/**
 * The status page's routes on the metrics server: `/` (the page), its
 * stylesheet, `POST /retry` (a failed delivery back to the queue) and Bull
 * Board under `/queues`. Every route checks access first (access.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger.js";
import { redactText } from "../logger.js";
import { retryFailedJobs } from "../queues/failed-jobs.js";
import { checkAccess, cookie, createCsrf, newSession, parseCookies, sameOrigin, SESSION_COOKIE } from "./access.js";
import { BULL_BOARD_PATH, createBullBoardHandler } from "./bull-board.js";
import { readStatus, type StatusSource } from "./data.js";
import { renderStatusPage, STYLESHEET_PATH } from "./page.js";
import { STATUS_CSS } from "./style.js";
import { coerceError } from "../errors.js";

export interface StatusRoutesOptions extends StatusSource {
  log: Logger;
}

/**
 * Nothing loads from elsewhere, nothing runs, nothing frames the page, and forms post only here.
 * The referrer policy is same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the Retry POST.
 */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/** Job ids are hashes; anything else in the notice parameter is not ours and is not shown. */
const JOB_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_FORM_BYTES = 4096;

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", ...headers }).end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let body = "";
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString("utf8");
    if (body.length > MAX_FORM_BYTES) return null;
  }
  return new URLSearchParams(body);
}

function notice(url: URL): string | null {
  const retried = url.searchParams.get("retried");
  if (retried !== null && JOB_ID.test(retried)) return `Delivery ${retried} is queued again.`;
  const gone = url.searchParams.get("notfailed");
  if (gone !== null && JOB_ID.test(gone)) return `Delivery ${gone} was no longer failed; nothing to retry.`;
  return null;
}

/** Returns a handler that answers every request outside /metrics and /healthz. */
export function createStatusRoutes(options: StatusRoutesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const csrf = createCsrf();
  const bullBoard = createBullBoardHandler(options.queues);

  async function page(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let session = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const headers: Record<string, string | string[]> = { ...PAGE_HEADERS, "content-type": "text/html; charset=utf-8" };
    if (session === undefined || session.length === 0) {
      session = newSession();
      headers["set-cookie"] = cookie(SESSION_COOKIE, session);
    }
    const view = await readStatus(options);
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : renderStatusPage(view, { csrf: csrf.issue(session), notice: notice(url) }));
  }

  async function retry(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!sameOrigin(req.headers)) return text(res, 403, "status: the request came from another site\n");
    const form = await readForm(req);
    const session = parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? "";
    if (form === null || !csrf.verify(session, form.get("csrf") ?? "")) return text(res, 403, "status: the form is stale or not from this page; reload the page and try again\n");
    const id = form.get("id") ?? "";
    if (!JOB_ID.test(id)) return text(res, 400, "status: no such delivery\n");
    const result = await retryFailedJobs(options.queues.alert, [id]);
    options.log.info({ jobId: id, retried: result.retried.length > 0 }, "status: retry of a failed delivery requested");
    res.writeHead(303, { location: `/?${result.retried.length > 0 ? "retried" : "notfailed"}=${id}#failed` }).end();
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://status.invalid");
    const access = checkAccess(url, req.headers, options.config().metrics.token);
    if (!access.ok) return text(res, access.status, access.message, access.status === 401 ? { "www-authenticate": "Bearer" } : {});
    if ("location" in access) {
      res.writeHead(303, { location: access.location, "set-cookie": access.setCookie, "cache-control": "no-store" }).end();
      return;
    }
    const safe = req.method === "GET" || req.method === "HEAD";
    try {
      if (url.pathname === BULL_BOARD_PATH || url.pathname.startsWith(`${BULL_BOARD_PATH}/`)) {
        if (!safe && !sameOrigin(req.headers)) return text(res, 403, "status: the request came from another site\n");
        return bullBoard(req, res);
      }
      if (url.pathname === "/" && safe) return await page(req, res, url);
      if (url.pathname === STYLESHEET_PATH && safe) return text(res, 200, STATUS_CSS, { "content-type": "text/css; charset=utf-8", "cache-control": "private, max-age=300" });
      if (url.pathname === "/retry" && req.method === "POST") return await retry(req, res);
      // Browsers ask for it on every page; there is none, and a 404 would show as an error in their console.
      if (url.pathname === "/favicon.ico") return void res.writeHead(204).end();
      text(res, 404, "not found\n");
    } catch (err) {
      const message = redactText(coerceError(err).message);
      options.log.warn({ err: message, path: url.pathname }, "status: request failed");
      if (!res.headersSent) text(res, 503, `status: cannot read the pipeline state: ${message}\n`);
      else res.end();
    }
  };
}
