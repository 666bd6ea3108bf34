import { loadConfig } from "../config/index.js";
import { checkBitcoin, checkDatabase, checkXmpp } from "./checks.js";
import { CONFIG_HELP, CONFIG_OPTION, type Command, configPath, parseOptions } from "./command.js";

/** Exit code of a doctor run that found a problem (sysexits EX_UNAVAILABLE). */
export const DOCTOR_FAILED = 69;

export const doctor: Command = {
  name: "doctor",
  summary: "check the configuration, the XMPP server, the database and the Bitcoin node",
  help: `Usage: bitcoim doctor [--config PATH]

Reads the configuration and checks, without changing anything:
  - the XMPP server's component port is reachable;
  - the database is reachable, the credentials work, the schema is current;
  - the Bitcoin node answers, is recent enough, runs the configured network,
    and has the gateway's wallet loaded.
Prints each check with ok or FAIL and how to fix it; exits 69 if any fails.

${CONFIG_HELP}
`,
  async run({ args, env, io }) {
    const options = parseOptions(args, CONFIG_OPTION);
    const path = configPath(options.config, env);
    const config = await loadConfig({ path, env });
    io.out(`ok    configuration  ${path}`);
    const results = [
      await checkXmpp(config),
      await checkDatabase(config),
      ...(await checkBitcoin(config)),
    ];
    for (const r of results) io.out(`${r.ok ? "ok  " : "FAIL"}  ${r.name.padEnd(15)} ${r.detail}`);
    const failed = results.filter((r) => !r.ok).length;
    io.out(failed === 0 ? "All checks passed." : `${failed} check(s) failed.`);
    return failed === 0 ? 0 : DOCTOR_FAILED;
  },
};
