/**
 * The `bitcoim` command line. Commands throw typed errors; only here do
 * they become exit codes (sysexits): 0 ok, 64 usage, 69 a service
 * unavailable (database, Bitcoin node, a failed doctor check), 75 a stuck
 * job (start again), 78 configuration.
 */
import { DatabaseError } from "@bitcoim/db";
import { BitcoinNodeError } from "@bitcoim/wallet";
import {
  type Command,
  type CommandContext,
  type Io,
  StuckError,
  UnavailableError,
  UsageError,
} from "./commands/command.js";
import { demo } from "./commands/demo.js";
import { doctor } from "./commands/doctor.js";
import { migrate } from "./commands/migrate.js";
import { sandbox } from "./commands/sandbox.js";
import { startCommand } from "./commands/start.js";
import { ConfigError, type LogLevel } from "./config/index.js";
import { WrongNetworkError } from "./lifecycle/bitcoin.js";
import type { StartComponent } from "./lifecycle/start.js";
import type { Logger } from "./log.js";
import { startXmpp } from "./xmpp.js";

export const EXIT = { ok: 0, usage: 64, unavailable: 69, stuck: 75, config: 78 } as const;

export interface MainOptions {
  io?: Io;
  signal?: AbortSignal;
  /** The XMPP side for `start`. */
  startComponent?: StartComponent;
  /** The logger `start` uses at the configured level (default: pino to stdout). */
  logger?: (level: LogLevel) => Logger;
}

const consoleIo: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

function commands(options: MainOptions): Command[] {
  const start = startCommand({
    startComponent: options.startComponent ?? startXmpp,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return [start, migrate, doctor, sandbox, demo];
}

function usage(list: Command[]): string {
  const lines = list.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `Usage: bitcoim <command> [options]

Commands:
${lines.join("\n")}
  help       show this help

Run \`bitcoim <command> --help\` for a command's options.
Exit codes: 0 ok, 64 usage, 69 a service unavailable, 75 a job stuck (start again),
78 configuration error.
`;
}

/** Runs one CLI command; returns the process exit code. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: MainOptions = {},
): Promise<number> {
  const io = options.io ?? consoleIo;
  const list = commands(options);
  const [name = "help", ...args] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = list.find((c) => c.name === args[0]);
    io.out(topic ? topic.help : usage(list));
    return EXIT.ok;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage(list)}`);
    return EXIT.usage;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(command.help);
    return EXIT.ok;
  }
  const ctx: CommandContext = {
    args,
    env,
    io,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    return report(error, io, command);
  }
}

function report(error: unknown, io: Io, command: Command): number {
  if (error instanceof UsageError) {
    io.err(`bitcoim ${command.name}: ${error.message}\n\n${command.help}`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    io.err(`bitcoim: configuration error: ${error.message} [${error.code}]`);
    return EXIT.config;
  }
  if (
    error instanceof DatabaseError ||
    error instanceof BitcoinNodeError ||
    error instanceof UnavailableError
  ) {
    io.err(`bitcoim: ${error.message} [${error.code}]`);
    return EXIT.unavailable;
  }
  if (error instanceof StuckError) {
    io.err(`bitcoim: ${error.message} [${error.code}]`);
    return EXIT.stuck;
  }
  if (error instanceof WrongNetworkError) {
    io.err(`bitcoim: ${error.message} [${error.code}]`);
    return EXIT.config;
  }
  throw error;
}
