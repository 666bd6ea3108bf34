/**
 * A PostgreSQL connection of its own, outside the pool (session.ts's
 * `OwnConnection`): one postgres.js client of one connection, as its LISTEN
 * connection is, never closed for idling or age. A client whose connection
 * was cut is dropped for a new one at the next query — postgres.js's own
 * reconnection can leave the next query waiting forever after a reset.
 */
import postgres from "postgres";
import type { OwnConnection } from "./session.js";

export function ownConnection(url: string, settings: postgres.Options<never>): OwnConnection {
  let losses = 0;
  let closed = false;
  let current: postgres.Sql | undefined;
  const drop = (client: postgres.Sql) => {
    if (current !== client) return;
    current = undefined;
    losses++;
    queueMicrotask(() => void client.end({ timeout: 0 }).catch(() => {}));
  };
  const open = () => {
    const client: postgres.Sql = postgres(url, {
      ...settings,
      // The server keeps a vanished client's session, and its locks, until
      // TCP keepalives give up on it: about 1.5 minutes, not the system's 2 hours.
      connection: {
        ...settings.connection,
        tcp_keepalives_idle: 60,
        tcp_keepalives_interval: 10,
        tcp_keepalives_count: 3,
      },
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      onclose: () => drop(client),
    });
    return client;
  };
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      if (closed) throw new Error("this connection was closed");
      current ??= open();
      const client = current;
      try {
        return (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as Row[];
      } catch (error) {
        if (gone(error)) drop(client);
        throw error;
      }
    },
    losses: () => losses,
    async close() {
      closed = true;
      const client = current;
      current = undefined;
      await client?.end({ timeout: 1 });
    },
  };
}

/** postgres.js's and Node's codes for a connection that is gone. */
function gone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    /^(CONNECTION_|CONNECT_TIMEOUT$|ECONNRESET$|EPIPE$|ETIMEDOUT$|57P0[1-3]$)/.test(code)
  );
}
