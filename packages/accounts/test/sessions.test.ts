/**
 * Command sessions on both backends: one owner, one winner per step, and
 * sessions that end or expire stay refused.
 */
import { usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandSessions, createCommandSessions } from "../src/index.js";
import { createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });
const TTL = 60_000;

describe.each(["postgres", "pglite"] as const)("command sessions on %s", (backend) => {
  let world: World;
  let sessions: CommandSessions;
  beforeAll(async () => {
    world = await createWorld(backend === "postgres" ? { postgres: postgresUrl() } : "pglite");
    sessions = createCommandSessions({ db: world.database.db });
  });
  afterAll(() => world?.close());

  const open = (jid = "ann@example.org", state = {}) =>
    sessions.open({ jid, node: "pay", target: "bob@gw.example", state, ttlMs: TTL });

  it("keeps a session's state from step to step, for its owner only", async () => {
    const s = await open("ann@example.org", { stage: "amount" });
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(s.step).toBe(0);
    const next = await sessions.advance({
      id: s.id,
      jid: "ann@example.org",
      from: 0,
      state: { stage: "summary", code: "k7xq" },
      ttlMs: TTL,
    });
    expect(next).toMatchObject({ step: 1, state: { stage: "summary", code: "k7xq" } });
    const found = await sessions.find(s.id, "ann@example.org");
    expect(found).toMatchObject({ kind: "live", session: { step: 1, node: "pay" } });
    expect(await sessions.find(s.id, "mallory@example.org")).toEqual({ kind: "unknown" });
    const stolen = { id: s.id, jid: "mallory@example.org", from: 1, state: {}, ttlMs: TTL };
    expect(await sessions.advance(stolen)).toBeUndefined();
    expect(await sessions.find("no-such-session", "ann@example.org")).toEqual({ kind: "unknown" });
  });

  it("lets exactly one of many concurrent answers to a step go on", async () => {
    const s = await open();
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sessions.advance({ id: s.id, jid: s.jid, from: 0, state: { i }, ttlMs: TTL, end: true }),
      ),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect(await sessions.find(s.id, s.jid)).toEqual({ kind: "ended" });
    const again = await sessions.advance({ id: s.id, jid: s.jid, from: 1, state: {}, ttlMs: TTL });
    expect(again).toBeUndefined();
  });

  it("refuses an expired session, and sweeps long-expired ones", async () => {
    const s = await sessions.open({
      jid: "cat@example.org",
      node: "history",
      target: "gw",
      state: {},
      ttlMs: -1,
    });
    expect(await sessions.find(s.id, s.jid)).toEqual({ kind: "expired" });
    const advanced = await sessions.advance({
      id: s.id,
      jid: s.jid,
      from: 0,
      state: {},
      ttlMs: TTL,
    });
    expect(advanced).toBeUndefined();
    const old = await sessions.open({
      jid: "cat@example.org",
      node: "history",
      target: "gw",
      state: {},
      ttlMs: -2 * 3600_000,
    });
    await open("dan@example.org");
    expect(await sessions.find(old.id, old.jid)).toEqual({ kind: "unknown" });
    expect(await sessions.find(s.id, s.jid)).toEqual({ kind: "expired" });
  });
});
