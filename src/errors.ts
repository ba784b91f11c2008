/** A configuration problem: names the file and every failing key path. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`config: ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = this.constructor.name;
  }
}
