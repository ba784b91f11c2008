/**
 * Email delivery over pooled SMTP (nodemailer). `smtps://` connects with TLS;
 * `smtp://` upgrades with STARTTLS when the server offers it, and must when
 * `requireTLS` is on — which it is by default whenever credentials are set,
 * since AUTH over a connection that stayed in cleartext gives the password
 * to anyone on the path (or to whoever strips STARTTLS from the greeting).
 * An explicit `requireTLS: false` allows it, e.g. for a local relay. A
 * server that will not do TLS then fails the send at once, not retried: it
 * is a configuration problem. The Message-ID is the idempotency key: stable
 * per story (or digest window) and recipient list. SMTP 4xx and network
 * errors are retried; 5xx replies fail at once.
 */
import { UnrecoverableError } from "bullmq";
import { createTransport, type Transporter } from "nodemailer";
import type { EmailChannel } from "../config/sections/alerts.js";
import { hashId } from "../ids.js";
import { redactUrl } from "../logger.js";
import { RetryableError } from "./retry.js";
import { coerceError } from "../errors.js";

export type Mailer = Transporter;

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (`smtps://`). */
  secure: boolean;
  /** STARTTLS is mandatory (only meaningful when not `secure`). */
  requireTLS: boolean;
  auth: { user: string; pass: string } | undefined;
}

/** What the channel's URL and options mean for the connection; credentials make TLS mandatory unless `requireTLS: false`. */
export function smtpSettings(channel: Pick<EmailChannel, "smtp" | "user" | "pass" | "requireTLS">): SmtpSettings {
  const url = new URL(channel.smtp);
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new Error(`alerts/email: smtp must be smtp:// or smtps://, got ${url.protocol}`);
  const user = channel.user ?? decodeURIComponent(url.username);
  const pass = channel.pass ?? decodeURIComponent(url.password);
  const auth = user ? { user, pass } : undefined;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && (channel.requireTLS ?? Boolean(user || pass)),
    auth,
  };
}

export function createMailer(channel: EmailChannel): Mailer {
  const { host, port, secure, requireTLS, auth } = smtpSettings(channel);
  return createTransport({
    pool: true,
    maxConnections: channel.maxConnections,
    host,
    port,
    secure,
    requireTLS,
    auth,
    connectionTimeout: channel.timeout,
    greetingTimeout: channel.timeout,
    socketTimeout: channel.timeout * 4,
  });
}

/** `<hash@sender-domain>`: the same for every try of one story (or digest window) to one recipient list. */
export function messageId(channel: EmailChannel, identity: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(channel.from)?.[1] ?? "newswatch.invalid";
  return `<${hashId(identity, ...[...channel.to].sort())}@${domain}>`;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const TLS_HINT =
  "; requireTLS is on (the default with credentials), so neither the credentials nor the mail were sent in cleartext: " +
  "use smtps://, a server that offers STARTTLS, or requireTLS: false to allow cleartext";

/**
 * `work`, or the signal's abort, whichever comes first. A pooled SMTP send
 * cannot be cancelled by itself; the caller stops waiting, and closing the
 * pool (the stage's close, after its worker's) ends the connection.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

export async function sendMail(mailer: Mailer, channel: EmailChannel, name: string, id: string, content: MailContent, signal?: AbortSignal): Promise<string> {
  const where = `alerts/email: ${name} (${redactUrl(channel.smtp)})`;
  try {
    const info = (await untilAborted(mailer.sendMail({ from: channel.from, to: channel.to, messageId: id, ...content }), signal)) as { response?: string };
    return `SMTP ${info.response ?? "accepted"}`;
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    const refusedTls = coerceError(err).code === "ETLS" && smtpSettings(channel).requireTLS;
    const message = `${where}: ${coerceError(err).message}${refusedTls ? TLS_HINT : ""}`;
    if (code !== undefined && code >= 500) throw new UnrecoverableError(`${message} (SMTP ${code}, not retried)`);
    throw new RetryableError(code === undefined ? message : `${message} (SMTP ${code})`, { cause: err });
  }
}
