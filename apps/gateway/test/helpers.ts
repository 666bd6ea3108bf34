/** Temp files and captured output for the gateway's tests. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "../src/commands/command.js";
import type { LogLevel } from "../src/config/index.js";
import { createLogger, type Logger } from "../src/log.js";

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "bitcoim-gw-"));
}

/** Writes `text` to a new file in a fresh temp directory; returns its path. */
export async function tempFile(text: string, name = "bitcoim.toml"): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, text);
  return path;
}

export interface Captured extends Io {
  lines: string[];
  errors: string[];
  text(): string;
  /** Resolves once a printed line matches. */
  waitFor(pattern: RegExp): Promise<string>;
}

export function captureIo(): Captured {
  const lines: string[] = [];
  const errors: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const push = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  return {
    lines,
    errors,
    out: push,
    err: (line) => {
      errors.push(line);
      push(line);
    },
    text: () => lines.join("\n"),
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const found = lines.find((l) => pattern.test(l));
        if (found !== undefined) resolve(found);
        else waiters.push({ pattern, resolve });
      }),
  };
}

/** A minimal valid configuration, in TOML, with overrides appended per section. */
export function minimalToml(
  extra: { xmpp?: string; bitcoin?: string; gateway?: string; database?: string } = {},
): string {
  return [
    "[xmpp]",
    'jid = "bitcoin.example.org"',
    'secret = "s3cret"',
    extra.xmpp ?? "",
    "[bitcoin]",
    'network = "regtest"',
    'user = "u"',
    'password = "p"',
    extra.bitcoin ?? "",
    ...(extra.database !== undefined ? ["[database]", extra.database] : []),
    ...(extra.gateway !== undefined ? ["[gateway]", extra.gateway] : []),
  ].join("\n");
}

/** The XMPP server side a component configuration needs. */
export interface ComponentServer {
  readonly componentService: string;
  readonly componentSecret: string;
}

/**
 * A configuration file for a gateway on a real XMPP server, the test chain
 * (its `[bitcoin]` section) and the database at `databaseUrl`; returns its path.
 */
export async function componentConfigFile(opts: {
  jid: string;
  server: ComponentServer;
  chain: { toml(): string };
  databaseUrl: string;
}): Promise<string> {
  const { jid, server, chain, databaseUrl } = opts;
  const port = new URL(server.componentService).port;
  return tempFile(
    [
      `[xmpp]\njid = "${jid}"\nsecret = "${server.componentSecret}"\nhost = "127.0.0.1"\nport = ${port}`,
      chain.toml(),
      `[database]\nurl = "${databaseUrl}"`,
      `[gateway]\npoll_interval = 1\nstate_dir = "${await tempDir()}"`,
    ].join("\n"),
  );
}

export interface RecordedLog {
  log: Logger;
  entries: Record<string, unknown>[];
  /** Resolves with the first entry whose `msg` matches. */
  waitFor(msg: RegExp): Promise<Record<string, unknown>>;
}

/** The real pino logger, writing its JSON lines to memory. */
export function recordLog(level: LogLevel = "debug"): RecordedLog {
  const entries: Record<string, unknown>[] = [];
  const waiters: { msg: RegExp; resolve: (e: Record<string, unknown>) => void }[] = [];
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      entries.push(entry);
      for (const w of [...waiters]) {
        if (w.msg.test(String(entry.msg))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    },
  };
  return {
    log: createLogger({ level, destination }),
    entries,
    waitFor: (msg) =>
      new Promise((resolve) => {
        const found = entries.find((e) => msg.test(String(e.msg)));
        if (found) resolve(found);
        else waiters.push({ msg, resolve });
      }),
  };
}
