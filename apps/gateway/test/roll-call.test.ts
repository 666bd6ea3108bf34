/**
 * The roll call of gateway processes on one real PostgreSQL database
 * (src/lifecycle/peers.ts): who is alone, who says goodbye, a newcomer
 * during a goodbye, and a roll-call connection the server cuts.
 */
import { type Database, openDatabase } from "@bitcoim/db";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { joinPeers } from "../src/lifecycle/peers.js";
import { recordLog } from "./helpers.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("the roll call of gateway processes", () => {
  let url: string;
  const opened: Database[] = [];
  beforeAll(async () => {
    url = await createDatabaseOn(postgresUrl());
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close()));
  });
  const open = async () => {
    const database = await openDatabase(url);
    opened.push(database);
    return database;
  };
  const join = async (database: Database, options: { joinWaitMs?: number } = {}) => {
    const recorded = recordLog("warn");
    return { peers: await joinPeers({ database, log: recorded.log, ...options }), recorded };
  };
  /** The roll call's locks on the server (key 4 of bitcoIM's namespace), as `mode:granted`. */
  async function rollCall(database: Database): Promise<string[]> {
    const rows = (await database.db.execute(
      `select mode || ':' || granted as lock, pid from pg_locks
       where locktype = 'advisory' and objid = 4 and objsubid = 2
         and database = (select oid from pg_database where datname = current_database())
       order by 1`,
    )) as unknown as { lock: string; pid: number }[];
    return rows.map((r) => r.lock);
  }
  /** Waits for the server to show the roll call's locks as `expected`. */
  async function until(database: Database, expected: string[]): Promise<void> {
    for (let i = 0; i < 1_000; i++) {
      if (JSON.stringify(await rollCall(database)) === JSON.stringify(expected)) return;
    }
    expect(await rollCall(database)).toEqual(expected);
  }

  it("a process is alone only without others; only the last to leave says goodbye", async () => {
    const [a, b] = [await open(), await open()];
    const { peers: one } = await join(a);
    expect(await one.alone()).toBe(true);
    const { peers: two } = await join(b);
    expect([await one.alone(), await two.alone()]).toEqual([false, false]);
    // Asking took nothing away: both still hold their share.
    expect(await rollCall(a)).toEqual(["ShareLock:true", "ShareLock:true"]);
    const said: string[] = [];
    await one.leave(async () => {
      said.push("one");
    });
    expect(said).toEqual([]);
    expect(await two.alone()).toBe(true);
    await two.leave(async () => {
      said.push("two");
    });
    expect(said).toEqual(["two"]);
    expect(await rollCall(a)).toEqual([]);
  });

  it("a newcomer joins after the last process's goodbye, or, past its wait, starts anyway", async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const { peers: last } = await join(a);
    let finish!: () => void;
    const saying = new Promise<void>((started) => {
      void last.leave(async () => {
        started();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
      });
    });
    await saying;
    // A newcomer with no patience starts anyway, and says why.
    const { peers: hasty, recorded } = await join(b, { joinWaitMs: 50 });
    expect(recorded.entries.map((e) => e.msg)).toEqual([
      expect.stringMatching(/could not answer the gateway processes' roll call/),
    ]);
    // While the goodbye runs, the hasty one is not alone: it would not forget who is online.
    expect(await hasty.alone()).toBe(false);
    const joined: string[] = [];
    const patient = join(c).then((p) => {
      joined.push("patient");
      return p.peers;
    });
    await until(a, ["ExclusiveLock:true", "ShareLock:false", "ShareLock:true"]);
    expect(joined).toEqual([]);
    finish();
    const newcomer = await patient;
    // The hasty one answers the roll call now too: neither is alone.
    expect([await hasty.alone(), await newcomer.alone()]).toEqual([false, false]);
    await Promise.all([hasty.close(), newcomer.close()]);
  });

  it("processes leaving at once: exactly one says goodbye", async () => {
    const databases = await Promise.all([1, 2, 3].map(() => open()));
    const all = await Promise.all(databases.map((d) => join(d)));
    const said: number[] = [];
    await Promise.all(
      all.map(({ peers }, i) =>
        peers.leave(async () => {
          said.push(i);
        }),
      ),
    );
    expect(said).toHaveLength(1);
  });

  it("a roll-call connection the server cuts is answered again, and nothing crashes", async () => {
    const [a, b] = [await open(), await open()];
    const { peers: one } = await join(a);
    const [{ pid }] = (await a.db.execute(
      `select pid from pg_locks where locktype = 'advisory' and objid = 4 and objsubid = 2`,
    )) as unknown as { pid: number }[];
    const { peers: two } = await join(b);
    await a.db.execute(`select pg_terminate_backend(${pid})`);
    await until(a, ["ShareLock:true"]);
    // The cut one takes its share again before answering; the other sees it.
    expect(await one.alone()).toBe(false);
    expect(await rollCall(a)).toEqual(["ShareLock:true", "ShareLock:true"]);
    expect(await two.alone()).toBe(false);
    const said: string[] = [];
    await two.leave(async () => {
      said.push("two");
    });
    await one.leave(async () => {
      said.push("one");
    });
    expect(said).toEqual(["one"]);
  });

  it("PGlite: one process, always alone, its goodbye always said", async () => {
    const database = await openDatabase("pglite:memory");
    opened.push(database);
    const { peers } = await join(database);
    expect(await peers.alone()).toBe(true);
    let said = false;
    await peers.leave(async () => {
      said = true;
    });
    expect(said).toBe(true);
  });
});
