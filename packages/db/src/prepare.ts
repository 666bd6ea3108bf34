/**
 * postgres.js runs a query given to `unsafe()` — every drizzle query not
 * built with `.prepare(name)` — as an unnamed statement. With parameters
 * that costs two round trips (Parse + Describe, wait for the parameter
 * types, then Bind + Execute) and a fresh parse and plan on the server,
 * every time. Preparing it instead costs that once per connection; later
 * runs are one Bind + Execute of a cached plan.
 *
 * Only statements with few parameters are prepared: each distinct SQL text
 * stays cached on its connection (in postgres.js and on the server) for the
 * connection's life, and a multi-row insert's text changes with its row
 * count. Few parameters means a fixed statement or a short list, so the
 * cache stays as small as the code that writes the queries.
 *
 * Statements inside transactions stay as they were (unnamed, unless named
 * with `.prepare(name)`): after a migration changes a table, a cached plan
 * fails once with "cached plan must not change result type" (0A000).
 * postgres.js retries that by itself outside a transaction; inside one, the
 * transaction would already be aborted. The hot paths run outside.
 */
import type postgres from "postgres";

/** Statements with more parameters than this run unnamed (batches, long lists). */
export const MAX_PREPARED_PARAMETERS = 64;

type Sql = postgres.Sql;
type UnsafeOptions = { prepare?: boolean } & Record<string, unknown>;

/** `client` with its parameterised statements prepared, outside transactions. */
export function preparing<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "unsafe") return Reflect.get(target, property, receiver);
      return (query: string, params: unknown[] = [], options: UnsafeOptions = {}) =>
        target.unsafe(query, params as postgres.ParameterOrJSON<never>[], {
          ...options,
          prepare:
            options.prepare === true ||
            (params.length > 0 && params.length <= MAX_PREPARED_PARAMETERS),
        });
    },
  });
}
