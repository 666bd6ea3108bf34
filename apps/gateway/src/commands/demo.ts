import { openDatabase } from "@bitcoim/db";
import type { Command, Io } from "./command.js";
import { parseOptions } from "./command.js";

/** Opens a database, migrating it, and says what it did (demo and migrate). */
export async function openAndReport(
  io: Io,
  url: string | undefined,
  stateDir: string | undefined,
): Promise<void> {
  const started = performance.now();
  const database = await openDatabase(url, stateDir ? { stateDir } : {});
  const ms = Math.round(performance.now() - started);
  try {
    io.out(`database: ${database.location} (${database.backend})`);
    const { applied, latest } = database.migrations;
    io.out(
      applied.length > 0
        ? `migrations applied: ${applied.join(", ")}`
        : `schema already up to date (${latest})`,
    );
    io.out(`opened in ${ms} ms`);
  } finally {
    await database.close();
  }
}

export const demo: Command = {
  name: "demo",
  summary: "create and migrate the embedded database and report",
  help: `Usage: bitcoim demo

Opens (and creates if needed) the embedded PGlite database in the state
directory ($BITCOIM_STATE_DIR, default $XDG_STATE_HOME/bitcoim), migrates it
and reports what it did.
`,
  async run({ args, env, io }) {
    parseOptions(args, {});
    await openAndReport(io, undefined, env.BITCOIM_STATE_DIR);
    io.out(
      "The database is ready; `bitcoim sandbox` starts a Bitcoin chain to try the gateway on.",
    );
    return 0;
  },
};
