/** Start-up, the deposit loop and shutdown, against the sandbox chain and PGlite. */
import type { DepositNotice } from "@bitcoim/accounts";
import { satsFromBtc } from "@bitcoim/wallet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { startGateway } from "../src/lifecycle/start.js";
import { main } from "../src/main.js";
import { type Chain, startChain } from "./chain.js";
import { captureIo, recordLog, tempDir, tempFile } from "./helpers.js";

const XMPP = '[xmpp]\njid = "bitcoin.example.org"\nsecret = "s"';

describe("the gateway's lifecycle", () => {
  let chain: Chain;
  beforeAll(async () => {
    chain = await startChain();
  }, 60_000);
  afterAll(() => chain?.close());

  async function config(extra = "", database = "") {
    const stateDir = await tempDir();
    const toml = `${XMPP}\n${chain.toml()}\n${database}\n[gateway]\nstate_dir = "${stateDir}"\npoll_interval = 1\n${extra}`;
    return { path: await tempFile(toml), stateDir };
  }

  it("migrates the embedded database, says so, credits a deposit and tracks a send from its loops", async () => {
    const { path, stateDir } = await config();
    const recorded = recordLog();
    const gateway = await startGateway({
      config: await loadConfig({ path, env: {} }),
      log: recorded.log,
    });
    try {
      const embedded = await recorded.waitFor(/embedded PGlite/);
      expect(embedded.stateDir).toBe(stateDir);
      expect((await recorded.waitFor(/database ready/)).applied).toContain("0000_initial");
      expect((await recorded.waitFor(/Bitcoin node ready/)).chain).toBe("regtest");
      const { user } = await gateway.accounts.register("alice@example.org", "alice");
      const [address] = await gateway.accounts.addresses(user.id);
      const credited = new Promise<DepositNotice>((resolve) =>
        gateway.accounts.events.on("depositCredited", resolve),
      );
      const txid = await chain.pay(address!.address, satsFromBtc("0.25"));
      await chain.mine(1);
      expect(await credited).toMatchObject({ userId: user.id, txid, amount: 25_000_000n });
      expect((await gateway.accounts.balance(user.id)).confirmed).toBe(25_000_000n);

      // The orders loop reports an on-chain payment once it confirms.
      const outside = await chain.outside.getNewAddress("");
      const { order } = await gateway.orders.queue(user.id, { address: outside }, 10_000_000n);
      const { txid: sent } = await gateway.orders.confirm(user.id, order.code);
      const onChain = new Promise<{ txid: string }>((resolve) =>
        gateway.orders.events.on("paymentConfirmedOnChain", resolve),
      );
      await chain.mine(1);
      expect((await onChain).txid).toBe(sent);
    } finally {
      await gateway.stop();
    }
    expect(recorded.entries.at(-1)?.msg).toBe("stopped");
  });

  it("refuses a node on another network, naming both, and closes the database", async () => {
    const { path } = await config();
    const c = await loadConfig({ path, env: { BITCOIM_BITCOIN_NETWORK: "signet" } });
    const error = await startGateway({ config: c, log: recordLog().log }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "NODE_WRONG_NETWORK",
      chain: "regtest",
      configured: "signet",
    });
    // The database was closed: the embedded one can be opened again at once.
    const again = await startGateway({
      config: await loadConfig({ path, env: {} }),
      log: recordLog().log,
    });
    await again.stop();
  });

  it("`start` brings the component up after the checks and down before the database", async () => {
    const { path } = await config("", '[database]\nurl = "pglite:memory"');
    const recorded = recordLog("info");
    const order: string[] = [];
    const abort = new AbortController();
    const io = captureIo();
    const running = main(
      ["start", "--config", path],
      {},
      {
        io,
        signal: abort.signal,
        logger: () => recorded.log,
        startComponent: async ({ database, node }) => {
          // Everything the component needs is ready when it starts.
          await database.db.execute("SELECT 1");
          await node.getBalances();
          order.push("component started");
          return {
            stop: async () => {
              await database.db.execute("SELECT 1");
              order.push("component stopped");
            },
          };
        },
      },
    );
    await recorded.waitFor(/^running$/);
    abort.abort();
    expect(await running).toBe(0);
    expect(order).toEqual(["component started", "component stopped"]);
    const messages = recorded.entries.map((e) => e.msg);
    expect(messages.indexOf("Bitcoin node ready")).toBeLessThan(messages.indexOf("running"));
    expect(messages.at(-1)).toBe("stopped");
  });

  it("`start` exits 69 when the Bitcoin node is unreachable, and 78 on a bad configuration", async () => {
    const { path } = await config("", '[database]\nurl = "pglite:memory"');
    const io = captureIo();
    const env = { BITCOIM_BITCOIN_URL: "http://127.0.0.1:1" };
    expect(await main(["start", "-c", path], env, { io, logger: () => recordLog().log })).toBe(69);
    expect(io.errors.join("\n")).toMatch(/\[NODE_UNAVAILABLE\]/);
    const bad = captureIo();
    expect(
      await main(["start", "-c", path], { BITCOIM_GATEWAY_CONFIRMATIONS: "0" }, { io: bad }),
    ).toBe(78);
    expect(bad.errors.join("\n")).toMatch(/gateway.confirmations must be a whole number from 1/);
  });
});
