/** The turn-taking on-chain sends go through: one at a time, in call order, past failures. */
import { describe, expect, it } from "vitest";
import { createSerial } from "../src/serial.js";

describe("createSerial", () => {
  it("runs one piece of work at a time, in call order, and goes on after a failure", async () => {
    const serial = createSerial();
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
