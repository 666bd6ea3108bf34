#!/usr/bin/env node
// Packs a published package as npm would, installs the tarball in an empty
// project, imports it there (types too), and lists what came with it:
//   node scripts/pack-check.mjs wallet 'import { parseAmount } from "@bitcoim/wallet"; console.log(parseAmount("1 sat"))'
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [name, snippet, ...forbidden] = process.argv.slice(2);
const root = resolve(import.meta.dirname, "..");
const dir = join(root, "packages", name);
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

run("pnpm", ["exec", "turbo", "run", "build", `--filter=@bitcoim/${name}`], root);
const out = mkdtempSync(join(tmpdir(), `bitcoim-pack-${name}-`));
run("pnpm", ["pack", "--pack-destination", out], dir);
const tarball = run("sh", ["-c", `ls ${out}/*.tgz`], out).trim();
writeFileSync(
  join(out, "package.json"),
  JSON.stringify({ name: "consumer", private: true, type: "module" }),
);
const started = Date.now();
run(
  "npm",
  ["install", "--no-fund", "--no-audit", tarball, "typescript@5.9", "@types/node@20"],
  out,
);
const installMs = Date.now() - started;
writeFileSync(join(out, "check.ts"), `${snippet}\n`);
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      module: "NodeNext",
      moduleResolution: "NodeNext",
      target: "ES2022",
      strict: true,
      skipLibCheck: true,
      outDir: "out",
      types: ["node"],
    },
    include: ["check.ts"],
  }),
);
run("npx", ["tsc", "-p", "."], out);
const printed = run("node", ["out/check.js"], out);
const tree = JSON.parse(run("npm", ["ls", "--all", "--json", "--omit=dev"], out));
const names = new Set();
const walk = (deps = {}) => {
  for (const [dep, info] of Object.entries(deps)) {
    if (!names.has(dep)) {
      names.add(dep);
      walk(info.dependencies);
    }
  }
};
walk(tree.dependencies);
const bad = [...names].filter((n) => forbidden.some((f) => n.includes(f)));
console.log(
  `@bitcoim/${name}: packed, installed in ${installMs} ms, types check, import prints: ${printed.trim()}`,
);
console.log(
  `${names.size} packages in its tree${forbidden.length ? `; forbidden (${forbidden.join(", ")}): ${bad.length ? bad.join(", ") : "none"}` : ""}`,
);
process.exitCode = bad.length ? 1 : 0;
