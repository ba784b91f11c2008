/**
 * Text from outside (feed titles, error messages that quote a feed, Redis
 * replies) must not drive the terminal it is printed on: an ESC or a C1 CSI
 * can move the cursor, rewrite earlier lines or set the window title. Every
 * such string goes through `printable` before a table or an error line shows
 * it (logger.ts `safeLine` when it may also quote a URL with credentials),
 * and JSON for a terminal through `jsonLine`.
 */

// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const BREAKS = /[\t\n\v\f\r\u0085]+/g;

export interface PrintableOptions {
  /** Keep \n and \t, for a block meant to span lines (a stack, a list of problems). @defaultValue false */
  multiline?: boolean;
}

/**
 * The string without control characters. On one line (the default), line
 * breaks and tabs become one space, so a table cell or a log message stays
 * one line; with `multiline`, \n and \t are kept and \r is dropped (it would
 * overwrite the start of the line).
 */
export function printable(s: string, options: PrintableOptions = {}): string {
  if (options.multiline) return s.replace(CONTROL_BUT_LINES, "");
  return s.replace(BREAKS, " ").replace(CONTROL, "");
}

/** True for a C0, DEL or C1 code point. */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 but writes DEL and C1 raw;
 * they are escaped here too, so the line still means the same to a JSON reader.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
