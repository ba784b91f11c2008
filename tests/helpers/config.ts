/** Config fixtures shared by tests. */
import { parseConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";

/** Where the config texts of tests claim to live (it is never read). */
export const TEST_CONFIG_FILE = "/etc/newswatch/test.yaml";

/** The problems a config text is refused with; throws when it is accepted. */
export function configProblems(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, TEST_CONFIG_FILE, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

/** A small two-sided topic in YAML, with the given `frame:` or `keywords:` line (indented by the caller's choice). */
export function testTopicYaml(vocabulary: string): string {
  return `topics:
  - id: test-pact
    name: Ruritania–Freedonia defence
    actors:
      - { side: Ruritania, entities: [{ name: Ruritania, type: country }] }
      - { side: Freedonia, entities: [{ name: Freedonia, type: country }] }
    ${vocabulary}
`;
}
