/** What a database handle can run at once, and the turn that stands in for advisory locks on PGlite. */
import { describe, expect, it } from "vitest";
import {
  connectionLimit,
  createTurn,
  isSingleConnection,
  openDatabase,
  processTurn,
} from "../src/index.js";
import { freshPostgresUrl } from "./support.js";

describe("createTurn", () => {
  it("runs one piece of work at a time, in call order, and goes on after a failure", async () => {
    const serial = createTurn();
    const log: string[] = [];
    let running = 0;
    // Node 20 has no Promise.withResolvers.
    const gates = [0, 1, 2].map(() => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
    const work = (i: number) => async () => {
      running++;
      log.push(`start ${i} (${running} running)`);
      await gates[i]!.promise;
      running--;
      log.push(`end ${i}`);
      if (i === 1) throw new Error("refused");
      return i;
    };
    const results = [0, 1, 2].map((i) => serial(work(i)));
    gates[2]!.resolve();
    gates[1]!.resolve();
    gates[0]!.resolve();
    expect(await results[0]).toBe(0);
    await expect(results[1]).rejects.toThrow("refused");
    expect(await results[2]).toBe(2);
    expect(log).toEqual([
      "start 0 (1 running)",
      "end 0",
      "start 1 (1 running)",
      "end 1",
      "start 2 (1 running)",
      "end 2",
    ]);
  });
});

describe("connectionLimit and processTurn", () => {
  it("PGlite: one connection, and one turn for everyone using the same client", async () => {
    const a = await openDatabase("pglite:memory");
    const b = await openDatabase("pglite:memory");
    try {
      expect(isSingleConnection(a.db)).toBe(true);
      expect(connectionLimit(a.db)).toBe(1);
      const turn = processTurn(a.db);
      expect(turn).toBeTypeOf("function");
      expect(processTurn(a.db)).toBe(turn);
      // Another database has a turn of its own: it holds none of this one's data.
      expect(processTurn(b.db)).not.toBe(turn);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("PostgreSQL: the pool's size, and no process turn (the server's locks serve)", async () => {
    const url = await freshPostgresUrl();
    const one = await openDatabase(url, { maxConnections: 1 });
    const pool = await openDatabase(url);
    try {
      expect(isSingleConnection(one.db)).toBe(false);
      expect(connectionLimit(one.db)).toBe(1);
      expect(connectionLimit(pool.db)).toBe(10);
      expect(processTurn(pool.db)).toBeUndefined();
    } finally {
      await one.close();
      await pool.close();
    }
  });
});

describe("connect: a connection of one's own", () => {
  it("PostgreSQL: outside the pool, counts its losses, ends with the database", async () => {
    const database = await openDatabase(await freshPostgresUrl(), { maxConnections: 1 });
    const own = await database.connect();
    try {
      const pid = async () =>
        (await own.query<{ pid: number }>("select pg_backend_pid() as pid"))[0]!.pid;
      const first = await pid();
      // The pool's one connection is another backend: a session lock here is nobody else's.
      const [pooled] = (await database.db.execute("select pg_backend_pid() as pid")) as unknown as {
        pid: number;
      }[];
      expect(pooled!.pid).not.toBe(first);
      expect(own.losses()).toBe(0);
      await database.db.execute(`select pg_terminate_backend(${first})`);
      // The cut shows on the next use; the one after opens a new session.
      const again = await pid().catch(() => pid());
      expect(again).not.toBe(first);
      expect(own.losses()).toBeGreaterThanOrEqual(1);
      await database.close();
      const check = await openDatabase(await freshPostgresUrl());
      try {
        const alive = (await check.db.execute(
          `select count(*)::int as n from pg_stat_activity where pid = ${again}`,
        )) as unknown as { n: number }[];
        expect(alive[0]!.n).toBe(0);
      } finally {
        await check.close();
      }
    } finally {
      await database.close();
    }
  });
});
