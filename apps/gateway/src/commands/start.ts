import { type LogLevel, loadConfig } from "../config/index.js";
import { type StartComponent, startGateway } from "../lifecycle/start.js";
import { createLogger, type Logger } from "../log.js";
import {
  CONFIG_HELP,
  CONFIG_OPTION,
  type Command,
  configPath,
  parseOptions,
  StuckError,
  stopRequested,
} from "./command.js";

/** `start`, given the XMPP side (the lead plugs @bitcoim/xmpp's createGateway in here). */
export function startCommand(deps: {
  startComponent?: StartComponent;
  logger?: (level: LogLevel) => Logger;
}): Command {
  return {
    name: "start",
    summary: "run the gateway",
    help: `Usage: bitcoim start [--config PATH]

Runs the gateway: reads the configuration, migrates the database, checks the
Bitcoin node (version and network), connects to the XMPP server as a
component and scans for deposits. Stops cleanly on SIGINT or SIGTERM.

${CONFIG_HELP}
`,
    async run({ args, env, signal }) {
      const options = parseOptions(args, CONFIG_OPTION);
      const config = await loadConfig({ path: configPath(options.config, env), env });
      const level = config.gateway.logLevel;
      const log = deps.logger?.(level) ?? createLogger({ level });
      log.info({ component: config.xmpp.jid, network: config.bitcoin.network }, "starting");
      const gateway = await startGateway({
        config,
        log,
        ...(deps.startComponent ? { startComponent: deps.startComponent } : {}),
      });
      log.info({}, "running");
      const ended = await Promise.race([stopRequested(signal), gateway.stuck]);
      if (typeof ended !== "string") {
        // Stopping would wait for the stuck run: the process ends without it.
        const s = Math.round(ended.ms / 1000);
        log.error({ job: ended.job, seconds: s }, "a job is stuck; exiting to be started afresh");
        throw new StuckError(
          `the ${ended.job} job has not finished in ${s} s (stuck_after); exiting so that the service manager starts the gateway afresh`,
        );
      }
      log.info({ reason: ended }, "shutting down");
      await gateway.stop();
      return 0;
    },
  };
}
