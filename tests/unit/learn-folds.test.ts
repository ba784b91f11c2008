/** Event-held-out folds: an event never straddles two folds. */
import { describe, expect, it } from "vitest";
import { eventFolds, groupOf } from "../../src/learn/folds.js";

const items = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, event: "2024-01-01-big-event" })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: `b${i}`, event: "2024-02-01-mid-event" })),
  ...Array.from({ length: 9 }, (_, i) => ({ id: `c${i}`, event: null })),
  { id: "d0", event: "2024-03-01-small" },
  { id: "d1", event: "2024-03-01-small" },
];

describe("eventFolds", () => {
  it("keeps every item of an event in one fold", () => {
    const folds = eventFolds(items, 3);
    const foldOf = new Map<string, Set<number>>();
    items.forEach((item, i) => foldOf.set(groupOf(item), (foldOf.get(groupOf(item)) ?? new Set()).add(folds[i] ?? -1)));
    for (const set of foldOf.values()) expect(set.size).toBe(1);
  });

  it("is the same in any order of the items", () => {
    const folds = eventFolds(items, 3);
    const reversed = [...items].reverse();
    const again = eventFolds(reversed, 3);
    items.forEach((item, i) => expect(again[reversed.indexOf(item)]).toBe(folds[i]));
  });

  it("balances fold sizes", () => {
    const sizes = [0, 0, 0];
    for (const f of eventFolds(items, 3)) sizes[f] = (sizes[f] ?? 0) + 1;
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });

  it("says when the groups cannot fill the folds", () => {
    expect(() => eventFolds(items.slice(0, 6), 2)).toThrow(/1 event group\(s\) cannot fill 2 folds/);
    expect(() => eventFolds(items, 1)).toThrow(/at least 2 folds/);
  });
});
