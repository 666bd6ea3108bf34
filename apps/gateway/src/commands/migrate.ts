import { openDatabase } from "@bitcoim/db";
import { loadDatabaseSettings } from "../config/index.js";
import {
  CONFIG_HELP,
  CONFIG_OPTION,
  type Command,
  configPath,
  type Io,
  parseOptions,
} from "./command.js";

export const migrate: Command = {
  name: "migrate",
  summary: "apply pending database migrations",
  help: `Usage: bitcoim migrate [--config PATH]

Brings the configured database ([database] url, or BITCOIM_DATABASE_URL; the
embedded PGlite database in the state directory when none is set) up to the
schema this version expects. Safe to run from several hosts at once.

${CONFIG_HELP}
`,
  async run({ args, env, io }) {
    const options = parseOptions(args, CONFIG_OPTION);
    const { url, stateDir } = await loadDatabaseSettings({
      path: configPath(options.config, env),
      env,
      required: options.config !== undefined,
    });
    await openAndReport(io, url, stateDir);
    return 0;
  },
};

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
