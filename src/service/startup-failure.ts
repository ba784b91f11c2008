/**
 * The one message a failed start-up leaves on stderr. A problem the operator
 * can fix is said in one line with its causes and no stack: a StartupError or
 * ConfigError, a system error (EADDRINUSE, EACCES, ENOENT), or one of our
 * own errors, which name their area ("reference: cannot read …", STYLE.md).
 * Anything else is a bug, and keeps its stack for the report.
 */
import { ConfigError, StartupError } from "../errors.js";
import { redactText } from "../logger.js";
import { printable } from "../printable.js";

const OWN_MESSAGE = /^[a-z][\w.-]*(\/[\w.-]+)*: /;

export function startupFailureMessage(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (!(err instanceof Error)) return line(String(err));
  if (!isExpected(err)) return `newswatch: cannot start: ${printable(redactText(err.stack ?? err.message), { multiline: true })}`;
  return line(causes(err).join(": "));
}

const line = (text: string) => `newswatch: cannot start: ${printable(redactText(text))}`;

function isExpected(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return err instanceof StartupError || (typeof code === "string" && /^E[A-Z]+$/.test(code)) || OWN_MESSAGE.test(err.message);
}

/** The message, then each cause's that adds something. */
function causes(err: Error): string[] {
  const messages: string[] = [];
  let e: unknown = err;
  while (e instanceof Error && messages.length < 5) {
    const { message } = e;
    if (!messages.some((m) => m.includes(message))) messages.push(message);
    e = e.cause;
  }
  return messages;
}
