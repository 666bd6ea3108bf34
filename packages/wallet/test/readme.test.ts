import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("the README's usage example runs and prints what it says", async () => {
  const dir = fileURLToPath(new URL("..", import.meta.url));
  const readme = await readFile(`${dir}/README.md`, "utf8");
  const example = /## Use\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const file = `${dir}/readme-example-${process.pid}.ts`;
  await writeFile(file, example!);
  try {
    const args = ["--import", "tsx", "--conditions=@bitcoim/source", file];
    const { stdout } = await run(process.execPath, args, { cwd: dir });
    expect(stdout).toContain("1500000n 1500n 0,015");
    expect(stdout).toContain("AMOUNT_EXPONENT");
    expect(stdout).toContain(
      "1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    );
    expect(stdout).toContain("[ 'seen 0.25 to alice@example.org' ]");
    expect(stdout).toContain("[ 'confirmed 0.25 to alice@example.org' ]");
  } finally {
    await rm(file, { force: true });
  }
});
