/**
 * The keyword alert an analyst would set up without this project (Google
 * Alerts style): "Iran" AND "China" AND a military word, anywhere in the text.
 * It is the bar the classifier must clear by a wide margin.
 */
const IRAN = /\b(?:iran|iranian|tehran)\b/i;
const CHINA = /\b(?:china|chinese|beijing)\b/i;
const MILITARY =
  /\b(?:military|defen[cs]e|army|navy|naval|drills?|exercises?|weapons?|arms|missiles?|drones?|warships?|troops|security)\b/i;

export function keywordAlert(text: { title: string; description: string }): boolean {
  const all = `${text.title} ${text.description}`;
  return IRAN.test(all) && CHINA.test(all) && MILITARY.test(all);
}
