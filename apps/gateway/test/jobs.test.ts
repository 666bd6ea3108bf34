/** The order upkeep's steps: each runs whatever became of the one before. */
import { describe, expect, it } from "vitest";
import { type OrderJob, ordersOnce } from "../src/lifecycle/jobs.js";

describe("ordersOnce", () => {
  it("follows sent payments even when reconciliation fails, then reports the failure", async () => {
    const ran: string[] = [];
    const orders: OrderJob["orders"] = {
      expire: async () => {
        ran.push("expire");
        return [];
      },
      reconcile: async () => {
        ran.push("reconcile");
        throw new Error("node unreachable");
      },
      trackSends: async () => {
        ran.push("trackSends");
        return [];
      },
    };
    await expect(ordersOnce({ orders, confirmations: 1 })).rejects.toThrow("node unreachable");
    expect(ran).toEqual(["expire", "reconcile", "trackSends"]);
  });
});
