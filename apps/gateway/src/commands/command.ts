/** What every CLI command is, and the pieces they share. */
import { type ParseArgsConfig, parseArgs } from "node:util";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandContext {
  args: string[];
  env: NodeJS.ProcessEnv;
  io: Io;
  /** Aborted to stop a long-running command (tests); SIGINT/SIGTERM otherwise. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Resolves to the exit code; throws typed errors, mapped to codes by main(). */
  run(ctx: CommandContext): Promise<number>;
}

/** Bad command-line usage: exit 64. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "USAGE";
}

/** Something the command needs is not there (a port taken, a service down): exit 69. */
export class UnavailableError extends Error {
  override readonly name = "UnavailableError";
  readonly code = "UNAVAILABLE";
}

/** A loop of the running gateway is stuck (`stuck_after`): start it afresh. */
export class StuckError extends Error {
  override readonly name = "StuckError";
  readonly code = "JOB_STUCK";
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends OptionSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>["values"];

/** Parses a command's options strictly; unknown options or stray arguments are usage errors. */
export function parseOptions<O extends OptionSpec>(args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const CONFIG_OPTION = { config: { type: "string", short: "c" } } as const;

export const CONFIG_HELP = `  -c, --config PATH   configuration file (default $BITCOIM_CONFIG, else ./bitcoim.toml)`;

export function configPath(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return given ?? env.BITCOIM_CONFIG ?? "bitcoim.toml";
}

/** Resolves when the signal aborts, or at SIGINT/SIGTERM when there is none. */
export function stopRequested(signal: AbortSignal | undefined): Promise<string> {
  if (signal) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve("abort");
      else signal.addEventListener("abort", () => resolve("abort"), { once: true });
    });
  }
  return new Promise((resolve) => {
    const on = (name: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(name);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
