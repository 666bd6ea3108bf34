/**
 * The operator's program. Until the gateway itself lands, `demo` sets up the
 * embedded database and reports what it did, and `migrate` brings a
 * configured database up to date.
 */
import { DatabaseError, openDatabase } from "@bitcoim/db";

const USAGE = `Usage: bitcoim <command> [options]

Commands:
  demo       open (and create if needed) the database on its embedded default and report
  migrate    apply pending database migrations to BITCOIM_DATABASE_URL (or the embedded default)
  help       show this help

Environment:
  BITCOIM_DATABASE_URL   postgres://user:password@host:port/db, pglite:<dir> or pglite:memory
  BITCOIM_STATE_DIR      where the embedded default lives (default: $XDG_STATE_HOME/bitcoim)
`;

async function openAndReport(url: string | undefined, stateDir: string | undefined) {
  const started = performance.now();
  const database = await openDatabase(url, stateDir ? { stateDir } : {});
  const ms = Math.round(performance.now() - started);
  try {
    console.log(`database: ${database.location} (${database.backend})`);
    const { applied, latest } = database.migrations;
    console.log(
      applied.length > 0
        ? `migrations applied: ${applied.join(", ")}`
        : `schema already up to date (${latest})`,
    );
    console.log(`opened in ${ms} ms`);
  } finally {
    await database.close();
  }
}

/** Runs one CLI command; returns the process exit code (sysexits: 64 usage, 69 unavailable). */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command = "help"] = argv;
  try {
    switch (command) {
      case "demo":
        await openAndReport(undefined, env.BITCOIM_STATE_DIR);
        console.log("The gateway itself is not built yet: the database is ready for it.");
        return 0;
      case "migrate":
        await openAndReport(env.BITCOIM_DATABASE_URL, env.BITCOIM_STATE_DIR);
        return 0;
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 64;
    }
  } catch (error) {
    if (error instanceof DatabaseError) {
      console.error(`bitcoim: ${error.message} [${error.code}]`);
      return 69;
    }
    throw error;
  }
}
