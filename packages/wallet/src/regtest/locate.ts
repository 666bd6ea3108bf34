/**
 * Where a Bitcoin Core binary for throw-away regtest nodes is: `$BITCOIND`,
 * else the `bitcoin-core/bin/bitcoind` kept beside the project's checkout
 * (a sibling `shared/` folder of the workspace root). Tests use it when it
 * is there and say why they skip when it is not.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export type Located = { binary: string } | { missing: string };

function workspaceRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function locateBitcoind(options: { env?: NodeJS.ProcessEnv; from?: string } = {}): Located {
  const env = options.env ?? process.env;
  const given = env.BITCOIND;
  if (given !== undefined && given !== "") {
    return executable(given)
      ? { binary: given }
      : { missing: `BITCOIND=${given} is not an executable file` };
  }
  const root = workspaceRoot(options.from ?? process.cwd());
  const beside = root && join(dirname(root), "shared", "bitcoin-core", "bin", "bitcoind");
  if (beside && executable(beside)) return { binary: beside };
  return {
    missing: `no Bitcoin Core binary: set BITCOIND to a bitcoind v30 (none at ${beside ?? "a workspace sibling"})`,
  };
}

/**
 * The binary for the real-node half of a test suite, or undefined after
 * printing one line saying which tests skip and why: a skipped real-node
 * test must be visible, never mistaken for a pass.
 */
export function bitcoindForTests(
  what: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const found = locateBitcoind({ env });
  if ("binary" in found) return found.binary;
  console.warn(`SKIPPED on bitcoind -regtest: ${what}: ${found.missing}`);
  return undefined;
}
