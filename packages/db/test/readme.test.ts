import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("the README's usage example runs and prints what it says", async () => {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const example = /## Use\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  // Inside the package, so that `@bitcoim/db` resolves to itself as it would for a user.
  const file = fileURLToPath(new URL(`../readme-example-${process.pid}.ts`, import.meta.url));
  await writeFile(file, example!);
  try {
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      "--conditions=@bitcoim/source",
      file,
    ]);
    expect(stdout).toContain("opened pglite:memory on pglite");
    expect(stdout).toMatch(/migrations applied: 0000_initial, 0001_ledger_rules(, \w+)*\n/);
    expect(stdout).toMatch(/^wallet_inflow: 0 sat$/m);
  } finally {
    await rm(file, { force: true });
  }
});
