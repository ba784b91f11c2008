/**
 * The one pino root. Secrets never reach a log line: keys are redacted, and
 * every line passes `sanitizeLogLine` on its way out, which blanks the user
 * and password of any URL in it (message text, fields, error stacks alike)
 * and drops control characters that a feed could smuggle into a title or an
 * error. Call sites still redact what they log; the hook is the backstop for
 * text we do not write ourselves (library errors, job failure reasons).
 */
import { pino, type DestinationStream, type LogFn, type Logger } from "pino";
import { isControl, printable } from "./printable.js";

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
  "*.sentinelPassword",
  "config.redis.cluster.password",
  "config.redis.sentinel.password",
  "config.redis.sentinel.sentinelPassword",
];

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines via pino-pretty. @defaultValue true on a TTY, unless `destination` is given */
  pretty?: boolean;
  name?: string;
  /** Where the JSON lines go. @defaultValue stdout */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = !options.destination && (options.pretty ?? Boolean(process.stdout.isTTY));
  const config: pino.LoggerOptions = {
    name: options.name ?? "newswatch",
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACT, censor: "[redacted]" },
    hooks: {
      // A message is one line: a title with a line break cannot forge a second log line on a TTY.
      logMethod(args, method) {
        method.apply(this, args.map((a: unknown) => (typeof a === "string" ? printable(a) : a)) as Parameters<LogFn>);
      },
      streamWrite: sanitizeLogLine,
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

const SCHEME = String.raw`\b([a-z][a-z0-9+.-]*:[\\/]+)`;
/** scheme://userinfo@ in free text; the authority runs to the last @ before a space, / ? # (as a URL parser reads it). */
const USERINFO_IN_TEXT = new RegExp(`${SCHEME}([^\\s/\\\\?#]+)@`, "gi");
/** The same inside a JSON line: a quote ends the string, \x is one escaped character. */
const USERINFO_IN_JSON = new RegExp(`${SCHEME}((?:\\\\.|[^\\s/\\\\?#"])+)@`, "gi");

function blankUserinfo(_m: string, scheme: string, userinfo: string): string {
  if (userinfo.startsWith(":")) return `${scheme}:***@`;
  return `${scheme}${userinfo.includes(":") ? "***:***" : "***"}@`;
}

/** A URL as it may appear in a log or a table: user and password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password && !u.username) return url;
    if (u.password) u.password = "***";
    if (u.username) u.username = "***";
    return u.toString();
  } catch {
    return redactText(url);
  }
}

/**
 * Free text (an error message, a log line) with the user and password of
 * every URL in it replaced by ***: `https://ann:pw@host/x` → `https://***:***@host/x`,
 * `redis://:pw@host` → `redis://:***@host`. Text without credentials is returned as is.
 */
export function redactText(text: string): string {
  return text.replace(USERINFO_IN_TEXT, blankUserinfo);
}

/** One line fit to show in a table, an error line or stored state: URL credentials blanked, control characters removed. */
export function safeLine(text: string): string {
  return printable(redactText(text));
}

/**
 * The same error with its message and stack redacted (redactText), for an
 * error about to be stored as a job's failure reason or logged. Mutated in
 * place so that its class (UnrecoverableError …) still counts.
 */
export function redactError<T>(err: T): T {
  if (!(err instanceof Error)) return err;
  err.message = redactText(err.message);
  if (err.stack) err.stack = redactText(err.stack);
  return err;
}

/**
 * One serialised log line (JSON) made safe: URL credentials blanked, and
 * control characters other than \n and \t removed, whether JSON escapes them
 * (C0 as \u00XX, \b \f \r) or writes them raw (DEL, C1). Every backslash in
 * JSON starts an escape, so scanning escape by escape never splits one.
 */
export function sanitizeLogLine(line: string): string {
  return line
    .replace(USERINFO_IN_JSON, blankUserinfo)
    .replace(/\\(u[0-9a-fA-F]{4}|[^u])/g, (m, esc: string) => {
      if (esc === "b" || esc === "f" || esc === "r") return "";
      if (esc.length === 5) {
        const code = parseInt(esc.slice(1), 16);
        if (isControl(code) && code !== 0x09 && code !== 0x0a) return "";
      }
      return m;
    })
    .replace(/[\u007f-\u009f]/g, "");
}

/** Only scheme, host and port: webhook URLs often carry their secret in the path (Slack, Teams). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
