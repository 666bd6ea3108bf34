/** Small helpers shared by the end-to-end tests. */
import type { Logger } from "../src/log.js";
import type { Element } from "./client.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** The RFC 6120 §8.3 parts of an error stanza. */
export function errorOf(stanza: Element): {
  type?: string | undefined;
  condition?: string | undefined;
  text?: string | undefined;
} {
  const error = stanza.getChild("error");
  if (!error) return {};
  const condition = error.getChildElements().find((child) => child.attrs.xmlns === NS_STANZAS);
  return {
    type: error.attrs.type as string | undefined,
    condition: condition?.name === "text" ? undefined : condition?.name,
    text: error.getChildText("text", NS_STANZAS) ?? undefined,
  };
}

export interface LogEntry {
  readonly level: keyof Logger;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

export interface MemoryLogger extends Logger {
  readonly entries: LogEntry[];
  /** The first entry (already logged or to come) that matches. */
  waitFor(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
}

/** A logger that keeps what it is told, for assertions. */
export function memoryLogger(): MemoryLogger {
  const entries: LogEntry[] = [];
  const waiters = new Set<(entry: LogEntry) => void>();
  const at =
    (level: keyof Logger) =>
    (fields: Record<string, unknown>, message: string): void => {
      const entry = { level, fields, message };
      entries.push(entry);
      for (const waiter of [...waiters]) waiter(entry);
    };
  function waitFor(match: (entry: LogEntry) => boolean, timeoutMs = 5_000): Promise<LogEntry> {
    const found = entries.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log entry within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (entry: LogEntry) => {
        if (!match(entry)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(entry);
      };
      waiters.add(waiter);
    });
  }
  return {
    entries,
    waitFor,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}
