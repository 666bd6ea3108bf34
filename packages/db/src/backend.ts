import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.js";
import type { OwnConnection, Session } from "./session.js";

/** The typed drizzle database, the same type whichever backend holds the data. */
export type BitcoimDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Backend {
  db: BitcoimDb;
  session(): Promise<Session>;
  connect(): Promise<OwnConnection>;
  close(): Promise<void>;
}
