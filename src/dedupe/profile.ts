/**
 * A cluster's profile: the summed feature weights of its members, keeping only
 * the `size` heaviest features, so that a story is compared with what the
 * event's reports share rather than with its first report alone. Weights are
 * kept as whole tenths (every fingerprint weight is a multiple of 0.1), so the
 * Redis script (lua/commit.lua) and this module add, rank and print them
 * identically: the stores must agree byte for byte.
 *
 * Encoded as `key*tenths` tokens, heaviest first, ties by key; the keys are
 * feature keys (fingerprint.ts `featureKey`) in the stores.
 */

export type Profile = Map<string, number>;

/** A fingerprint's features in profile units (tenths). */
export function profileOf(features: ReadonlyMap<string, number>): Profile {
  const out: Profile = new Map();
  for (const [f, w] of features) out.set(f, Math.round(w * 10));
  return out;
}

/** The sum of profiles, cut to the `size` heaviest features (ties: smaller key first, as the Lua sort does). */
export function addProfiles(profiles: readonly ReadonlyMap<string, number>[], size: number): Profile {
  const sum = new Map<string, number>();
  for (const p of profiles) for (const [f, w] of p) sum.set(f, (sum.get(f) ?? 0) + w);
  return new Map([...sum].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size));
}

export function encodeProfile(profile: ReadonlyMap<string, number>): string {
  return [...profile].map(([f, w]) => `${f}*${w}`).join(" ");
}

export function decodeProfile(text: string): Profile {
  const out: Profile = new Map();
  for (const token of text.split(" ")) {
    const star = token.lastIndexOf("*");
    if (star > 0) out.set(token.slice(0, star), Number(token.slice(star + 1)));
  }
  return out;
}
