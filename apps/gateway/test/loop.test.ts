/** The loop's own promises: no overlapping runs, survives failures, stops after the running tick. */
import { describe, expect, it } from "vitest";
import type { Exclusive } from "../src/lifecycle/exclusive.js";
import { startLoop } from "../src/lifecycle/loop.js";
import { recordLog } from "./helpers.js";

const always: Exclusive = async (_job, work) => ({ ran: true, value: await work() });

describe("a periodic job", () => {
  it("logs an outage once, keeps trying, and says when it recovers", async () => {
    const recorded = recordLog();
    const health: boolean[] = [];
    let calls = 0;
    const loop = startLoop({
      job: "deposits",
      intervalMs: 1,
      exclusive: always,
      log: recorded.log,
      tick: async () => {
        calls++;
        if (calls <= 3) throw Object.assign(new Error("node down"), { code: "NODE_UNAVAILABLE" });
        return calls;
      },
      onHealth: (healthy) => health.push(healthy),
    });
    const recovered = await recorded.waitFor(/recovered/);
    await loop.stop();
    expect(recovered.job).toBe("deposits");
    expect(health).toEqual([false, true]);
    const failed = recorded.entries.filter((e) => e.msg === "job failed; retrying every interval");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.err).toMatchObject({ code: "NODE_UNAVAILABLE", message: "node down" });
  });

  it("says once that a run is stuck, and nothing while runs end in time", async () => {
    const stuck: number[] = [];
    let heard!: () => void;
    const told = new Promise<void>((resolve) => {
      heard = resolve;
    });
    let runs = 0;
    const loop = startLoop({
      job: "orders",
      intervalMs: 1,
      exclusive: always,
      log: recordLog().log,
      stuckAfterMs: 50,
      onStuck: (ms) => {
        stuck.push(ms);
        heard();
      },
      // Three quick runs, then one that never ends (a query waiting forever).
      tick: () => (++runs <= 3 ? Promise.resolve(runs) : new Promise<never>(() => {})),
    });
    await told;
    expect(runs).toBe(4);
    expect(stuck).toEqual([50]);
    void loop.stop(); // waits for the stuck run: never awaited here
  });

  it("never overlaps runs, and stop() waits for the running one", async () => {
    let active = 0;
    let most = 0;
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const first = new Promise<void>((resolve) => {
      started = resolve;
    });
    const loop = startLoop({
      job: "orders",
      intervalMs: 60_000,
      exclusive: always,
      log: recordLog().log,
      tick: async () => {
        active++;
        most = Math.max(most, active);
        started();
        await gate;
        active--;
        finished++;
      },
    });
    await first;
    const extra = loop.runOnce();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await Promise.all([extra, stopping]);
    expect(finished).toBe(2);
    expect(most).toBe(1);
  });

  it("counts only the runs this process made", async () => {
    const results: number[] = [];
    const never: Exclusive = async () => ({ ran: false });
    const loop = startLoop({
      job: "deposits",
      intervalMs: 60_000,
      exclusive: never,
      log: recordLog().log,
      tick: async () => 1,
      onResult: (n) => results.push(n),
    });
    await loop.runOnce();
    await loop.stop();
    expect(results).toEqual([]);
  });
});
