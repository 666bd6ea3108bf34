/** One process per embedded data directory, proven with a real second process and a real SIGKILL. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { openDatabase } from "../src/index.js";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** Another process with the directory open; resolves once it says so. */
async function holder(dir: string): Promise<ChildProcess> {
  const script = `const { openDatabase } = await import(${JSON.stringify(entry)});
await openDatabase(${JSON.stringify(`pglite:${dir}`)});
console.log("open");
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const [line] = (await Promise.race([
    once(child.stdout!, "data"),
    once(child, "exit").then(() => [Buffer.from("exited")]),
  ])) as Buffer[];
  expect(String(line).trim()).toBe("open");
  return child;
}

it("refuses a directory another process has open, and takes it over once that one is killed", async () => {
  const dir = join(await mkdtemp(join(tmpdir(), "bitcoim-lock-")), "data");
  const child = await holder(dir);
  const refused = await openDatabase(`pglite:${dir}`).catch((e: unknown) => e);
  expect(refused).toMatchObject({ code: "DB_DATA_DIR_LOCKED" });
  expect((refused as Error).message).toContain(`in use by process ${child.pid}`);

  child.kill("SIGKILL"); // no chance to remove its lock file
  await once(child, "exit");
  const database = await openDatabase(`pglite:${dir}`);
  // Now this process holds it: another one is refused in turn, naming us.
  const script = `const { openDatabase } = await import(${JSON.stringify(entry)});
await openDatabase(${JSON.stringify(`pglite:${dir}`)}).then(() => console.log("opened"), (e) => console.log(e.code));`;
  const other = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(other);
  const [said] = (await once(other.stdout!, "data")) as Buffer[];
  expect(String(said).trim()).toBe("DB_DATA_DIR_LOCKED");
  await database.close();
}, 60_000);
