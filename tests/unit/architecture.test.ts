/**
 * The shape of src/, read from the source text (no build, no Redis): the
 * top-level folders import each other without a cycle, the domain types are
 * not defined in the transport layer (queues/), and Lua lives in .lua files.
 * Files directly under src/ count as one group, "(root)".
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve("src");
const ROOT_GROUP = "(root)";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

const files = tsFiles(SRC);
const text = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));

/** "(root)" for src/x.ts, else the first folder under src/. */
function groupOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? ROOT_GROUP : parts[0]!;
}

/** Relative specifiers of every import, `export … from`, side-effect import and dynamic import(). */
function relativeImports(source: string): string[] {
  // preProcessFile reads the import list the way tsc does, comments and strings included correctly.
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** Folder → folder it imports → the import lines that make the edge ("src/a/x.ts → ../b/y.js"). */
type FolderGraph = Map<string, Map<string, string[]>>;

function folderGraph(): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of files) {
    const from = groupOf(file);
    for (const spec of relativeImports(text.get(file)!)) {
      const target = path.resolve(path.dirname(file), spec);
      if (path.relative(SRC, target).startsWith("..")) continue;
      const to = groupOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(".", file)} → ${spec}`]);
    }
  }
  return graph;
}

/** One cycle in the graph as its list of folders (first repeated at the end), or null; depth-first search. */
function findCycle(graph: FolderGraph): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "open");
    stack.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.get(node) !== undefined) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/** Every cycle, one at a time: report one, drop its edges, look again — so one failure lists them all. */
function allCycles(graph: FolderGraph): string[] {
  const rest: FolderGraph = new Map([...graph].map(([k, v]) => [k, new Map(v)]));
  const reports: string[] = [];
  for (let cycle = findCycle(rest); cycle; cycle = findCycle(rest)) {
    const lines = [`cycle ${cycle.join(" → ")}`];
    for (let i = 0; i + 1 < cycle.length; i++) {
      const [a, b] = [cycle[i]!, cycle[i + 1]!];
      lines.push(`  ${a} → ${b}:`, ...graph.get(a)!.get(b)!.map((why) => `    ${why}`));
      rest.get(a)!.delete(b);
    }
    reports.push(lines.join("\n"));
  }
  return reports;
}

const DOMAIN_TYPES = new Set(["Story", "Classification", "Dedupe", "Alert", "Entity", "Verdict"]);

/** Names a file exports by declaring them, or re-exports by name (`export { Story }`), that are domain types. */
function exportedDomainNames(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.exportClause && ts.isNamedExports(st.exportClause)) names.push(...st.exportClause.elements.map((e) => e.name.text));
      // `export * from "../model/…"` would pass every domain type through queues/.
      else if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text.includes("model")) names.push(`* from ${st.moduleSpecifier.text}`);
      continue;
    }
    if (!exported(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name) {
      names.push(st.name.text);
    }
  }
  return names.filter((n) => DOMAIN_TYPES.has(n) || n.startsWith("* from")).map((n) => `${file}: ${n}`);
}

describe("findCycle", () => {
  const graph = (edges: [string, string][]): FolderGraph => {
    const g: FolderGraph = new Map();
    for (const [a, b] of edges) g.set(a, new Map([...(g.get(a) ?? []), [b, [`${a}/x.ts → ../${b}/y.js`]]]));
    return g;
  };

  it("finds a three-folder cycle and nothing in a graph without one", () => {
    expect(findCycle(graph([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]))).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(graph([["a", "b"], ["b", "c"], ["a", "c"]]))).toBeNull();
  });
});

describe("exportedDomainNames", () => {
  it("finds a declared, a re-exported and a star-exported domain type, and not a payload or a local", () => {
    const source = [
      'export const Story = z.object({});',
      'export type Alert = { id: string };',
      'export { Verdict } from "../model/dedupe.js";',
      'export * from "../model/index.js";',
      'export const DedupeJob = z.object({ story: Story });',
      'interface Entity { name: string }',
    ].join("\n");
    expect(exportedDomainNames("q.ts", source)).toEqual(["q.ts: Story", "q.ts: Alert", "q.ts: Verdict", 'q.ts: * from ../model/index.js']);
  });
});

describe("architecture of src/", () => {
  it("has no import cycle between top-level folders", () => {
    expect(allCycles(folderGraph()).join("\n")).toBe("");
  });

  it("defines no domain type under queues/ (they live in model/)", () => {
    const found = files.filter((f) => groupOf(f) === "queues").flatMap((f) => exportedDomainNames(path.relative(".", f), text.get(f)!));
    expect(found).toEqual([]);
  });

  it("holds no Lua script in a .ts file (scripts live in <folder>/lua/*.lua)", () => {
    const lua = /\bredis\.p?call\s*\(/;
    const found = files.filter((f) => lua.test(text.get(f)!)).map((f) => path.relative(".", f));
    expect(found).toEqual([]);
  });
});
