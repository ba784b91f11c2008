import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

async function run(input: string) {
  const result = await runCli(["dedupe"], { input });
  return { ...result, lines: result.out.trim().split("\n").map((l) => JSON.parse(l) as { id: string; dedupe: Record<string, unknown> }) };
}

const line = (id: string, title: string, description: string, published: string, source: string) =>
  JSON.stringify({ id, title, description, published, source, link: `https://example.test/${id}` });

describe("newswatch dedupe", () => {
  it("adds a verdict to every line: new, copies, other wordings of the event, the reference event", async () => {
    const { code, lines, err } = await run(
      [
        line("a", "Chinese frigates dock at Bandar Abbas for joint drills with Iran", "Two Chinese frigates arrived at Bandar Abbas for a week of joint naval drills with the Iranian navy, officials said.", "2031-09-01", "Wire One"),
        line("b", "Chinese frigates dock at Bandar Abbas for joint drills with Iran - report", "Two Chinese frigates arrived at Bandar Abbas for a week of joint naval drills with the Iranian navy, officials said.", "2031-09-01", "Paper Two"),
        line("c", "Iran and China begin naval exercise off Bandar Abbas", "The Iranian navy and visiting Chinese frigates started a week-long drill near the port of Bandar Abbas.", "2031-09-02", "Site Three"),
        line("d", "Iran holds talks with China on oil exports", "Iranian and Chinese trade officials discussed crude sales in Beijing.", "2031-09-02", "Paper Two"),
        line("e", "Wei Fenghe meets Raisi in Tehran", "China's defense minister Wei Fenghe met President Ebrahim Raisi and Iran's defense minister Ashtiani to discuss closer military cooperation.", "2022-04-27", "Agency Four"),
      ].join("\n"),
    );
    expect(code).toBe(0);
    expect(lines.map((l) => [l.id, l.dedupe.verdict])).toEqual([
      ["a", "new"],
      ["b", "duplicate"],
      ["c", "same-event"],
      ["d", "new"],
      ["e", "known-event"],
    ]);
    const first = lines[0]?.dedupe.cluster;
    expect(lines[1]?.dedupe).toMatchObject({ cluster: first, alsoReportedBy: ["Wire One"] });
    expect(lines[2]?.dedupe).toMatchObject({ cluster: first, of: null });
    expect(lines[2]?.dedupe.entities).toContain("Bandar Abbas");
    expect(lines[4]?.dedupe).toMatchObject({ cluster: "iran-china-military-cooperation-2022-04-27", knownEvent: "iran-china-military-cooperation-2022-04-27" });
    expect(err).toMatch(/2 new, 1 duplicate, 1 same-event, 1 known-event/);
  });
});
