/**
 * A synthetic news stream: 2% of items are Iran–China defense stories, 1% name
 * one of the actors without being on topic, the rest is everyday news.
 */
const SYLLABLES = ["ka", "lo", "mir", "tan", "vel", "dos", "ren", "shu", "pa", "zel", "qin", "bor", "ta", "wen", "gar", "hu"];

/** A made-up word unique to k: names and details that make every relevant story its own event. */
function name(k: number): string {
  let s = "";
  for (let n = k + 17; n > 0; n = Math.floor(n / SYLLABLES.length)) s += SYLLABLES[n % SYLLABLES.length];
  return s.charAt(0).toUpperCase() + s.slice(1);
}
const EVERYDAY = [
  ["City council approves new budget for {n} schools", "The council voted to fund repairs at {n} schools after a long debate."],
  ["Storm brings heavy rain to the coast for {n} days", "Forecasters expect flooding in low-lying areas over the weekend."],
  ["Tech company reports quarterly revenue up {n} percent", "Shares rose in early trading after the results beat expectations."],
  ["Local team wins {n}th straight match", "The coach praised the defense after a late goal sealed the result."],
  ["Museum opens exhibition of {n} rare manuscripts", "Curators spent years restoring the documents for public display."],
  ["Train services resume after {n} hour signal failure", "Commuters faced long delays on the main line."],
  ["Hospital opens new wing with {n} beds", "The extension will ease pressure on the emergency department."],
] as const;

/** One actor alone (not on topic): the cheap gazetteer pass finds it, so the costlier steps run. */
const ONE_ACTOR = [
  ["Iran's football league resumes after {n} week break", "Clubs in Tehran returned to training ahead of the new season."],
  ["China's factory output grows {n} percent in spring", "Officials in Beijing said consumer demand was recovering slowly."],
] as const;

export interface SyntheticItem {
  guid: string;
  title: string;
  description: string;
  relevant: boolean;
}

export function syntheticItem(i: number, relevantEvery = 50): SyntheticItem {
  if (i % relevantEvery === 0) {
    const k = i / relevantEvery;
    const [place, firm, officer] = [name(k * 3), name(k * 3 + 1), name(k * 3 + 2)];
    // Details of the story in made-up words, so no two relevant stories read alike.
    const details = Array.from({ length: 30 }, (_, j) => name(k * 31 + j + 5000).toLowerCase()).join(" ");
    return k % 2 === 0
      ? {
          guid: `s${i}`,
          title: `${place} and ${officer}: China and Iran naval drill off ${firm}`,
          description: `PLA Navy and Iranian warships, ${details}.`,
          relevant: true,
        }
      : {
          guid: `s${i}`,
          title: `${firm} of ${place} sanctioned by US over Iran drone parts from China, ${officer} says`,
          description: `Chinese firm shipped engines to Iranian military drone makers, ${details}.`,
          relevant: true,
        };
  }
  const pool = i % 100 === 1 ? ONE_ACTOR : EVERYDAY;
  const [title, description] = pool[i % pool.length] as readonly [string, string];
  return { guid: `s${i}`, title: title.replace("{n}", String(i)), description, relevant: false };
}

export function rssDocument(name: string, items: SyntheticItem[], date = new Date()): string {
  const body = items
    .map(
      (e) =>
        `<item><title>${e.title}</title><link>http://bench.example/${e.guid}</link><guid>${e.guid}</guid>` +
        `<pubDate>${date.toUTCString()}</pubDate><description>${e.description}</description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${name}</title><link>http://bench.example/</link><description>bench</description>\n${body}\n</channel></rss>`;
}
