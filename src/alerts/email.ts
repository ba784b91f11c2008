/**
 * Email delivery over pooled SMTP (nodemailer). `smtps://` connects with TLS;
 * `smtp://` upgrades with STARTTLS when the server offers it (`requireTLS`
 * makes that mandatory). The Message-ID is the idempotency key: stable per
 * story (or digest window) and recipient list. SMTP 4xx and network errors
 * are retried; 5xx replies fail at once.
 */
import { UnrecoverableError } from "bullmq";
import { createTransport, type Transporter } from "nodemailer";
import type { EmailChannel } from "../config/sections/alerts.js";
import { hashId } from "../ids.js";
import { redactUrl } from "../logger.js";
import { RetryableError } from "./retry.js";

export type Mailer = Transporter;

export function createMailer(channel: EmailChannel): Mailer {
  const url = new URL(channel.smtp);
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new Error(`alerts/email: smtp must be smtp:// or smtps://, got ${url.protocol}`);
  const user = channel.user ?? decodeURIComponent(url.username);
  const pass = channel.pass ?? decodeURIComponent(url.password);
  return createTransport({
    pool: true,
    maxConnections: channel.maxConnections,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: channel.requireTLS,
    auth: user ? { user, pass } : undefined,
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

export async function sendMail(mailer: Mailer, channel: EmailChannel, name: string, id: string, content: MailContent): Promise<string> {
  const where = `alerts/email: ${name} (${redactUrl(channel.smtp)})`;
  try {
    const info = (await mailer.sendMail({ from: channel.from, to: channel.to, messageId: id, ...content })) as { response?: string };
    return `SMTP ${info.response ?? "accepted"}`;
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    const message = `${where}: ${(err as Error).message}`;
    if (code !== undefined && code >= 500) throw new UnrecoverableError(`${message} (SMTP ${code}, not retried)`);
    throw new RetryableError(code === undefined ? message : `${message} (SMTP ${code})`, { cause: err });
  }
}
