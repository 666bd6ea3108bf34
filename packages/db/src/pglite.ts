import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Backend } from "./backend.js";
import { lockDataDir } from "./data-dir-lock.js";
import { DatabaseError } from "./errors.js";
import * as schema from "./schema.js";

/** PostgreSQL in WASM, in this process: one connection, so row locks never contend. */
export async function openPglite(dataDir: string | null): Promise<Backend> {
  let client: PGlite;
  let unlock = async () => {};
  try {
    if (dataDir !== null) await mkdir(dataDir, { recursive: true });
    if (dataDir !== null) unlock = await lockDataDir(dataDir);
    client = dataDir === null ? await PGlite.create() : await PGlite.create({ dataDir });
  } catch (cause) {
    await unlock();
    if (cause instanceof DatabaseError) throw cause;
    throw new DatabaseError(
      "DB_DATA_DIR",
      `cannot open the embedded database in ${dataDir ?? "memory"}: ${(cause as Error).message}; ` +
        "the directory must be writable and not in use by another process",
      { cause },
    );
  }
  return {
    db: drizzle(client, { schema }),
    async session() {
      return {
        query: async <Row>(text: string, params: unknown[] = []) =>
          (await client.query<Row>(text, params)).rows,
        exec: async (text) => {
          await client.exec(text);
        },
        release: async () => {},
      };
    },
    connect: async () => ({
      query: async <Row>(text: string, params: unknown[] = []) =>
        (await client.query<Row>(text, params)).rows,
      losses: () => 0,
      close: async () => {},
    }),
    async close() {
      try {
        await client.close();
      } finally {
        await unlock();
      }
    },
  };
}
