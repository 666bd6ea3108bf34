/**
 * One process per embedded data directory: PGlite has no lock of its own,
 * and two processes writing one directory corrupt it. A lock file holds the
 * owner's PID; one left by a process that is gone (killed, say) is taken
 * over, one held by another live process is refused. This process opening
 * its own directory again (a re-open to check migrations) is let through,
 * the lock staying with the first opening.
 */
import { readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseError } from "./errors.js";

const LOCK = "bitcoim.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx" });
      return async () => {
        await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (owner === process.pid) return async () => {};
    if (Number.isSafeInteger(owner) && owner > 0 && alive(owner)) {
      throw new DatabaseError(
        "DB_DATA_DIR_LOCKED",
        `the embedded database in ${dataDir} is in use by process ${owner}; stop it first, or give this one another directory`,
      );
    }
    // Left by a process that is gone (or half-written): take it over.
    await unlink(path).catch(() => {});
  }
  throw new DatabaseError("DB_DATA_DIR_LOCKED", `cannot take the lock of ${dataDir}`);
}
