import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Backend } from "./backend.js";
import { DatabaseError } from "./errors.js";
import { redact } from "./location.js";
import { ownConnection } from "./own-connection.js";
import { preparing } from "./prepare.js";
import * as schema from "./schema.js";
import { postgresTarget } from "./target.js";

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** Seconds to wait for a connection before giving up (default 10). */
  connectTimeout?: number;
}

export async function openPostgres(url: string, options: PostgresOptions): Promise<Backend> {
  const target = postgresTarget(url);
  const settings = {
    ...target.options,
    connect_timeout: options.connectTimeout ?? 10,
    onnotice: () => {},
    // No column or parameter of ours is an array. postgres.js's look-up of
    // array types on each new connection is a query nobody awaits: a cut
    // during it was an unhandled rejection (fatal in Node) and a stuck query.
    fetch_types: false,
    connection: { application_name: "bitcoim" },
  };
  let client: postgres.Sql;
  try {
    client = postgres(target.url, { ...settings, max: options.maxConnections ?? 10 });
  } catch (cause) {
    // postgres.js reads the URL again (e.g. its user part's escapes) and may refuse it.
    throw new DatabaseError(
      "DB_URL_INVALID",
      `"${redact(url)}" cannot be read: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const owned = new Set<() => Promise<void>>();
  let ended = false;
  try {
    await client`SELECT 1`;
  } catch (cause) {
    await client.end({ timeout: 0 }).catch(() => {});
    throw connectError(url, cause);
  }
  return {
    db: drizzle(preparing(client), { schema }),
    async session() {
      const reserved = await client.reserve();
      return {
        query: async <Row>(text: string, params: unknown[] = []) =>
          (await reserved.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as Row[],
        exec: async (text) => {
          await reserved.unsafe(text);
        },
        release: async () => reserved.release(),
      };
    },
    async connect() {
      if (ended) throw new Error("the database is closed");
      const own = ownConnection(target.url, settings);
      const close = async () => {
        owned.delete(close);
        await own.close();
      };
      owned.add(close);
      return { query: own.query, losses: own.losses, close };
    },
    // Connections of their own end with the database.
    close: async () => {
      ended = true;
      await Promise.all([...owned].map((end) => end()));
      await client.end({ timeout: 5 });
    },
  };
}

/** Turns a driver failure into what the operator must fix. */
function connectError(url: string, cause: unknown): DatabaseError {
  const err = cause as { code?: string; message?: string };
  const where = describe(url);
  switch (err.code) {
    case "28P01":
    case "28000":
      return new DatabaseError(
        "DB_AUTH_FAILED",
        `PostgreSQL at ${where} refused the credentials (${err.message}); check the user and password in the database URL`,
        { cause },
      );
    case "42704":
      return new DatabaseError(
        "DB_URL_INVALID",
        `PostgreSQL at ${where} refused a setting named in the URL's query (${err.message}); remove it, or name a PostgreSQL setting`,
        { cause },
      );
    case "3D000":
      return new DatabaseError(
        "DB_NOT_FOUND",
        `${err.message} at ${where}; create it (createdb) or fix the database name in the URL`,
        { cause },
      );
    default:
      return new DatabaseError(
        "DB_UNREACHABLE",
        `cannot reach PostgreSQL at ${where} (${err.code ?? err.message}); is the server running, and are host and port right?`,
        { cause },
      );
  }
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    const { path } = postgresTarget(url).options;
    const server = path ?? `${u.hostname || "localhost"}:${u.port || 5432}`;
    return `${server}${u.pathname !== "/" ? u.pathname : ""}`;
  } catch {
    return redact(url);
  }
}
