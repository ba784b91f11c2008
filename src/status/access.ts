/**
 * Who may see the status page and Bull Board, and which POSTs count.
 *
 * - No token configured (the config allows that only on a loopback address):
 *   the request's Host must name this machine too, so a web page whose domain
 *   resolves to 127.0.0.1 (DNS rebinding) cannot read the page or retry jobs.
 * - A token configured: every request must carry it, as `Authorization:
 *   Bearer …` or as a cookie set by opening `/?token=…` once. The cookie holds
 *   an HMAC of the token, not the token, so any process with the same config
 *   accepts it and a leaked cookie does not reveal the token.
 * - An unsafe request (POST, PUT, DELETE) must come from this origin (Origin,
 *   else Sec-Fetch-Site, when the client sends them), and the status page's
 *   forms also carry a CSRF token: an HMAC, under a per-process secret, of a
 *   random session cookie. The cookies are HttpOnly and SameSite=Strict, so
 *   another site can neither read them nor make the browser send them.
 */
import { createHmac, randomBytes, timingSafeEqual, createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isLoopbackHost } from "../config/sections/metrics.js";

const AUTH_COOKIE = "nw_status";
export const SESSION_COOKIE = "nw_session";

export type AccessResult =
  | { ok: true }
  /** A good `?token=`: set this cookie and send the browser to the same URL without the token. */
  | { ok: true; setCookie: string; location: string }
  | { ok: false; status: 401 | 403; message: string };

/** Equal strings, compared in time that does not depend on where they differ (or on their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function cookie(name: string, value: string): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict`;
}

/** What the auth cookie holds for a token. */
export function authCookieValue(token: string): string {
  return createHmac("sha256", token).update("newswatch status session").digest("base64url");
}

/** The Host header's name without its port. */
function hostName(host: string | undefined): string {
  if (host === undefined) return "";
  const v6 = /^\[([^\]]*)\]/.exec(host);
  return v6 ? (v6[1] ?? "") : host.replace(/:\d+$/, "");
}

export function checkAccess(url: URL, headers: IncomingHttpHeaders, token: string | undefined): AccessResult {
  if (token === undefined) {
    if (isLoopbackHost(hostName(headers.host))) return { ok: true };
    return { ok: false, status: 403, message: "status: this server answers only to a loopback host name; set metrics.token to serve it under others\n" };
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
  if (bearer !== undefined && sameSecret(bearer, token)) return { ok: true };
  const fromCookie = parseCookies(headers.cookie).get(AUTH_COOKIE);
  if (fromCookie !== undefined && sameSecret(fromCookie, authCookieValue(token))) return { ok: true };
  const fromQuery = url.searchParams.get("token");
  if (fromQuery !== null && sameSecret(fromQuery, token)) {
    const clean = new URL(url);
    clean.searchParams.delete("token");
    return { ok: true, setCookie: cookie(AUTH_COOKIE, authCookieValue(token)), location: clean.pathname + clean.search };
  }
  return { ok: false, status: 401, message: "status: a token is required (Authorization: Bearer, or open /?token=… once)\n" };
}

/** False when a browser says the request comes from another origin; clients that send neither header pass (the CSRF token still applies to forms). */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const { origin, host } = headers;
  if (origin !== undefined) return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  const site = headers["sec-fetch-site"];
  return site === undefined || site === "same-origin";
}

export interface Csrf {
  /** The form token for a session value. */
  issue(session: string): string;
  verify(session: string, token: string): boolean;
}

/** A fresh secret per process: a restart makes open pages' forms stale, which a reload mends. */
export function createCsrf(secret: Buffer = randomBytes(32)): Csrf {
  const issue = (session: string) => createHmac("sha256", secret).update(`csrf:${session}`).digest("base64url");
  return { issue, verify: (session, token) => session.length > 0 && sameSecret(token, issue(session)) };
}

export function newSession(): string {
  return randomBytes(18).toString("base64url");
}
