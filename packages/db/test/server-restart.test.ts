/**
 * A PostgreSQL restart under load (an upgrade, a failover): every query in
 * flight settles with a connection error, none takes the process down, and
 * the pool answers again once the server is back. postgres.js 3.4.9 threw
 * from a write it had scheduled before the cut (patches/postgres@3.4.9.patch).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/index.js";
import { startTestPostgres, type TestPostgres } from "../src/testing.js";

describe("a PostgreSQL restart under load", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(() => pg?.stop());

  it("settles every query, never throws outside one, and answers afterwards", async () => {
    const database = await openDatabase(await pg.createDatabase("restart"), { maxConnections: 6 });
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on("uncaughtException", onEscape);
    const failures = new Map<string, number>();
    let running = true;
    let answered = 0;
    const worker = async (i: number) => {
      while (running) {
        try {
          if (i % 2) {
            await database.db.transaction(async (tx) => {
              await tx.execute(sql`SELECT pg_sleep(0.01)`);
              await tx.execute(sql`SELECT 1`);
            });
          } else await database.db.execute(sql`SELECT pg_sleep(0.005)`);
          answered++;
        } catch (error) {
          const e = error as { code?: unknown; cause?: { code?: unknown } };
          const code = String(e.cause?.code ?? e.code ?? error);
          if (!running) break; // ended by the close below
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, i) => worker(i));
    try {
      for (let round = 0; round < 5; round++) {
        const before = answered;
        await pg.restart();
        // Back to work: every worker loops, so a few dozen answers mean the pool recovered.
        while (answered < before + 50) await new Promise((r) => setImmediate(r));
      }
    } finally {
      running = false;
      // Closing first ends any query still waiting: postgres.js 3.4.9 can
      // leave one waiting forever after a cut (see the README).
      await database.close();
      await Promise.all(workers);
      process.off("uncaughtException", onEscape);
    }
    expect(escaped).toEqual([]);
    // Failures are the connection's, never a driver's TypeError.
    for (const code of failures.keys()) {
      expect(code).toMatch(/^(CONNECTION_|ECONNREFUSED|ECONNRESET|EPIPE|57P0[1-3])/);
    }
  }, 120_000);
});
