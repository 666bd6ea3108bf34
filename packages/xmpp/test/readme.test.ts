import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("the README's usage example runs through a real Prosody and prints what it says", async () => {
  const dir = fileURLToPath(new URL("..", import.meta.url));
  const example = /## Use[\s\S]*?```ts\n([\s\S]*?)```/.exec(
    await readFile(`${dir}/README.md`, "utf8"),
  )?.[1];
  expect(example).toBeDefined();
  const file = `${dir}/readme-example-${process.pid}.ts`;
  await writeFile(file, example!);
  try {
    const args = ["--import", "tsx", "--conditions=@bitcoim/source", file];
    const { stdout } = await run(process.execPath, args, { cwd: dir });
    expect(stdout).toContain("registration: result");
    expect(stdout).toMatch(/^Balance: 0 BTC$/m);
  } finally {
    await rm(file, { force: true });
  }
}, 60_000);
