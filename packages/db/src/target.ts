/**
 * libpq's connection-URL parameters that postgres.js does not read — it
 * would send them to the server as settings, which the server refuses —
 * turned into its options: `host` (a directory is a Unix-domain socket's,
 * as in `postgresql:///bitcoim?host=/var/run/postgresql`), `port`, `user`,
 * `password`. A host that is a percent-encoded path names a socket
 * directory too (`postgres://u:pw@%2Fvar%2Frun%2Fpostgresql/bitcoim`).
 */
import { DatabaseError } from "./errors.js";

export interface PostgresTarget {
  /** The URL left for postgres.js. */
  url: string;
  options: { path?: string; host?: string; port?: number; username?: string; password?: string };
}

export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  const query = parsed.searchParams;
  const take = (key: string) => {
    const value = query.get(key);
    query.delete(key);
    return value ?? undefined;
  };
  const [hostParam, portParam, username, password] = ["host", "port", "user", "password"].map(take);
  const encodedHost = decodeURIComponent(parsed.hostname);
  const host = hostParam ?? (encodedHost.startsWith("/") ? encodedHost : undefined);
  const portText = portParam ?? (parsed.port || "5432");
  const port = Number(portText);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new DatabaseError("DB_URL_INVALID", `port "${portText}" is out of range 1–65535`);
  }
  const options: PostgresTarget["options"] = {};
  if (host?.startsWith("/")) options.path = `${host.replace(/\/+$/, "")}/.s.PGSQL.${port}`;
  else if (host) options.host = host;
  if (portParam !== undefined) options.port = port;
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  // postgres.js needs a host it can read in the URL, unused when there is a socket.
  if (parsed.hostname === "" || encodedHost.startsWith("/")) parsed.hostname = "localhost";
  return { url: parsed.toString(), options };
}
