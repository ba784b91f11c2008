/**
 * Feed dates as UTC milliseconds: RFC 822 and its common breakage (no
 * weekday, 2-digit years, no colon in the time, zone abbreviations, month
 * and day names in other languages), ISO 8601 (date-only, no zone, fractions),
 * "2020/1/10 14:28:00", Unix epochs. A date without a zone is taken as UTC.
 * Returns null for what is not a date ("a while ago") or is longer than
 * MAX_DATE_CHARS, never throws.
 */

// First letters of month names → month index, for the languages feeds are written in.
const MONTHS: [RegExp, number][] = [
  [/^(jan|ene|gen|janv|ιαν|янв)/, 0],
  [/^(feb|fev|fév|févr|φεβ|фев)/, 1],
  [/^(mar|mär|mrz|μαρ|мар)/, 2],
  [/^(apr|abr|avr|απρ|апр)/, 3],
  [/^(may|mai|mag|μα[ιΐ]|мая|май)/, 4],
  [/^(jun|juin|giu|ιουν|июн)/, 5],
  [/^(jul|juil|lug|ιουλ|июл)/, 6],
  [/^(aug|ago|août|aoû|αυγ|авг)/, 7],
  [/^(sep|set|sept|σεπ|сен)/, 8],
  [/^(oct|okt|out|ott|οκτ|окт)/, 9],
  [/^(nov|νο[εέ]|ноя)/, 10],
  [/^(dec|dez|déc|dic|δεκ|дек)/, 11],
];

const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, BST: 60, CET: 60, MET: 60, CEST: 120, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  IST: 330, SGT: 480, HKT: 480, AWST: 480, JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
};

function monthIndex(name: string): number | null {
  const n = name.toLowerCase().replace(/\.$/, "");
  for (const [re, i] of MONTHS) if (re.test(n)) return i;
  return null;
}

/** Minutes east of UTC, or null when the zone is not understood (then UTC is assumed). */
function zoneOffset(zone: string): number | null {
  const z = zone.trim().replace(/^\(|\)$/g, "");
  if (z === "") return 0;
  const num = /^(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?$/i.exec(z);
  if (num) return (num[1] === "-" ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3] ?? 0));
  const abbr = ZONES[z.toUpperCase().split(/\s/)[0] as string];
  return abbr ?? null;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length > 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMin: number): number | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo, d, h, mi, s) - offsetMin * 60_000;
  return Number.isFinite(t) ? t : null;
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/i;
const SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
// "[Weekday,] 3 Apr 2002 15:00[:00] [zone]", the time's colon optional ("1500").
const RFC822 = /^(?:[^\d\s,]+\.?,?\s+)?(\d{1,2})[\s-]+([^\s\d,.-]+)\.?,?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):?(\d{2})(?::?(\d{2}))?)?\s*(.*)$/u;
// "[Weekday,] Apr 3, 2002 15:00:00 zone" (month first).
const MONTH_FIRST = /^(?:[^\d\s,]+,?\s+)?([^\s\d,.]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/u;

/** Longer text is no date, and the patterns below are not run on it. */
export const MAX_DATE_CHARS = 256;

export function parseDate(input: string | null | undefined): number | null {
  const trimmed = (input ?? "").trim();
  if (trimmed === "" || trimmed.length > MAX_DATE_CHARS) return null;
  const s = trimmed.replace(/\s+/g, " ");
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,13}$/.test(s)) return Number(s);

  let m = ISO.exec(s);
  if (m) {
    const off = m[7] ? zoneOffset(m[7]) : 0;
    return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), off ?? 0);
  }
  m = SLASH.exec(s);
  if (m) return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), zoneOffset(m[7] ?? "") ?? 0);

  m = RFC822.exec(s);
  const mo = m ? monthIndex(m[2] as string) : null;
  if (m && mo !== null) {
    return utc(fullYear(m[3] as string), mo, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), zoneOffset(m[7] ?? "") ?? 0);
  }
  m = MONTH_FIRST.exec(s);
  const mo2 = m ? monthIndex(m[1] as string) : null;
  if (m && mo2 !== null) {
    return utc(Number(m[3]), mo2, Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), zoneOffset(m[7] ?? "") ?? 0);
  }
  return null;
}
