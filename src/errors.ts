/** A configuration problem: names the file and every failing key path, with its line where the YAML has one. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    /** `key.path: what is wrong`, one per problem. */
    readonly problems: string[],
    /** Where each problem is (`file:line:col`), when known; same order as `problems`. */
    readonly locations: readonly (string | undefined)[] = [],
  ) {
    super(`config: ${file}:\n${problems.map((p, i) => `  - ${locations[i] ? `${locations[i]}: ` : ""}${p}`).join("\n")}`);
    this.name = this.constructor.name;
  }

  /** Each problem on a line of its own, prefixed with its place: `config/x.yaml:12:3: feeds[0].intervall: …`. */
  get lines(): string[] {
    return this.problems.map((p, i) => (this.locations[i] ? `${this.locations[i]}: ${p}` : `${this.file}: ${p}`));
  }
}

/**
 * A start-up problem the operator can fix (a flag, a setting, a program to
 * install): `newswatch run` reports it as one line, without a stack, and exits 1.
 */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

/** Any thrown value as an Error (a thrown string or object becomes its message), so catch blocks need no cast. */
export function coerceError(value: unknown): Error & { code?: string } {
  if (value instanceof Error) return value;
  if (typeof value === "string") return new Error(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return new Error(`non-error thrown: ${text}`, { cause: value });
}
