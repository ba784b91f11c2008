/**
 * The status page's stylesheet, served at its own path (page.ts) so that the
 * Content-Security-Policy needs no 'unsafe-inline'. Below 720px wide, the
 * feed and failure tables (class `stack`) become cards with a label per
 * line, and the queue matrix is narrow enough as it is: a phone never
 * scrolls sideways.
 */
export const STATUS_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #fff; --text: #1c2230; --muted: #5f6b7c; --line: #dde1e7;
  --accent: #2457c5; --ok: #17703a; --ok-bg: #e3f3e8; --bad: #b3261e; --bad-bg: #fbe7e6;
  --warn: #8a5300; --warn-bg: #fdf0d9; --chip: #eef1f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151b; --card: #1b2029; --text: #e4e8ef; --muted: #98a2b3; --line: #2c3340;
    --accent: #7aa2ff; --ok: #6fd08c; --ok-bg: #183524; --bad: #ff8a80; --bad-bg: #3d1c1a;
    --warn: #f2c26b; --warn-bg: #3a2e16; --chip: #262c37;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
header { background: var(--card); border-bottom: 1px solid var(--line); padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: baseline; }
h1 { font-size: 1.2rem; margin: 0; }
nav { display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
nav a { text-decoration: none; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
h2 { font-size: 1.05rem; margin: 1.8rem 0 .3rem; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
.asof, .note, .sub, .muted, .meta { color: var(--muted); }
.asof { margin: 0 0 .6rem; font-size: .85rem; }
.note { margin: 0 0 .6rem; font-size: .85rem; }
.sub { font-size: .8rem; }
.sub, td, blockquote, h3, summary { overflow-wrap: anywhere; }
.notice { background: var(--ok-bg); color: var(--ok); padding: .5rem .8rem; border-radius: 6px; }
.summary { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: .5rem; }
.summary li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .5rem .7rem; color: var(--muted); font-size: .85rem; }
.summary b { display: block; font-size: 1.4rem; color: var(--text); }
.summary li.bad b { color: var(--bad); }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; vertical-align: top; padding: .5rem .7rem; border-bottom: 1px solid var(--line); }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
tr:last-child td { border-bottom: 0; }
time { white-space: nowrap; }
.num { font-variant-numeric: tabular-nums; text-align: right; }
.matrix { width: auto; min-width: 50%; }
.matrix tbody th { font-weight: 400; color: var(--text); font-size: .9rem; }
td.num.bad { font-weight: 600; }
.error { color: var(--bad); font-size: .85rem; }
.badge, .chip { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .78rem; background: var(--chip); margin: 0 .25rem .2rem 0; white-space: nowrap; }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.num.bad { color: var(--bad); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.chip.score { font-weight: 600; }
.alerts { display: grid; gap: .6rem; }
.alert, .cluster { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .7rem .9rem; }
.alert p { margin: .2rem 0; }
.meta { font-size: .85rem; }
blockquote { margin: .4rem 0; padding: .1rem .7rem; border-left: 3px solid var(--line); color: var(--text); font-style: italic; }
.clusters { display: grid; gap: .5rem; }
.cluster summary { cursor: pointer; }
.cluster ul { margin: .5rem 0 0; padding-left: 1.1rem; }
.cluster li { margin: .25rem 0; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 8px; padding: .7rem .9rem; color: var(--muted); }
form { margin: 0; }
button { font: inherit; white-space: nowrap; padding: .3rem .9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:hover { filter: brightness(1.1); }
@media (max-width: 720px) {
  main { padding: .7rem; }
  .summary { grid-template-columns: repeat(auto-fit, minmax(100px, 1fr)); }
  .matrix { width: 100%; }
  .stack, .stack thead, .stack tbody, .stack tr, .stack td { display: block; }
  .stack { border: 0; background: none; }
  .stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .stack tr { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: .5rem; padding: .3rem 0; }
  .stack td { border: 0; padding: .25rem .8rem; display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: .5rem; }
  .stack td::before { content: attr(data-label); color: var(--muted); font-size: .8rem; }
  .stack td[data-label=""] { display: block; }
  .stack td[data-label=""]::before { content: none; }
}
`;
