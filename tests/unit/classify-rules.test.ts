/**
 * One case per rule, with sentences written for these tests (never taken
 * from the eval set): positives of each relation kind and the hard negatives
 * that name both countries.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { classifyStory } from "../../src/classify/classify.js";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";

let topics: TopicSection[];
beforeAll(() => {
  topics = loadConfig(DEFAULT_CONFIG_PATH, {}).config.topics;
});
const classify = (title: string, description = "") => classifyStory({ title, description }, topics, { ner: false });

describe("on topic, one relation kind each", () => {
  it.each([
    ["visit-or-talks", "Chinese defence minister arrives in Tehran for talks with Iranian counterpart", "The two men discussed training and joint planning."],
    ["joint-exercise", "Iranian and Chinese navies begin a week of joint naval drills near Jask", "Frigates from both fleets will practise convoy escort."],
    ["arms-transfer", "Beijing to sell J-10 fighter jets to Tehran, officials say", "The order would be Iran's first new combat aircraft in decades."],
    ["sanctions-enforcement", "Treasury sanctions three Chinese companies for selling UAV engines to Iran", "The firms shipped engines to an Iranian drone maker."],
    ["denial", "China denies shipping air defence radars to Iran", "A spokesperson called the report fabricated."],
    ["technology-switch", "Iran's armed forces to switch from GPS to China's BeiDou", "Officials cited jamming during recent fighting."],
  ])("%s", (relation, title, description) => {
    const c = classify(title, description);
    expect(c.relevant).toBe(true);
    expect(c.relation).toBe(relation);
    expect(c.score).toBeGreaterThanOrEqual(0.5);
    expect(c.evidence).not.toBeNull();
  });

  it("needs no military word when a defense chief is named", () => {
    expect(classify("Wei Fenghe and Raisi praise strategic partnership").relevant).toBe(true);
  });

  it("counts Chinese systems as naming China", () => {
    const c = classify("Iranian air force inspects HQ-9 batteries");
    expect(c.reasons.some((r) => r.startsWith("China: ") && r.includes("HQ-9"))).toBe(true);
  });
});

describe("hard negatives that name both countries", () => {
  it.each([
    ["oil trade", "China buys record volumes of Iranian crude despite sanctions", "Tankers unloaded at Shandong refineries as imports rose."],
    ["refinery sanctions", "US sanctions Chinese refinery over Iranian oil purchases", "The Treasury said the refinery processed crude from Iran's shadow fleet."],
    ["diplomacy", "Beijing condemns strikes on Iran and calls for ceasefire", "The foreign ministry spokesperson urged restraint from all sides."],
    ["brokered deal", "China-brokered deal restores Saudi-Iran diplomatic ties", "Embassies will reopen within two months."],
    ["UN vote", "Russia and China block UN resolution on Iran arms embargo", "The Security Council vote failed to pass."],
    ["third parties", "Iran-backed Houthis fire missiles at Chinese-owned tanker in Red Sea", "The vessel was not damaged."],
    ["cyber", "Hackers linked to Iran, China and Russia used AI tools, Microsoft says", "Groups tied to military intelligence were banned."],
    ["carrier movement", "US carrier leaves the South China Sea for the Gulf as Iran tensions rise", "The strike group had trained with allies."],
    ["membership", "Iran becomes full member of the China-led security bloc", "Membership was approved at the heads of state summit."],
  ])("%s", (_family, title, description) => {
    const c = classify(title, description);
    expect(c.relevant).toBe(false);
    expect(c.score).toBeLessThan(0.5);
  });

  it.each([
    ["Iran only", "Iran test-fires a new ballistic missile", "The Revolutionary Guards showed the launch on state TV."],
    ["China only", "PLA Navy holds live-fire drills around Taiwan", "Destroyers and fighter jets took part."],
    ["Iran and Russia", "Russia and Iran sign a defence treaty in Moscow", "The pact covers military cooperation."],
  ])("%s: a missing side is never on topic", (_family, title, description) => {
    const c = classify(title, description);
    expect(c.relevant).toBe(false);
    expect(c.reasons[0]).toMatch(/^not named: /);
    expect(c.evidence).toBeNull();
  });
});

describe("structure", () => {
  it("weighs a frame term beside both sides above the same term elsewhere", () => {
    const near = classify("Iran and China hold naval exercise", "Officials spoke on Monday.");
    const far = classify("Iran and China hold talks", "Separately, a naval exercise took place off Africa.");
    expect(near.score).toBeGreaterThan(far.score);
  });

  it("weighs a context against the topic more in the evidence sentence", () => {
    const inEvidence = classify("Iran and China discuss military cooperation and oil");
    const elsewhere = classify("Iran and China discuss military cooperation", "Oil prices rose in Asia.");
    expect(inEvidence.score).toBeLessThan(elsewhere.score);
  });

  it("does not count a frame word inside a context phrase against the topic", () => {
    const c = classify("China opposes Iran arms embargo");
    expect(c.reasons.some((r) => r.startsWith("frame.weapons"))).toBe(false);
  });

  it("names the evidence sentence that carries the relation", () => {
    const c = classify("Gulf states watch closely", "Crowds gathered at the harbour. Chinese destroyers docked at Bandar Abbas ahead of drills with Iran's navy. More ships are due.");
    expect(c.evidence).toBe("Chinese destroyers docked at Bandar Abbas ahead of drills with Iran's navy.");
    expect(c.relevant).toBe(true);
  });

  it("explains every decision with the matched terms", () => {
    const c = classify("Chinese frigates join Iranian navy drill");
    expect(c.reasons.join("\n")).toMatch(/frame\.sea-platforms\.near: .*"frigates" \(\+\d\.\d\d\)/);
    expect(c.reasons.at(-1)).toMatch(/^score 0\.\d{3} ≥ threshold 0\.\d+ \(headline alone\)$/);
  });

  it("is deterministic", () => {
    const text = "Iran and China sign defence pact";
    expect(classify(text)).toEqual(classify(text));
  });
});

describe("relation cues", () => {
  it("a joint training visit is not an arms transfer", () => {
    const c = classify("Iranian navy commander visits Beijing", "He met PLA Navy officers to discuss joint training and port calls.");
    expect(c.relevant).toBe(true);
    expect(c.relation).not.toBe("arms-transfer");
  });

  it("a cargo of missile propellant is an arms transfer, though it 'arrives'", () => {
    const c = classify("Chinese freighter with missile propellant cargo arrives at Iranian port", "The ship carried chemicals used in solid rocket fuel for Iran's missile program.");
    expect(c.relevant).toBe(true);
    expect(c.relation).toBe("arms-transfer");
  });

  it("an off-topic story names no relation", () => {
    const c = classify("China and Iran sign a deal on oil refineries and railways", "The agreement covers investment in ports and trade.");
    expect(c.relevant).toBe(false);
    expect(c.relation).toBeNull();
  });
});
