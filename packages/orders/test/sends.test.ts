/** On-chain sends when the node misbehaves: retried, late, mismatched, or refused. */
import type { User } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { chainCursor, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, type Outpoint } from "@bitcoim/wallet";
import { bitcoindForTests, mineDoubleSpend } from "@bitcoim/wallet/regtest";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOrders, DEFAULT_FEE_POLICY, type OrdersEvents } from "../src/index.js";
import { aliceWith, type ChainChoice, type OrdersWorld } from "./setup.js";

const binary = bitcoindForTests("the orders' send, track and reconcile tests");
describe("on the sandbox chain", () => sends({ chain: "sandbox" }));
describe.skipIf(binary === undefined)("on bitcoind -regtest", () =>
  sends({ chain: "bitcoind", ...(binary === undefined ? {} : { binary }) }),
);

function sends(chain: ChainChoice) {
  describe("on-chain sends with a misbehaving node", () => {
    let world: OrdersWorld;
    let alice: User;

    beforeAll(async () => {
      ({ world, alice } = await aliceWith(btc("2"), chain));
    });
    afterAll(() => world?.close());
    afterEach(async () => expect((await world.accounts.audit()).problems).toEqual([]));

    /** Orders whose node's broadcast (sendRawTransaction) is replaced by `send`; the wallet's own by default. */
    const ordersWith = (
      send: (hex: string) => Promise<string> = (hex) => world.gw.sendRawTransaction(hex),
    ) =>
      createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        reconcileAfterMs: 0,
        node: { ...world.gw, sendRawTransaction: send },
      });
    const lockedCoins = async () => (await world.gw.call("listlockunspent")) as unknown[];

    it("an order refused because the node was down can be confirmed once it is back", async () => {
      let down = true;
      const orders = ordersWith(async (hex) => {
        if (down) throw new BitcoinNodeError("NODE_UNAVAILABLE", "connection refused");
        return world.gw.sendRawTransaction(hex);
      });
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.1"));
      const before = await world.accounts.balance(alice.id);
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "NODE_UNAVAILABLE",
      });
      // Nothing reserved, nothing kept locked in the wallet.
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await lockedCoins()).toEqual([]);
      expect((await orders.find(alice.id, order.code))?.status).toBe("pending");
      down = false;
      const paid = await orders.confirm(alice.id, order.code);
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
    });

    it("a broadcast the mempool refuses gives everything back and leaves the order pending", async () => {
      let refuse = true;
      const orders = ordersWith(async (hex) => {
        if (refuse) {
          const said = "too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]";
          throw new BitcoinNodeError(
            "NODE_TRANSACTION_REJECTED",
            `sendrawtransaction: ${said} (RPC -26)`,
            { rpcCode: -26, rpcMessage: said },
          );
        }
        return world.gw.sendRawTransaction(hex);
      });
      const failed: unknown[] = [];
      orders.events.on("paymentFailed", (e) => failed.push(e));
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.02"));
      const before = await world.accounts.balance(alice.id);
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_REJECTED",
        details: { reason: "too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]" },
      });
      expect((await orders.find(alice.id, order.code))?.status).toBe("pending");
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await lockedCoins()).toEqual([]);
      expect(failed).toEqual([]);
      // Later, the mempool takes a new build of the same order.
      refuse = false;
      expect((await orders.confirm(alice.id, order.code)).txid).toMatch(/^[0-9a-f]{64}$/);
      expect((await orders.find(alice.id, order.code))?.status).toBe("paid");
    });

    it("a refusal of a transaction the wallet already holds is a payment made, never refunded", async () => {
      const orders = ordersWith(async (hex) => {
        await world.gw.sendRawTransaction(hex);
        throw new BitcoinNodeError("NODE_TRANSACTION_REJECTED", "txn-already-known", {
          rpcCode: -26,
        });
      });
      const outside = await world.outside.getNewAddress("", "bech32");
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.03"));
      const paid = await orders.confirm(alice.id, order.code);
      const fee = -(await world.gw.getTransaction(paid.txid!)).fee!;
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before - btc("0.03") - fee);
      expect((await orders.find(alice.id, order.code))?.status).toBe("paid");
    });

    it("a refusal the wallet cannot be asked about is an unknown outcome, kept for reconciliation", async () => {
      const orders = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        reconcileAfterMs: 0,
        node: {
          ...world.gw,
          sendRawTransaction: async () => {
            throw new BitcoinNodeError("NODE_TRANSACTION_REJECTED", "mempool full", {
              rpcCode: -26,
            });
          },
          getTransaction: async () => {
            throw new BitcoinNodeError("NODE_UNAVAILABLE", "connection reset", {
              reason: "connection-reset",
            });
          },
        },
      });
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.04"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      expect((await world.accounts.balance(alice.id)).inFlight).toBeGreaterThan(btc("0.04"));
      // The wallet, asked again, does not have it: refunded, coins given back.
      const settled = ordersWith();
      expect((await settled.reconcile()).refunded).toHaveLength(1);
      expect((await world.accounts.balance(alice.id)).inFlight).toBe(0n);
      expect(await lockedCoins()).toEqual([]);
    });

    it("a refunded send that goes out late after all is booked, charged again, and told", async () => {
      let delayed: string | undefined;
      const orders = ordersWith(async (hex) => {
        delayed = hex; // the node will do it, much later
        throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "timed out");
      });
      const told: OrdersEvents["paymentCompleted"][] = [];
      orders.events.on("paymentCompleted", (e) => told.push(e));
      const outside = await world.outside.getNewAddress("", "bech32");
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.3"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      expect((await orders.reconcile()).refunded).toHaveLength(1);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
      expect(await lockedCoins()).toEqual([]);

      const txid = await world.gw.sendRawTransaction(delayed!);
      // Booked again once mined, not while merely seen.
      expect((await orders.reconcile()).reinstated).toEqual([]);
      await world.mine(1);
      const late = await orders.reconcile();
      expect(late.reinstated).toHaveLength(1);
      const fee = -(await world.gw.getTransaction(txid)).fee!;
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before - btc("0.3") - fee);
      expect(told).toEqual([expect.objectContaining({ txid, late: true })]);
      expect((await orders.find(alice.id, order.code))?.status).toBe("paid");
      expect((await orders.reconcile()).reinstated).toEqual([]);
    });

    it("a broadcast answered with another txid is an unknown outcome: kept reserved, then booked", async () => {
      const orders = ordersWith(async (hex) => {
        await world.gw.sendRawTransaction(hex);
        return "ab".repeat(32);
      });
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.01"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      // Not given back on a reply that cannot be read: the transaction did go out.
      expect((await world.accounts.balance(alice.id)).inFlight).toBeGreaterThan(btc("0.01"));
      expect((await orders.reconcile()).booked).toHaveLength(1);
      expect((await orders.find(alice.id, order.code))?.status).toBe("paid");
      expect((await world.accounts.balance(alice.id)).inFlight).toBe(0n);
    });

    it("counts reconciliation's grace from the recorded intent, not from a slow build before it", async () => {
      const orders = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        reconcileAfterMs: 1_000,
        node: {
          ...world.gw,
          // The node takes its time funding: the database's clock, not ours, must move on.
          fundTransaction: async (request) => {
            await new Promise((resolve) => setTimeout(resolve, 1_200));
            return world.gw.fundTransaction(request);
          },
          sendRawTransaction: async () => {
            throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "timed out");
          },
        },
      });
      await topUp();
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: to }, btc("0.01"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      // Recorded just now: its broadcast may still be running, so it is left alone.
      expect((await orders.reconcile()).refunded).toEqual([]);
      const settled = ordersWith();
      expect((await settled.reconcile()).refunded).toHaveLength(1);
    });

    it("gives up a build the node does not answer, leaving the order pending and the database free", async () => {
      let funding!: () => void;
      const asked = new Promise<void>((resolve) => {
        funding = resolve;
      });
      const orders = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        buildTimeoutMs: 200,
        node: {
          ...world.gw,
          fundTransaction: () => {
            funding();
            return new Promise(() => {}); // never answers
          },
        },
      });
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: to }, btc("0.01"));
      const before = await world.accounts.balance(alice.id);
      const confirming = orders.confirm(alice.id, order.code);
      await asked;
      await expect(confirming).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
      expect((await orders.find(alice.id, order.code))?.status).toBe("pending");
      expect(await world.accounts.balance(alice.id)).toEqual(before);
    });

    it("reconciliation with the node unreachable says so once, and settles nothing", async () => {
      const lost = ordersWith(async () => {
        throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "timed out");
      });
      await topUp();
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await lost.queue(alice.id, { address: to }, btc("0.01"));
      await expect(lost.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      const down = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        reconcileAfterMs: 0,
        node: {
          ...world.gw,
          getTransaction: async () => {
            throw new BitcoinNodeError("NODE_UNAVAILABLE", "connection refused", {
              reason: "connection-refused",
            });
          },
        },
      });
      await expect(down.reconcile()).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
      expect((await lost.find(alice.id, order.code))?.status).toBe("executing");
      expect((await lost.reconcile()).refunded).toHaveLength(1);
    });

    it("books no transaction that does not pay the withdrawal, and one bad send stops no other", async () => {
      // A send of the gateway's wallet that is no withdrawal of ours.
      const unrelated = await world.gw.sendToAddress({
        address: await world.outside.getNewAddress("", "bech32"),
        amount: btc("0.01"),
      });
      const orders = ordersWith(async () => {
        throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "timed out");
      });
      // A second coin: the first send keeps its coins locked until it is settled.
      await world.pay(await world.gw.getNewAddress("", "bech32"), btc("0.5"));
      await world.mine(1);
      const outside = await world.outside.getNewAddress("", "bech32");
      const first = await orders.queue(alice.id, { address: outside }, btc("0.01"));
      const second = await orders.queue(alice.id, { address: outside }, btc("0.02"));
      for (const q of [first, second]) {
        await expect(orders.confirm(alice.id, q.order.code)).rejects.toMatchObject({
          code: "SEND_OUTCOME_UNKNOWN",
        });
      }
      // As if a txid of someone else's transaction had been recorded for the first.
      await world.database.db
        .update(withdrawals)
        .set({ txid: unrelated })
        .where(eq(withdrawals.orderId, first.order.id));
      const result = await orders.reconcile();
      expect(result.failed).toEqual([
        expect.objectContaining({ error: expect.stringMatching(/does not pay withdrawal/) }),
      ]);
      expect(result.refunded).toHaveLength(1);
      expect((await orders.find(alice.id, first.order.code))?.status).toBe("executing");
      expect((await orders.find(alice.id, second.order.code))?.status).toBe("refunded");
      // Leave the ledger clean for the audit: the operator would resolve it by hand.
      await world.database.db
        .update(withdrawals)
        .set({ txid: null })
        .where(eq(withdrawals.orderId, first.order.id));
      expect((await orders.reconcile()).refunded).toHaveLength(1);
    });

    it("refuses a payment whose actual fee is over the limit, at pay and again at confirm, before anything is reserved or sent", async () => {
      // A typical send at the fallback 20 sat/vB is 141 vB (2,820 sat): under a
      // 3,000 sat limit. Paying a taproot address makes the payee's output 12 vB
      // larger, and the change's too: Core gives change the payee's type.
      const strict = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        node: world.gw,
        fees: { ...DEFAULT_FEE_POLICY, maxFee: 3_000n },
      });
      const taproot = await world.outside.getNewAddress("", "bech32m");
      const tooHigh = {
        code: "FEE_TOO_HIGH",
        details: { estimate: 3_300n, limit: 3_000n, rate: 20n },
      };
      const pending = await strict.listPending(alice.id);
      await expect(strict.queue(alice.id, { address: taproot }, btc("0.01"))).rejects.toMatchObject(
        tooHigh,
      );
      expect(await strict.listPending(alice.id)).toEqual(pending);
      // Quoted under the default limit, then confirmed under the strict one.
      const { order, fee } = await world.orders.queue(alice.id, { address: taproot }, btc("0.01"));
      expect(fee).toMatchObject({ estimate: 3_300n, exact: true, rate: 20n });
      const before = await world.accounts.balance(alice.id);
      const mempool = await world.gw.call("getrawmempool");
      await expect(strict.confirm(alice.id, order.code)).rejects.toMatchObject(tooHigh);
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await world.gw.call("getrawmempool")).toEqual(mempool);
      expect(await lockedCoins()).toEqual([]);
      expect((await strict.find(alice.id, order.code))?.status).toBe("pending");
      // Under the default limit the same order goes out, paying exactly that fee.
      const paid = await world.orders.confirm(alice.id, order.code);
      expect(paid.fee).toBe(3_300n);
      const [w] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.orderId, order.id));
      // Reserved exactly what it cost: the amount and the fee checked before the broadcast.
      expect([w!.maxFee, w!.fee, w!.txid]).toEqual([3_300n, 3_300n, paid.txid]);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before.confirmed - btc("0.01") - 3_300n,
      );
    });

    /** Pays `amount` on-chain from alice; the send's input is confirmed, so a block can double-spend it. */
    /** Coins for the wallet that no user owns: double spends below give some of its coins away. */
    const topUp = async () => {
      await world.pay(await world.gw.getNewAddress("", "bech32"), btc("1"));
      await world.mine(1);
    };
    /**
     * Mines, in place of the send `txid` (its raw transaction `rawTx`), the
     * same payment with a 10,000 sat bigger fee taken from the change: what
     * an operator's `bumpfee` makes. Returns the replacement's txid.
     */
    const mineFeeBump = async (rawTx: string, txid: string, to: string, btcAmount: string) => {
      const change = await world.gw.getNewAddress("", "bech32");
      const changeOut = (await world.gw.decodeRawTransaction(rawTx)).outputs.find(
        (o) => o.address !== to,
      )!;
      const bumped = (changeOut.amount - 10_000n).toString().padStart(9, "0");
      return mineDoubleSpend(world.gw, txid, [
        { [to]: btcAmount },
        { [change]: `${bumped.slice(0, -8)}.${bumped.slice(-8)}` },
      ]);
    };
    const paySent = async (amount: bigint) => {
      await topUp();
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await world.orders.queue(alice.id, { address: to }, amount);
      const paid = await world.orders.confirm(alice.id, order.code);
      const [w] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.orderId, order.id));
      return { order, paid, w: w!, to };
    };
    it("a send double-spent on the network is reversed once the conflict is deep, and the payer told", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.2"));
      const refunded: OrdersEvents["paymentRefunded"][] = [];
      const off = world.orders.events.on("paymentRefunded", (e) => refunded.push(e));
      const away = await world.outside.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [away]: "0.1" }]);
      expect((await world.gw.getTransaction(paid.txid!)).confirmations).toBe(-1);
      // One block deep is not final enough when two are asked for.
      const ids = async () => (await world.orders.trackSends(2)).map((o) => o.id);
      expect(await ids()).not.toContain(order.id);
      expect(refunded).toEqual([]);
      await world.mine(1);
      expect(await ids()).not.toContain(order.id);
      off();
      expect(refunded).toEqual([
        expect.objectContaining({
          cause: "conflicted",
          txid: paid.txid,
          order: expect.objectContaining({ id: order.id, status: "refunded" }),
        }),
      ]);
      // Amount and fee back; the history line of that send costs nothing now.
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
      const { items } = await world.accounts.history(alice.id);
      expect(items[0]).toMatchObject({
        kind: "send",
        amount: 0n,
        state: "refunded",
        txid: paid.txid,
      });
      // A conflicted send is not "found" by reconciliation: nothing is booked late.
      expect((await world.orders.reconcile()).reinstated).toEqual([]);
      expect(await ids()).toEqual([]);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    it("a conflict reorged out and back: reversed once, never booked again unmined", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { paid } = await paySent(btc("0.2"));
      const away = await world.outside.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [away]: "0.1" }]);
      const conflictBlock = (await world.gw.call("getbestblockhash")) as string;
      await world.orders.trackSends(1);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
      // The conflict reorged out: the payment shows 0 confirmations, outside the mempool.
      await world.gw.call("invalidateblock", [conflictBlock]);
      expect((await world.gw.getTransaction(paid.txid!)).confirmations).toBe(0);
      expect((await world.orders.reconcile()).reinstated).toEqual([]);
      await world.gw.call("reconsiderblock", [conflictBlock]);
      await world.orders.trackSends(1);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    it("a send booked late, then double-spent, is reversed: the late booking undone", async () => {
      let delayed: string | undefined;
      const orders = ordersWith(async (hex) => {
        delayed = hex;
        throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "timed out");
      });
      await topUp();
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: to }, btc("0.3"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      expect((await orders.reconcile()).refunded).toHaveLength(1);
      const txid = await world.gw.sendRawTransaction(delayed!);
      const [block] = await world.mine(1);
      expect((await orders.reconcile()).reinstated).toHaveLength(1);
      expect((await world.accounts.balance(alice.id)).confirmed).toBeLessThan(before - btc("0.3"));
      // A reorg takes its block, and a double spend is mined instead.
      await world.gw.call("invalidateblock", [block]);
      await mineDoubleSpend(world.gw, txid, [{ [to]: "0.1" }]);
      const told: OrdersEvents["paymentRefunded"][] = [];
      orders.events.on("paymentRefunded", (e) => told.push(e));
      await orders.trackSends(1);
      expect(told).toEqual([expect.objectContaining({ cause: "conflicted", txid })]);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
      expect((await world.accounts.balance(alice.id)).owed).toBe(0n);
    });

    it("a confirmed send that a reorg takes back and double-spends is followed again, and reversed", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.05"));
      const [block] = await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toContain(order.id);
      const told: OrdersEvents["paymentRefunded"][] = [];
      const off = world.orders.events.on("paymentRefunded", (e) => told.push(e));
      await world.gw.call("invalidateblock", [block]);
      const away = await world.outside.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [away]: "0.01" }]);
      await world.orders.trackSends(1);
      off();
      expect(told).toEqual([expect.objectContaining({ cause: "conflicted", txid: paid.txid })]);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    it("a confirmed send reorged away and mined again is confirmed again, announced once", async () => {
      const { order, paid } = await paySent(btc("0.03"));
      const told: OrdersEvents["paymentConfirmedOnChain"][] = [];
      const off = world.orders.events.on("paymentConfirmedOnChain", (e) => told.push(e));
      const [block] = await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toEqual([order.id]);
      await world.gw.call("invalidateblock", [block]);
      expect(await world.orders.trackSends(1)).toEqual([]);
      const [w] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.txid, paid.txid!));
      expect(w).toMatchObject({ state: "sent" });
      await world.mine(1);
      expect(await world.orders.trackSends(1)).toEqual([]);
      off();
      const [again] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.txid, paid.txid!));
      expect(again).toMatchObject({ state: "confirmed", confirmedAt: w!.confirmedAt });
      expect(told.map((e) => e.txid)).toEqual([paid.txid]);
    });

    it("a confirmed send reorged away before the tracker's cursor moved past its block is followed again", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.04"));
      const cursorBlock = (await world.gw.call("getbestblockhash")) as string;
      const [block] = await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toContain(order.id);
      // As if that block had arrived while the tracker ran: its cursor is still before it.
      await world.database.db
        .update(chainCursor)
        .set({ blockHash: cursorBlock })
        .where(eq(chainCursor.wallet, "bitcoim:sends"));
      await world.gw.call("invalidateblock", [block]);
      const away = await world.outside.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [away]: "0.01" }]);
      await world.orders.trackSends(1);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("refunded");
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    it("a confirmed send whose block went with the tracker's cursor block is followed again", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.02"));
      const [block] = await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toContain(order.id);
      // A cursor the node does not know: the blocks a killed node had not flushed are gone.
      await world.database.db
        .update(chainCursor)
        .set({ blockHash: "11".repeat(32) })
        .where(eq(chainCursor.wallet, "bitcoim:sends"));
      await world.gw.call("invalidateblock", [block]);
      const away = await world.outside.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [away]: "0.01" }]);
      await world.orders.trackSends(1);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("refunded");
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    /** Out of the mempool for good: a reorg below its lock time made it non-final, and the block came back. */
    const dropFromMempool = async (txid: string) => {
      const { hex } = await world.gw.getTransaction(txid);
      const { locktime } = (await world.gw.call("decoderawtransaction", [hex])) as {
        locktime: number;
      };
      // The block at its lock time goes: the next block could not hold it.
      const block = (await world.gw.call("getblockhash", [locktime])) as string;
      await world.gw.call("invalidateblock", [block]);
      await world.gw.call("reconsiderblock", [block]);
      await world.gw.call("syncwithvalidationinterfacequeue", []); // the wallet has heard of it
      expect(await world.gw.getTransaction(txid)).toMatchObject({
        confirmations: 0,
        trusted: false,
      });
    };

    it("a send dropped from the node's mempool is broadcast again as it is, and confirms once", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.06"));
      await dropFromMempool(paid.txid!);
      await world.mine(1);
      expect((await world.gw.getTransaction(paid.txid!)).confirmations).toBe(0); // not mined without us

      expect(await world.orders.trackSends(1)).toEqual([]);
      expect((await world.gw.getTransaction(paid.txid!)).trusted).toBe(true);
      await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toEqual([order.id]);
      const order_ = await world.orders.find(alice.id, order.code);
      expect(order_).toMatchObject({ status: "paid", txid: paid.txid });
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before - btc("0.06") - paid.fee!,
      );
    });

    it("a send the node's wallet forgot (killed before writing it) is signed again to the same txid, sent, and confirms", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(btc("0.05"));
      await dropFromMempool(paid.txid!);
      // Neither the mempool nor the wallet holds it now: the node lost it.
      await world.gw.call("removeprunedfunds", [paid.txid]);
      await expect(world.gw.getTransaction(paid.txid!)).rejects.toMatchObject({
        code: "NODE_UNKNOWN_TRANSACTION",
      });
      await world.mine(1);

      expect(await world.orders.trackSends(1)).toEqual([]);
      expect((await world.gw.getTransaction(paid.txid!)).trusted).toBe(true);
      await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toEqual([order.id]);
      expect(await world.orders.find(alice.id, order.code)).toMatchObject({
        status: "paid",
        txid: paid.txid,
      });
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before - btc("0.05") - paid.fee!,
      );
    });

    it("a forgotten send whose coins the wallet spent in another payment is refunded once that one is deep", async () => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid, w } = await paySent(btc("0.04"));
      await dropFromMempool(paid.txid!);
      await world.gw.call("removeprunedfunds", [paid.txid]);
      // Every other coin locked: the next payment can only be funded from its coins.
      const inputs = async (hex: string) =>
        ((await world.gw.call("decoderawtransaction", [hex])) as { vin: Outpoint[] }).vin.map(
          (i) => `${i.txid}:${i.vout}`,
        );
      const its = new Set(await inputs(w.rawTx!));
      const unspent = (await world.gw.call("listunspent", [0])) as Outpoint[];
      const others = unspent
        .filter((u) => !its.has(`${u.txid}:${u.vout}`))
        .map(({ txid, vout }) => ({ txid, vout }));
      await world.gw.call("lockunspent", [false, others]);
      const to = await world.outside.getNewAddress("", "bech32");
      const { order: second } = await world.orders.queue(alice.id, { address: to }, btc("0.03"));
      const rival = await world.orders.confirm(alice.id, second.code);
      await world.gw.call("lockunspent", [true, others]);
      const rivalHex = (await world.gw.getTransaction(rival.txid!)).hex;
      expect((await inputs(rivalHex)).some((i) => its.has(i))).toBe(true);

      const refunded: OrdersEvents["paymentRefunded"][] = [];
      const off = world.orders.events.on("paymentRefunded", (e) => refunded.push(e));
      await world.mine(1);
      await world.orders.trackSends(2); // refused, and the rival is not deep enough yet
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("paid");
      await world.orders.trackSends(1);
      off();
      expect(refunded).toEqual([expect.objectContaining({ cause: "conflicted", txid: paid.txid })]);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("refunded");
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before - btc("0.03") - rival.fee!,
      );
    });

    /** A send dropped from the mempool and then abandoned by the operator, with alice's balance before it. */
    const abandonedSend = async (amount: bigint) => {
      const before = (await world.accounts.balance(alice.id)).confirmed;
      const { order, paid } = await paySent(amount);
      await dropFromMempool(paid.txid!);
      await world.gw.call("abandontransaction", [paid.txid]);
      return { before, order, paid };
    };

    it("an abandoned send is sent again, not refunded: abandoning does not cancel a payment", async () => {
      const { before, order, paid } = await abandonedSend(btc("0.08"));
      const abandoned = await world.gw.getTransaction(paid.txid!);
      expect(abandoned.details.map((d) => d.abandoned)).toContain(true);

      await world.orders.reconcile();
      expect(await world.orders.trackSends(1)).toEqual([]);
      const again = await world.gw.getTransaction(paid.txid!);
      expect(again.trusted).toBe(true);
      expect(again.details.every((d) => d.abandoned === false)).toBe(true);
      await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toEqual([order.id]);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("paid");
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before - btc("0.08") - paid.fee!,
      );
    });

    it("an abandoned send whose coins were spent elsewhere is refunded once that is deep", async () => {
      const { before, order, paid } = await abandonedSend(btc("0.09"));
      // The operator spends the freed coins, to the wallet itself.
      const back = await world.gw.getNewAddress("", "bech32");
      await mineDoubleSpend(world.gw, paid.txid!, [{ [back]: "0.1" }]);
      expect((await world.gw.getTransaction(paid.txid!)).confirmations).toBe(-1);
      await world.orders.trackSends(1);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("refunded");
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    });

    it("a dropped send whose node is unreachable is a failure of the tick, and sent once it answers", async () => {
      const { order, paid } = await paySent(btc("0.07"));
      await dropFromMempool(paid.txid!);
      const tracker = ordersWith(async () => {
        throw new BitcoinNodeError("NODE_UNAVAILABLE", "connection refused");
      });
      await expect(tracker.trackSends(1)).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
      expect((await world.gw.getTransaction(paid.txid!)).trusted).toBe(false);
      await world.orders.trackSends(1);
      await world.mine(1);
      expect((await world.orders.trackSends(1)).map((o) => o.id)).toEqual([order.id]);
    });

    it("a send replaced by one paying the same follows it and confirms under its txid", async () => {
      const { order, paid, w, to } = await paySent(btc("0.05"));
      const replacement = await mineFeeBump(w.rawTx!, paid.txid!, to, "0.05");
      const before = await world.accounts.balance(alice.id);
      // The node fails to answer about the replacement once: not read as "none", nothing reversed.
      let flaky = true;
      const tracker = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        node: {
          ...world.gw,
          getTransaction: async (txid) => {
            if (txid === replacement && flaky) {
              flaky = false;
              throw new BitcoinNodeError("NODE_UNAVAILABLE", "connection reset");
            }
            return world.gw.getTransaction(txid);
          },
        },
      });
      await expect(tracker.trackSends(1)).rejects.toMatchObject({ code: "NODE_UNAVAILABLE" });
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      const confirmed = await tracker.trackSends(1);
      expect(confirmed).toEqual([]);
      expect((await world.orders.find(alice.id, order.code))?.txid).toBe(replacement);
      const next = await world.orders.trackSends(1);
      expect(next.map((o) => [o.id, o.txid])).toEqual([[order.id, replacement]]);
      // Not reversed, not charged again: the payer paid once.
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(paid.txid).not.toBe(replacement);
    });

    it("an unfinished send replaced while the gateway was down is booked under the replacement, not refunded", async () => {
      await topUp();
      // Killed after the broadcast, before booking it: the reply never came.
      const orders = ordersWith(async (hex) => {
        await world.gw.sendRawTransaction(hex);
        throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "the reply was lost");
      });
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: to }, btc("0.05"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_OUTCOME_UNKNOWN",
      });
      const [w] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.orderId, order.id));
      expect(w!.state).toBe("intent");
      // The operator bumps the fee meanwhile, and the replacement is mined.
      const replacement = await mineFeeBump(w!.rawTx!, w!.txid!, to, "0.05");
      const agreedFee = -(await world.gw.getTransaction(w!.txid!)).fee!;
      const settled = await ordersWith().reconcile();
      expect([settled.booked, settled.refunded]).toEqual([[w!.id], []]);
      const paid = await world.orders.find(alice.id, order.code);
      // Paid once, under the transaction that went out, at the fee the payer agreed to.
      expect([paid?.status, paid?.txid, paid?.fee]).toEqual(["paid", replacement, agreedFee]);
      expect((await world.accounts.balance(alice.id)).inFlight).toBe(0n);
      expect((await ordersWith().reconcile()).refunded).toEqual([]);
      // Followed on-chain like any send: confirmed once, under the replacement.
      const confirmed = await world.orders.trackSends(1);
      expect(confirmed.map((o) => [o.id, o.txid])).toEqual([[order.id, replacement]]);
    });

    it("a confirmed send reorged away and replaced by a fee bump is announced again under its new txid", async () => {
      const { order, paid, w, to } = await paySent(btc("0.02"));
      const told: OrdersEvents["paymentConfirmedOnChain"][] = [];
      const off = world.orders.events.on("paymentConfirmedOnChain", (e) => told.push(e));
      const [block] = await world.mine(1);
      await world.orders.trackSends(1);
      await world.gw.call("invalidateblock", [block]);
      const replacement = await mineFeeBump(w.rawTx!, paid.txid!, to, "0.02");
      await world.orders.trackSends(1); // reopened, then following the replacement
      await world.orders.trackSends(1);
      off();
      expect(told.map((e) => [e.order.id, e.txid])).toEqual([
        [order.id, paid.txid],
        [order.id, replacement],
      ]);
    });

    it("pays no user who has unregistered since the order was queued", async () => {
      const { user: carol } = await world.accounts.register("carol@example.org", "carol");
      const { order } = await world.orders.queue(alice.id, { userId: carol.id }, btc("0.1"));
      await world.accounts.unregister("carol@example.org");
      await expect(world.orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "RECIPIENT_NOT_FOUND",
      });
      expect((await world.accounts.balance(carol.id)).confirmed).toBe(0n);
      await expect(
        world.accounts.transfer({
          fromUserId: alice.id,
          toUserId: carol.id,
          amount: 1n,
          idempotencyKey: "c",
        }),
      ).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    });

    it("a wallet that cannot fund a send leaves the order pending, and nothing is taken", async () => {
      // The wallet holds less than the ledger promises (spent behind its back).
      const { trusted } = await world.gw.getBalances();
      const away = await world.outside.getNewAddress("", "bech32");
      await world.gw.sendToAddress({
        address: away,
        amount: trusted - btc("0.05"),
        subtractFeeFromAmount: true,
      });
      const before = await world.accounts.balance(alice.id);
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await world.orders.queue(alice.id, { address: outside }, btc("0.5"));
      await expect(world.orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "WALLET_CANNOT_FUND",
        message: expect.stringMatching(/stays pending/),
      });
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("pending");
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await lockedCoins()).toEqual([]);
      // Money back in the wallet (more than was taken: earlier double spends cost it some).
      await world.outside.sendToAddress({
        address: await world.gw.getNewAddress("", "bech32"),
        amount: trusted + btc("1"),
      });
      await world.mine(1);
      // The summary could only estimate the fee: the exact one is shown before anything is paid.
      const quoted = await world.orders.confirm(alice.id, order.code).catch((e: unknown) => e);
      expect(quoted).toMatchObject({ code: "FEE_CHANGED" });
      const { details } = quoted as { details: { fee: bigint; code: string } };
      expect(details).not.toHaveProperty("quoted");
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await lockedCoins()).toEqual([]);
      // Under a new code: the one known before the new fee was shown pays nothing.
      expect(details.code).not.toBe(order.code);
      await expect(world.orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "ORDER_NOT_FOUND",
      });
      const paid = await world.orders.confirm(alice.id, details.code);
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
      expect(paid.fee).toBe(details.fee);
    });

    it("a send the wallet refuses for good fails, says why, and reserves nothing", async () => {
      const orders = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        node: {
          ...world.gw,
          fundTransaction: async () => {
            throw new BitcoinNodeError("NODE_TRANSACTION_FAILED", "Transaction amount too small");
          },
        },
      });
      const failed: OrdersEvents["paymentFailed"][] = [];
      orders.events.on("paymentFailed", (e) => failed.push(e));
      const before = await world.accounts.balance(alice.id);
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: outside }, btc("0.01"));
      await expect(orders.confirm(alice.id, order.code)).rejects.toMatchObject({
        code: "SEND_FAILED",
        message: "the payment could not be sent: Transaction amount too small",
      });
      expect((await orders.find(alice.id, order.code))?.status).toBe("failed");
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(failed).toEqual([
        expect.objectContaining({
          order: expect.objectContaining({ id: order.id, status: "failed" }),
          reason: "Transaction amount too small",
        }),
      ]);
    });

    it("a user who cannot pay locks no coins; a confirm that lost the race says it is paid", async () => {
      const { user: dave } = await world.accounts.register("dave@example.org", "dave");
      const outside = await world.outside.getNewAddress("", "bech32");
      const { order: broke } = await world.orders.queue(dave.id, { address: outside }, btc("0.01"));
      await expect(world.orders.confirm(dave.id, broke.code)).rejects.toMatchObject({
        code: "INSUFFICIENT_FUNDS",
      });
      expect((await world.orders.find(dave.id, broke.code))?.status).toBe("pending");
      await world.mine(1);
      const { order } = await world.orders.queue(alice.id, { address: outside }, btc("0.01"));
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => world.orders.confirm(alice.id, order.code)),
      );
      const codes = results.map((r) =>
        r.status === "fulfilled" ? "paid" : (r.reason as { code: string }).code,
      );
      expect(codes.sort()).toEqual([
        "ALREADY_PAID",
        "ALREADY_PAID",
        "ALREADY_PAID",
        "ALREADY_PAID",
        "paid",
      ]);
      expect(await lockedCoins()).toEqual([]);
    });

    it("reconciliation gives back coins no unfinished send holds", async () => {
      const outside = await world.outside.getNewAddress("", "bech32");
      // A funding whose reply was lost: the node locked coins nobody recorded.
      await world.gw.fundTransaction({
        outputs: [{ address: outside, amount: btc("0.01") }],
        feeRate: 2,
        lockUnspents: true,
      });
      // Core's coin selection may take more than one coin for it.
      const locked = (await lockedCoins()).length;
      expect(locked).toBeGreaterThanOrEqual(1);
      const { unlocked } = await world.orders.reconcile();
      expect(unlocked).toHaveLength(locked);
      expect(await lockedCoins()).toEqual([]);
    });
  });

  describe("sends from one process with a one-coin wallet", () => {
    let world: OrdersWorld;
    let alice: User;

    beforeAll(async () => {
      ({ world, alice } = await aliceWith(btc("1"), chain));
    });
    afterAll(() => world?.close());

    it("take turns: the second is built on the first one's change, and both go out", async () => {
      const to = await world.outside.getNewAddress("", "bech32");
      const a = await world.orders.queue(alice.id, { address: to }, btc("0.1"));
      const b = await world.orders.queue(alice.id, { address: to }, btc("0.2"));
      const [first, second] = await Promise.all([
        world.orders.confirm(alice.id, a.order.code),
        world.orders.confirm(alice.id, b.order.code),
      ]);
      const spends = async (txid: string) =>
        (await world.gw.decodeRawTransaction((await world.gw.getTransaction(txid)).hex)).inputs;
      // Whichever got the turn first, the other one spends its change, and only it.
      const builtOn = async (later: string, earlier: string) =>
        (await spends(later)).map((i) => i.txid).join() === earlier;
      const links = [
        await builtOn(second.txid!, first.txid!),
        await builtOn(first.txid!, second.txid!),
      ];
      expect(links.filter(Boolean)).toHaveLength(1);
      expect((await world.accounts.audit()).problems).toEqual([]);
    });

    it("a second Orders on the same database takes the same turn: its sweep never meets a build", async () => {
      const log: string[] = [];
      const other = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        node: {
          ...world.gw,
          listLockUnspent: async () => {
            log.push("other orders lists coin locks");
            return world.gw.listLockUnspent();
          },
        },
      });
      let sweeping: Promise<unknown> | undefined;
      const orders = createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        node: {
          ...world.gw,
          // Funded (its coins locked), its intent not yet recorded: the other's
          // reconciliation starts now, and gets ahead while this build reads.
          signRawTransactionWithWallet: async (hex) => {
            sweeping = other.reconcile();
            for (let i = 0; i < 5; i++) await world.accounts.balance(alice.id);
            return world.gw.signRawTransactionWithWallet(hex);
          },
          sendRawTransaction: async (hex, options) => {
            const txid = await world.gw.sendRawTransaction(hex, options);
            log.push("send broadcast");
            return txid;
          },
        },
      });
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await orders.queue(alice.id, { address: to }, btc("0.05"));
      const paid = await orders.confirm(alice.id, order.code);
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
      expect(await sweeping).toMatchObject({ unlocked: [] });
      expect(log).toEqual(["send broadcast", "other orders lists coin locks"]);
    });
  });
}
