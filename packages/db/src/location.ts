import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { DatabaseError } from "./errors.js";

export type Location =
  | { backend: "postgres"; url: string; display: string }
  | { backend: "pglite"; dataDir: string | null; display: string };

const EXPECTED =
  "postgres://user:password@host:port/database, postgresql://…, pglite:<directory> or pglite:memory";

/** Where the embedded database lives when none is configured. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(base, "bitcoim");
}

/** Reads a database URL; undefined or empty means the embedded default. */
export function parseLocation(url: string | undefined, stateDir?: string): Location {
  if (url === undefined || url.trim() === "") {
    const dataDir = join(stateDir ?? defaultStateDir(), "db");
    return { backend: "pglite", dataDir, display: `pglite:${dataDir} (embedded default)` };
  }
  const text = url.trim();
  if (text.startsWith("pglite:")) {
    const rest = text.slice("pglite:".length).replace(/^\/\/(?=\/)/, "");
    if (rest === "memory") return { backend: "pglite", dataDir: null, display: "pglite:memory" };
    if (rest === "") {
      throw new DatabaseError(
        "DB_URL_INVALID",
        `"${text}" names no directory; expected ${EXPECTED}`,
      );
    }
    const dataDir = isAbsolute(rest) ? rest : resolve(rest);
    return { backend: "pglite", dataDir, display: `pglite:${dataDir}` };
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch (cause) {
    throw new DatabaseError(
      "DB_URL_INVALID",
      `"${redact(text)}" is not a URL; expected ${EXPECTED}`,
      {
        cause,
      },
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseError(
      "DB_URL_INVALID",
      `unsupported database scheme "${parsed.protocol}"; expected ${EXPECTED}`,
    );
  }
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
    throw new DatabaseError(
      "DB_URL_INVALID",
      `"${redact(text)}" names no host; expected ${EXPECTED}`,
    );
  }
  if (parsed.port !== "" && !(Number(parsed.port) > 0 && Number(parsed.port) < 65536)) {
    throw new DatabaseError("DB_URL_INVALID", `port "${parsed.port}" is out of range 1–65535`);
  }
  return { backend: "postgres", url: text, display: redact(text) };
}

/** The URL with its passwords replaced (in the user part or the query), for messages and logs. */
export function redact(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  let text = url;
  if (scheme) {
    // The user part ends at the last "@" before the query: a password may hold "/" or "@".
    const query = text.indexOf("?");
    const head = query === -1 ? text : text.slice(0, query);
    const at = head.lastIndexOf("@");
    const colon = head.indexOf(":", scheme.length);
    if (at > scheme.length && colon !== -1 && colon < at) {
      text = `${head.slice(0, colon + 1)}***${text.slice(at)}`;
    }
  }
  return text.replace(/([?&](?:ssl)?password=)[^&#]*/gi, "$1***");
}
