/** The exact fee shown before `confirm`, and a send that never pays more than it. */
import type { User } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { feeQuotes, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, inputsOf, type Outpoint } from "@bitcoim/wallet";
import { bitcoindForTests } from "@bitcoim/wallet/regtest";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOrders, type Orders, OrdersError, type Paid } from "../src/index.js";
import { aliceWith, type ChainChoice, type OrdersWorld } from "./setup.js";

const binary = bitcoindForTests("the orders' fee quote tests");
describe("on the sandbox chain", () => quotes({ chain: "sandbox" }));
describe.skipIf(binary === undefined)("on bitcoind -regtest", () =>
  quotes({ chain: "bitcoind", ...(binary === undefined ? {} : { binary }) }),
);

type FundTransaction = OrdersWorld["gw"]["fundTransaction"];

function quotes(chain: ChainChoice) {
  describe("exact fee quotes", () => {
    let world: OrdersWorld;
    let alice: User;

    beforeAll(async () => {
      ({ world, alice } = await aliceWith(btc("3"), chain));
      // Several coins, so that the wallet has a choice to make (Core's is random).
      for (const sats of [btc("0.3"), btc("0.2"), btc("0.4"), btc("0.25")]) {
        await world.pay(await world.gw.getNewAddress("", "bech32"), sats);
      }
      await world.mine(1);
    }, 120_000);
    afterAll(() => world?.close());
    afterEach(async () => {
      expect((await world.accounts.audit()).problems).toEqual([]);
      expect(await world.gw.listLockUnspent()).toEqual([]);
    });

    const quoteRow = async (orderId: number) =>
      (await world.database.db.select().from(feeQuotes).where(eq(feeQuotes.orderId, orderId)))[0];
    const withdrawalOf = async (orderId: number) =>
      (
        await world.database.db.select().from(withdrawals).where(eq(withdrawals.orderId, orderId))
      )[0];
    const payee = () => world.outside.getNewAddress("", "bech32");

    it("shows the fee of this very payment, and sends it with the same coins at that fee", async () => {
      for (let round = 0; round < 3; round++) {
        const { order, fee, balanceAfter } = await world.orders.queue(
          alice.id,
          { address: await payee() },
          btc("0.15"),
        );
        expect(fee?.exact).toBe(true);
        const quote = await quoteRow(order.id);
        expect(quote?.fee).toBe(fee?.estimate);
        const before = await world.accounts.balance(alice.id);
        expect(balanceAfter).toBe(before.confirmed - btc("0.15") - quote!.fee);
        const paid = await world.orders.confirm(alice.id, order.code);
        expect(paid.fee).toBe(quote!.fee);
        const sent = await world.gw.decodeRawTransaction(
          (await world.gw.call("getrawtransaction", [paid.txid])) as string,
        );
        expect(sent.inputs).toEqual(inputsOf(quote!.draft));
        expect((await withdrawalOf(order.id))?.maxFee).toBe(quote!.fee);
        expect((await world.accounts.balance(alice.id)).confirmed).toBe(balanceAfter);
        await world.mine(1);
      }
    });

    it("never spends a quoted coin another send took meanwhile, and asks again when the fee grew", async () => {
      const first = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const second = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const q1 = (await quoteRow(first.order.id))!;
      // Both quoted from the same coins, at a fee far below any funding of them.
      await world.database.db
        .update(feeQuotes)
        .set({ draft: q1.draft, fee: 10n })
        .where(eq(feeQuotes.orderId, second.order.id));
      const one = await world.orders.confirm(alice.id, first.order.code);
      const before = await world.accounts.balance(alice.id);
      const mempool = (await world.gw.call("getrawmempool")) as string[];
      const asked = await world.orders.confirm(alice.id, second.order.code).catch((e) => e);
      expect(asked).toMatchObject({ code: "FEE_CHANGED", details: { quoted: 10n } });
      expect(asked.details.code).not.toBe(second.order.code);
      // Nothing reserved or sent; the new fee is the quote now.
      expect(await world.accounts.balance(alice.id)).toEqual(before);
      expect(await world.gw.call("getrawmempool")).toEqual(mempool);
      const requoted = (await quoteRow(second.order.id))!;
      expect(requoted.fee).toBe(asked.details.fee);
      expect((await world.orders.find(alice.id, asked.details.code))?.status).toBe("pending");
      const two = await world.orders.confirm(alice.id, asked.details.code);
      expect(two.fee).toBe(requoted.fee);
      // Both in the mempool: the second spends none of the first's coins.
      const raw = async (txid: string) =>
        world.gw.decodeRawTransaction((await world.gw.call("getrawtransaction", [txid])) as string);
      const [a, b] = [await raw(one.txid!), await raw(two.txid!)];
      const spentByA = new Set(a.inputs.map((i) => `${i.txid}:${i.vout}`));
      expect(b.inputs.filter((i) => spentByA.has(`${i.txid}:${i.vout}`))).toEqual([]);
      expect(await world.gw.call("getrawmempool")).toEqual(
        expect.arrayContaining([one.txid, two.txid]),
      );
      await world.mine(1);
    });

    it("pays a fee lower than quoted as it is, and charges only that", async () => {
      const { order } = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const quote = (await quoteRow(order.id))!;
      // A quote made from coins spent since, for far more than any funding costs.
      const spent = (await world.database.db.select().from(withdrawals))[0]!.rawTx!;
      await world.database.db
        .update(feeQuotes)
        .set({ draft: spent, fee: quote.fee * 10n })
        .where(eq(feeQuotes.orderId, order.id));
      const before = await world.accounts.balance(alice.id);
      const paid = await world.orders.confirm(alice.id, order.code);
      expect(paid.fee).toBeLessThan(quote.fee * 10n);
      expect((await world.accounts.balance(alice.id)).confirmed).toBe(
        before.confirmed - btc("0.1") - paid.fee!,
      );
      // A fee paid below the quote needs no new one.
      expect((await quoteRow(order.id))?.fee).toBe(quote.fee * 10n);
      await world.mine(1);
    });

    /** Confirms; a new fee is accepted once, under its new code, as a payer would. */
    const confirmed = async (orders: Orders, code: string): Promise<Paid> => {
      try {
        return await orders.confirm(alice.id, code);
      } catch (error) {
        if (!(error instanceof OrdersError) || error.code !== "FEE_CHANGED") throw error;
        return orders.confirm(alice.id, error.details.code as string);
      }
    };
    const inputsOfTx = async (txid: string) =>
      (
        await world.gw.decodeRawTransaction(
          (await world.gw.call("getrawtransaction", [txid])) as string,
        )
      ).inputs;
    /** Orders whose wallet funds payments through `fund`. */
    const ordersFunding = (fund: FundTransaction, buildTimeoutMs?: number) =>
      createOrders({
        db: world.database.db,
        accounts: world.accounts,
        network: "regtest",
        ...(buildTimeoutMs === undefined ? {} : { buildTimeoutMs }),
        node: { ...world.gw, fundTransaction: fund },
      });
    const keys = (coins: readonly Outpoint[]) => coins.map((c) => `${c.txid}:${c.vout}`);

    it("never spends again the coins of a send of ours dropped from the mempool", async () => {
      await world.mine(1);
      const first = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const second = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const q1 = (await quoteRow(first.order.id))!;
      await world.database.db
        .update(feeQuotes)
        .set({ draft: q1.draft })
        .where(eq(feeQuotes.orderId, second.order.id));
      const one = await world.orders.confirm(alice.id, first.order.code);
      const hex = (await world.gw.call("getrawtransaction", [one.txid])) as string;
      const spentByOne = keys(await inputsOfTx(one.txid!));
      // Locked to the tip's height: with the tip taken away it is not final,
      // and leaves the mempool; the wallet keeps it, to send again.
      const root = world.chain.node();
      const top = (await root.call("getbestblockhash")) as string;
      await root.call("invalidateblock", [top]);
      await root.call("reconsiderblock", [top]);
      await root.call("syncwithvalidationinterfacequeue", []);
      expect(await world.gw.call("getrawmempool")).not.toContain(one.txid);
      // The chain calls the coins unspent again; the wallet does not.
      expect(await world.gw.getTxOut(inputsOf(q1.draft)[0]!)).not.toBeNull();
      const two = await confirmed(world.orders, second.order.code);
      expect(keys(await inputsOfTx(two.txid!)).filter((k) => spentByOne.includes(k))).toEqual([]);
      // Both stand: the first one goes out again unchanged, as tracking would send it.
      expect(await world.gw.sendRawTransaction(hex)).toBe(one.txid);
      await world.mine(1);
      for (const txid of [one.txid!, two.txid!]) {
        expect((await world.gw.getTransaction(txid)).confirmations).toBe(1);
      }
    });

    it("leaves quoted coins another send holds locked, and pays with others", async () => {
      const { order } = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      const coins = inputsOf((await quoteRow(order.id))!.draft);
      await world.gw.lockUnspent(false, coins); // as an unfinished send would
      const paid = await confirmed(world.orders, order.code);
      expect(keys(await inputsOfTx(paid.txid!)).filter((k) => keys(coins).includes(k))).toEqual([]);
      expect(keys(await world.gw.listLockUnspent())).toEqual(keys(coins));
      await world.gw.lockUnspent(true, coins);
      await world.mine(1);
    });

    it("falls back to other coins when the quoted ones cannot be funded, giving them back", async () => {
      const picky = ordersFunding(async (request) => {
        if (request.inputs) throw new BitcoinNodeError("NODE_TRANSACTION_FAILED", "no");
        return world.gw.fundTransaction(request);
      });
      const { order } = await picky.queue(alice.id, { address: await payee() }, btc("0.1"));
      const paid = await confirmed(picky, order.code);
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
      await world.mine(1);
    });

    it("shows an estimate when the wallet does not answer in time, and a corrupt quote is no quote", async () => {
      const slow = ordersFunding(() => new Promise(() => {}), 100);
      const late = await slow.queue(alice.id, { address: await payee() }, btc("0.1"));
      expect(late.fee).toMatchObject({ exact: false });
      expect(await quoteRow(late.order.id)).toBeUndefined();
      await slow.cancel(alice.id, late.order.code);

      const { order } = await world.orders.queue(alice.id, { address: await payee() }, btc("0.1"));
      await world.database.db
        .update(feeQuotes)
        .set({ draft: "not a transaction" })
        .where(eq(feeQuotes.orderId, order.id));
      const paid = await confirmed(world.orders, order.code);
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
      await world.mine(1);
    });

    it("only estimates the fee of a payment the wallet cannot fund now, and keeps no quote", async () => {
      const { order, fee } = await world.orders.queue(
        alice.id,
        { address: await payee() },
        btc("1000"),
      );
      expect(fee).toMatchObject({ exact: false, estimate: 20n * 141n });
      expect(await quoteRow(order.id)).toBeUndefined();
      await world.orders.cancel(alice.id, order.code);
    });
  });
}
