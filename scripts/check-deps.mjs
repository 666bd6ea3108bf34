#!/usr/bin/env node
// Enforces the dependency rule of docs/architecture.md §3: which @bitcoim
// package may depend on which, no imports across package folders by
// relative path, and no XMPP library outside @bitcoim/xmpp and the
// gateway. Run by `pnpm test`.
// The one relative import allowed across folders is the shared test config
// at the workspace root (vitest.shared.ts), like tsconfig.base.json.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { root, workspaces } from "./workspaces.mjs";

/** The table of docs/architecture.md §3, "The dependency rule". */
const allowed = {
  "@bitcoim/db": [],
  "@bitcoim/wallet": [],
  "@bitcoim/accounts": ["@bitcoim/db", "@bitcoim/wallet"],
  "@bitcoim/orders": ["@bitcoim/db", "@bitcoim/accounts", "@bitcoim/wallet"],
  "@bitcoim/xmpp": ["@bitcoim/accounts", "@bitcoim/orders", "@bitcoim/wallet"],
  // Payments without XMPP (issue 4): the proof that these four suffice.
  "@bitcoim/example-payments": [
    "@bitcoim/db",
    "@bitcoim/wallet",
    "@bitcoim/accounts",
    "@bitcoim/orders",
  ],
  "@bitcoim/gateway": [
    "@bitcoim/db",
    "@bitcoim/wallet",
    "@bitcoim/accounts",
    "@bitcoim/orders",
    "@bitcoim/xmpp",
  ],
  // The benchmarks and the chaos run measure everything, from outside: by package name.
  "@bitcoim/bench": [
    "@bitcoim/db",
    "@bitcoim/wallet",
    "@bitcoim/accounts",
    "@bitcoim/orders",
    "@bitcoim/xmpp",
    "@bitcoim/gateway",
  ],
};
const mayUseXmpp = new Set(["@bitcoim/xmpp", "@bitcoim/gateway", "@bitcoim/bench"]);
// The shared test helpers are private: any package's tests (and the benches)
// may use them, as a devDependency, but no published code, not even a
// package's `testing` entry point, for its users could not install them.
const TEST_UTILS = "@bitcoim/test-utils";
allowed[TEST_UTILS] = [];

// The sandbox chain is a test oracle and a demo, never a part of the money
// path: production code may not import it. These files run it on purpose.
const sandboxDir = join(root, "packages/wallet/src/sandbox");
const mayUseSandbox = [
  "packages/wallet/src/sandbox/", // itself
  "packages/wallet/src/regtest/", // the `regtest` test-support export starts it
  "apps/gateway/src/commands/sandbox.ts", // `bitcoim sandbox`
  "apps/payments-example/src/", // an example that runs on it
];
// And the other way: the sandbox checks the client's parsing of amounts and
// transactions, so it shares none of the client's code (an oracle that
// shares code with what it tests agrees with its bugs). The funded-world
// helpers of the regtest support are the one exception.
const walletSrc = join(root, "packages/wallet/src");
const sandboxBorrows = (spec, file) => {
  if (!file.startsWith(`${sandboxDir}/`)) return false;
  if (spec === "@bitcoim/wallet" || spec.startsWith("@bitcoim/wallet/")) return true;
  if (!spec.startsWith(".")) return false;
  const target = resolve(dirname(file), spec);
  return (
    target.startsWith(`${walletSrc}/`) &&
    !target.startsWith(`${sandboxDir}/`) &&
    !target.startsWith(join(walletSrc, "regtest/"))
  );
};
const isProduction = (where) => /^(packages|apps)\/[^/]+\/src\//.test(where);
const importsSandbox = (spec, file) =>
  spec === "@bitcoim/wallet/sandbox" ||
  spec.startsWith("@bitcoim/wallet/sandbox/") ||
  (spec.startsWith(".") && resolve(dirname(file), spec).startsWith(sandboxDir));
const isXmppLibrary = (name) => name.startsWith("@xmpp/") || name === "node-xmpp-component";

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(m|c)?[jt]sx?$/.test(entry)) yield path;
  }
}

const specifiers = (text) =>
  [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']/g),
    ...text.matchAll(/(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
  ].map((m) => m[1]);

const packageName = (spec) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];

export function check() {
  const problems = [];
  for (const { dir, manifest } of workspaces()) {
    const name = manifest.name;
    const rel = relative(root, dir);
    if (!(name in allowed)) {
      problems.push(`${rel}: package ${name} is not in the dependency table`);
      continue;
    }
    const declared = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    };
    if (
      TEST_UTILS in { ...manifest.dependencies, ...manifest.peerDependencies } &&
      !manifest.private
    ) {
      problems.push(`${rel}/package.json: ${TEST_UTILS} is private; declare it in devDependencies`);
    }
    for (const dep of Object.keys(declared)) {
      if (dep === TEST_UTILS) continue;
      if (dep.startsWith("@bitcoim/") && !allowed[name].includes(dep)) {
        problems.push(`${rel}/package.json: ${name} must not depend on ${dep}`);
      }
      if (isXmppLibrary(dep) && !mayUseXmpp.has(name)) {
        problems.push(`${rel}/package.json: ${name} must not depend on the XMPP library ${dep}`);
      }
    }
    for (const file of sourceFiles(dir)) {
      const text = readFileSync(file, "utf8");
      for (const spec of specifiers(text)) {
        const where = relative(root, file);
        if (
          importsSandbox(spec, file) &&
          isProduction(where) &&
          !mayUseSandbox.some((allowedPath) => where.startsWith(allowedPath))
        ) {
          problems.push(`${where}: imports the sandbox chain (${spec}), which is for tests only`);
        }
        if (sandboxBorrows(spec, file)) {
          problems.push(`${where}: the sandbox imports the client's ${spec}; it must have its own`);
        }
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          const sharedConfig = target.replace(/\.js$/, ".ts") === join(root, "vitest.shared.ts");
          if (!target.startsWith(`${dir}/`) && target !== dir && !sharedConfig) {
            problems.push(
              `${where}: imports ${spec}, outside its package; import the package by name`,
            );
          }
          continue;
        }
        const pkg = packageName(spec);
        if (pkg === TEST_UTILS) {
          if (isProduction(where)) {
            problems.push(`${where}: imports ${TEST_UTILS}, which is for tests only`);
          } else if (!(pkg in declared)) {
            problems.push(`${where}: imports ${pkg}, which ${rel}/package.json does not declare`);
          }
          continue;
        }
        if (pkg.startsWith("@bitcoim/") && pkg !== name && !allowed[name].includes(pkg)) {
          problems.push(`${where}: ${name} must not import ${pkg}`);
        } else if (pkg.startsWith("@bitcoim/") && pkg !== name && !(pkg in declared)) {
          problems.push(`${where}: imports ${pkg}, which ${rel}/package.json does not declare`);
        }
        if (isXmppLibrary(pkg) && !mayUseXmpp.has(name)) {
          problems.push(`${where}: ${name} must not import the XMPP library ${pkg}`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = check();
  if (problems.length > 0) {
    console.error(`Dependency rules broken (see docs/architecture.md §3, "The dependency rule"):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log("dependency rules: ok");
}
