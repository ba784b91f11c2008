/**
 * A synthetic news stream: 2% of items are Iran–China defense stories, 1% name
 * one of the actors without being on topic, the rest is everyday news.
 */
const PLACES = ["Gulf of Oman", "Arabian Sea", "Strait of Hormuz", "Indian Ocean", "Bandar Abbas", "Chabahar"];
const FIRMS = ["Shenzhen Avionics", "Dalian Marine Parts", "Harbin Propulsion", "Ningbo Sensor Works", "Xian Composite Co"];
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
    const place = PLACES[k % PLACES.length] as string;
    const firm = FIRMS[k % FIRMS.length] as string;
    return k % 2 === 0
      ? {
          guid: `s${i}`,
          title: `China and Iran hold joint naval drill near ${place} (${k})`,
          description: `Warships of the PLA Navy and Iran's navy started exercise number ${k} near ${place}, Iranian military officials said.`,
          relevant: true,
        }
      : {
          guid: `s${i}`,
          title: `US sanctions ${firm} for supplying Iran's drone program (${k})`,
          description: `The Treasury said the Chinese company shipped ${k} engines used in Iranian military drones.`,
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
