/**
 * Canonical form of a story link, so that the same story under two tracking
 * URLs is one item: lower-case scheme and host, default port, fragment and
 * tracking parameters dropped, query sorted.
 */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref_src|cmpid|ocid|__twitter_impression|at_medium|at_campaign|smid|sr_share)$/i;

export function canonicalUrl(link: string): string | null {
  let u: URL;
  try {
    u = new URL(link.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  u.hash = "";
  u.hostname = u.hostname.toLowerCase();
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k));
  params.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  u.search = new URLSearchParams(params).toString();
  // URL already drops a scheme's default port; a bare trailing "?" goes with an empty query.
  return u.toString().replace(/\?$/, "");
}
