/** The one pino root. Secrets never reach a log line: keys are redacted and URLs lose their passwords. */
import { pino, type Logger } from "pino";

export type { Logger };

const REDACT = [
  "secret",
  "password",
  "*.secret",
  "*.password",
  "*.headers.authorization",
  "*.headers.Authorization",
  "config.alerts.webhooks[*].secret",
  "config.alerts.webhooks[*].headers",
  "config.alerts.email.smtp",
  "config.alerts.email.pass",
];

export function createLogger(options: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    name: options.name ?? "newswatch",
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACT, censor: "[redacted]" },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}

/** A URL as it may appear in a log: user and password removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    if (u.username) u.username = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}

/** Only scheme, host and port: webhook URLs often carry their secret in the path (Slack, Teams). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
