/**
 * The roll call of gateway processes on one real PostgreSQL database
 * (src/lifecycle/peers.ts): who is alone, who says goodbye, a newcomer
 * during a goodbye, and a roll-call connection the server cuts.
 */
import { type Database, openDatabase } from "@bitcoim/db";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type JoinedPeers, joinPeers, type PeersOptions } from "../src/lifecycle/peers.js";
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
  const join = async (database: Database, options: Partial<PeersOptions> = {}) => {
    const recorded = recordLog("warn");
    return { peers: await joinPeers({ database, log: recorded.log, ...options }), recorded };
  };
  /** The roll call's locks on the server (key 4 of bitcoIM's namespace), as `mode:granted`. */
  async function rollCall(database: Database): Promise<string[]> {
    const rows = (await database.db.execute(
      `select mode || ':' || granted as lock from pg_locks
       where locktype = 'advisory' and objid = 4 and objsubid = 2
         and database = (select oid from pg_database where datname = current_database())
       order by 1`,
    )) as unknown as { lock: string }[];
    return rows.map((r) => r.lock);
  }
  /** Starts `peers`' leave with a goodbye that lasts until `finish()`; resolves once it is under way. */
  async function sayingGoodbye(peers: JoinedPeers): Promise<{ finish: () => void }> {
    let finish!: () => void;
    await new Promise<void>((started) => {
      void peers.leave(async () => {
        started();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
      });
    });
    return { finish };
  }
  /** Asks `check` again (10 s at most) until it says yes. */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("still no after 10 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  /** Waits (10 s at most) for the server to show the roll call's locks as `expected`. */
  async function until(database: Database, expected: string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (JSON.stringify(await rollCall(database)) === JSON.stringify(expected)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await rollCall(database)).toEqual(expected);
  }

  it("one process leads at a time, whoever asks first; the lead passes on when it goes", async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const { peers: one } = await join(a);
    const { peers: two } = await join(b);
    // Asked at once: exactly one leads, and keeps leading when asked again.
    const first = await Promise.all([one.leads(), two.leads()]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const [leader, other] = first[0] ? [one, two] : [two, one];
    expect([await leader.leads(), await other.leads()]).toEqual([true, false]);
    const { peers: three } = await join(c);
    expect(await three.leads()).toBe(false);
    // Gone without a goodbye (its connection closed, as in a crash): another takes the lead.
    await leader.close();
    const next = await Promise.all([other.leads(), three.leads()]);
    expect(next.filter(Boolean)).toHaveLength(1);
    await Promise.all([other.close(), three.close()]);
  });

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
    const { finish } = await sayingGoodbye(last);
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

  it("a roll-call connection the server cuts is answered again by itself, and nothing crashes", async () => {
    const [a, b] = [await open(), await open()];
    // Settling takes 2.5 keeper periods (1.5 s): wide enough for the checks
    // below to run inside it on a loaded machine, where 20 ms was not.
    const { peers: one } = await join(a, { keepEveryMs: 500 });
    const [held] = (await a.db.execute(
      `select pid from pg_locks where locktype = 'advisory' and objid = 4 and objsubid = 2`,
    )) as unknown as { pid: number }[];
    const pid = held!.pid;
    const { peers: two } = await join(b);
    await a.db.execute(`select pg_terminate_backend(${pid})`);
    await eventually(async () => {
      const rows = (await a.db.execute(
        `select count(*)::int as n from pg_stat_activity where pid = ${pid}`,
      )) as unknown as { n: number }[];
      return rows[0]!.n === 0;
    });
    // Without being asked anything, the cut one answers the roll call again.
    await until(a, ["ShareLock:true", "ShareLock:true"]);
    const said: string[] = [];
    await two.leave(async () => {
      said.push("two");
    });
    expect(said).toEqual([]);
    // Fresh from a cut, it cannot know others are back yet: not alone, for a while.
    expect(await one.alone()).toBe(false);
    await eventually(() => one.alone());
    await one.leave(async () => {
      said.push("one");
    });
    expect(said).toEqual(["one"]);
    expect(await rollCall(a)).toEqual([]);
  });

  it("a newcomer waits out a goodbye longer than one query may take", async () => {
    const [a, b] = [await open(), await open()];
    const { peers: last } = await join(a);
    const { finish } = await sayingGoodbye(last);
    const joining = join(b, { queryTimeoutMs: 100, joinWaitMs: 10_000 });
    await until(a, ["ExclusiveLock:true", "ShareLock:false", "ShareLock:true"]);
    // Well past one query's time limit: still waiting, not given up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rollCall(a)).toEqual(["ExclusiveLock:true", "ShareLock:false", "ShareLock:true"]);
    finish();
    const { peers: newcomer, recorded } = await joining;
    expect(recorded.entries).toEqual([]);
    expect(await rollCall(a)).toEqual(["ShareLock:true"]);
    await newcomer.close();
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
