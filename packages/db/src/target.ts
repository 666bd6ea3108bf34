/**
 * libpq's connection-URL parameters that postgres.js does not read — it
 * would send them to the server as settings, which the server refuses —
 * turned into its options: `host` (a directory is a Unix-domain socket's,
 * as in `postgresql:///bitcoim?host=/var/run/postgresql`), `port`, `user`,
 * `password`. A host that is a percent-encoded path names a socket
 * directory too (`postgres://u:pw@%2Fvar%2Frun%2Fpostgresql/bitcoim`).
 */
import { DatabaseError } from "./errors.js";
import { redact } from "./location.js";

export interface PostgresTarget {
  /** The URL left for postgres.js. */
  url: string;
  options: { path?: string; host?: string; port?: number; username?: string; password?: string };
}

export function postgresTarget(url: string): PostgresTarget {
  try {
    return readTarget(url);
  } catch (cause) {
    if (cause instanceof DatabaseError) throw cause;
    throw new DatabaseError(
      "DB_URL_INVALID",
      `"${redact(url)}" cannot be read: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

function readTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  const query = parsed.searchParams;
  const take = (key: string) => {
    const value = query.get(key);
    query.delete(key);
    return value ?? undefined;
  };
  const [hostParam, portParam, username, password] = ["host", "port", "user", "password"].map(take);
  const encodedHost = decodeURIComponent(parsed.hostname);
  // An IPv6 literal in the URL ("[::1]"), which postgres.js would cut at its first colon.
  const literal = /^\[(.+)\]$/.exec(parsed.hostname)?.[1];
  const host = hostParam ?? (encodedHost.startsWith("/") ? encodedHost : literal);
  // libpq: one port for every host, or one per host.
  const ports = (portParam ?? (parsed.port || "5432")).split(",").map(portOf);
  const options: PostgresTarget["options"] = {};
  if (host?.startsWith("/")) {
    if (host.includes(",") || ports.length > 1) {
      throw new DatabaseError(
        "DB_URL_INVALID",
        `name one socket directory and one port, not "${host}"`,
      );
    }
    options.path = `${host.replace(/\/+$/, "")}/.s.PGSQL.${ports[0]}`;
  } else if (host) {
    // As lists, so that postgres.js does not read an IPv6 address's colons as a port.
    const hosts = host.split(",");
    if (ports.length > 1 && ports.length !== hosts.length) {
      throw new DatabaseError(
        "DB_URL_INVALID",
        `${hosts.length} hosts and ${ports.length} ports: name one port for all, or one per host`,
      );
    }
    // postgres.js reads lists here too, though its types say one.
    options.host = hosts as unknown as string;
    options.port = hosts.map((_, i) => ports[i] ?? ports[0]!) as unknown as number;
  } else if (portParam !== undefined) {
    options.port = (ports.length === 1 ? ports[0]! : ports) as unknown as number;
  }
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  // postgres.js needs a host it can read in the URL, unused when there is a socket.
  if (parsed.hostname === "" || encodedHost.startsWith("/") || literal) {
    parsed.hostname = "localhost";
  }
  return { url: parsed.toString(), options };
}

function portOf(text: string): number {
  const port = Number(text);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new DatabaseError("DB_URL_INVALID", `port "${text}" is out of range 1–65535`);
  }
  return port;
}
