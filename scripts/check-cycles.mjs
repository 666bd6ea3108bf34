#!/usr/bin/env node
// The import graph inside each package has no cycle (docs/architecture.md
// §3): a module and what it imports, by relative path, type-only imports
// included, form a tree-like order, so that any module can be read, tested
// and moved after what it uses. Between packages the dependency rule
// (check-deps.mjs) already forbids cycles. Run by `pnpm test`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = /\.(m|c)?[jt]sx?$/;

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (SOURCE.test(entry) && !entry.endsWith(".d.ts")) yield path;
  }
}

const relativeImports = (text) =>
  [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s*["'](\.[^"']*)["']/g),
    ...text.matchAll(/(?:import|require)\s*\(\s*["'](\.[^"']*)["']\s*\)/g),
    ...text.matchAll(/^\s*import\s*["'](\.[^"']*)["']/gm),
  ].map((m) => m[1]);

/** The file a relative specifier names: `./x.js` is `./x.ts` in source, a folder its index. */
function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m|c)?js$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, "index.ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Tarjan's strongly connected components; each with more than one module (or a self-import) is a cycle. */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    for (let m = stack.pop(); ; m = stack.pop()) {
      onStack.delete(m);
      component.push(m);
      if (m === node) break;
    }
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Every package folder's cycles, each as the files in it, relative to the root. */
export function check() {
  const problems = [];
  for (const parent of ["packages", "apps", "bench"]) {
    const top = join(root, parent);
    if (!existsSync(top)) continue;
    const dirs = parent === "bench" ? [top] : readdirSync(top).map((entry) => join(top, entry));
    for (const dir of dirs) {
      if (!existsSync(join(dir, "package.json")) && parent !== "bench") continue;
      const graph = new Map();
      for (const file of files(dir)) {
        const targets = relativeImports(readFileSync(file, "utf8"))
          .map((spec) => resolveImport(file, spec))
          .filter((target) => target?.startsWith(`${dir}/`));
        graph.set(file, new Set(targets));
      }
      for (const component of cycles(graph)) {
        problems.push(component.map((f) => relative(root, f)).join(" ↔ "));
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = check();
  if (problems.length > 0) {
    console.error("Import cycles inside a package (see docs/architecture.md §3):");
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log("import graph: no cycles");
}
