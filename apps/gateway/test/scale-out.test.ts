/** Several gateway processes on one real PostgreSQL database: singleton jobs run once. */
import type { DepositNotice } from "@bitcoim/accounts";
import { openDatabase } from "@bitcoim/db";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { satsFromBtc } from "@bitcoim/wallet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { createExclusive } from "../src/lifecycle/exclusive.js";
import { type RunningGateway, startGateway } from "../src/lifecycle/start.js";
import { type Chain, startChain } from "./chain.js";
import { recordLog, tempFile } from "./helpers.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("scaling out on one PostgreSQL database", () => {
  let chain: Chain;
  let url: string;
  beforeAll(async () => {
    chain = await startChain();
    url = await createDatabaseOn(postgresUrl());
  }, 60_000);
  afterAll(() => chain?.close());

  it("an advisory lock lets one process run a job while another skips it", async () => {
    const a = await openDatabase(url);
    const b = await openDatabase(url);
    try {
      const [runA, runB] = [createExclusive(a), createExclusive(b)];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const first = runA("deposits", async () => {
        entered();
        await gate;
        return "a";
      });
      await inside;
      expect(await runB("deposits", async () => "b")).toEqual({ ran: false });
      // Another job is not blocked by it.
      expect(await runB("orders", async () => "b")).toEqual({ ran: true, value: "b" });
      release();
      expect(await first).toEqual({ ran: true, value: "a" });
      // Released with the transaction: the other process gets it now.
      expect(await runB("deposits", async () => "b")).toEqual({ ran: true, value: "b" });
      // A failing job releases the lock too.
      await expect(runA("deposits", () => Promise.reject(new Error("boom")))).rejects.toThrow(
        "boom",
      );
      expect(await runB("deposits", async () => "b")).toEqual({ ran: true, value: "b" });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("two gateways credit a deposit once", async () => {
    const toml = `[xmpp]\njid = "bitcoin.example.org"\nsecret = "s"\n${chain.toml()}\n[database]\nurl = "${url}"\n[gateway]\npoll_interval = 1`;
    const config = await loadConfig({ path: await tempFile(toml), env: {} });
    const gateways: RunningGateway[] = [];
    try {
      for (let i = 0; i < 2; i++)
        gateways.push(await startGateway({ config, log: recordLog().log }));
      const [one, two] = gateways as [RunningGateway, RunningGateway];
      const credits: DepositNotice[] = [];
      const firstCredit = new Promise<void>((resolve) => {
        for (const g of gateways) {
          g.accounts.events.on("depositCredited", (n) => {
            credits.push(n);
            resolve();
          });
        }
      });
      const { user } = await one.accounts.register("bob@example.org", "bob");
      const [address] = await two.accounts.addresses(user.id);
      await chain.pay(address!.address, satsFromBtc("0.1"));
      await chain.mine(1);
      await firstCredit;
      // Both scan again, at once, on top of their schedules.
      await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
      expect(credits).toHaveLength(1);
      expect((await one.accounts.balance(user.id)).confirmed).toBe(10_000_000n);
      expect(await two.accounts.audit()).toMatchObject({ ok: true });
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
  });

  it("the order upkeep gives back wallet coins no send holds, and logs it", async () => {
    const toml = `[xmpp]\njid = "bitcoin.example.org"\nsecret = "s"\n${chain.toml()}\n[database]\nurl = "${url}"\n[gateway]\npoll_interval = 3600`;
    const config = await loadConfig({ path: await tempFile(toml), env: {} });
    const recorded = recordLog();
    const gateway = await startGateway({ config, log: recorded.log });
    try {
      await chain.pay(await gateway.node.getNewAddress("", "bech32"), satsFromBtc("0.2"));
      await chain.mine(1);
      // A funding whose reply was lost: the node locked a coin no send records.
      await gateway.node.fundTransaction({
        outputs: [{ address: await chain.outside.getNewAddress("", "bech32"), amount: 10_000n }],
        feeRate: 2,
        lockUnspents: true,
      });
      expect(await gateway.node.listLockUnspent()).toHaveLength(1);
      const logged = recorded.waitFor(/reconciled unfinished on-chain sends/);
      await gateway.tick();
      expect(await logged).toMatchObject({ level: 40, unlocked: 1, loop: "orders" });
      expect(await gateway.node.listLockUnspent()).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });
});
