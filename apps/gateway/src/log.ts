/**
 * The gateway's logger: pino, structured JSON lines, at the configured
 * level. Its shape is @bitcoim/xmpp's `Logger` (fields, message), plus
 * `fatal` and `child`, so one logger serves every package.
 */
import { type DestinationStream, pino } from "pino";
import type { LogLevel } from "./config/index.js";

/**
 * Structurally @bitcoim/xmpp's `Logger` (packages/xmpp/src/log.ts), spelled
 * out here so this module does not pull the XMPP sources into every tool.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  fatal(fields: Record<string, unknown>, message: string): void;
  /** A logger whose lines all carry `fields` (e.g. `{ loop: "deposits" }`). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout by default (journald/systemd collect it). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = pino(
    {
      level: options.level,
      base: { name: "bitcoim" },
      // Never let a secret slip into a log line through a config object.
      redact: { paths: ["*.secret", "*.password", "secret", "password"], censor: "***" },
    },
    options.destination,
  );
  return wrap(base);
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (fields, message) => p.debug(fields, message),
    info: (fields, message) => p.info(fields, message),
    warn: (fields, message) => p.warn(fields, message),
    error: (fields, message) => p.error(fields, message),
    fatal: (fields, message) => p.fatal(fields, message),
    child: (fields) => wrap(p.child(fields)),
  };
}
