import { loadDatabaseSettings } from "../config/index.js";
import { CONFIG_HELP, CONFIG_OPTION, type Command, configPath, parseOptions } from "./command.js";
import { openAndReport } from "./demo.js";

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
