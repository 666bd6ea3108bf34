/**
 * The `BitcoinNode` contract: what bitcoIM relies on, checked through
 * `createBitcoinNode` over real HTTP against a backend. It runs against the
 * sandbox chain, and unchanged against a throw-away `bitcoind -regtest`
 * when a Bitcoin Core binary is found ($BITCOIND, or the copy beside the
 * checkout). It only looks at what it made itself.
 */
import { createServer } from "node:http";
import type { AddressInfo as NetAddress } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SATS_PER_BTC } from "../src/amount.js";
import { BitcoinNodeError, createBitcoinNode, type RpcBitcoinNode } from "../src/node/index.js";
import { bitcoindForTests, ensureWallet, startBitcoind } from "../src/regtest/index.js";
import { startSandbox } from "../src/sandbox/index.js";
import { type DepositEvent, type Outpoint, scanDeposits } from "../src/scanner/index.js";
import { inputsOf, readTransaction } from "../src/transaction.js";

export interface ContractBackend {
  url: string;
  user: string;
  password: string;
  /** Takes the node down for the last test; absent for nodes we must not stop. */
  stop?: () => Promise<void>;
  /** Releases the backend after the suite. */
  close: () => Promise<void>;
}

async function failure(promise: Promise<unknown>): Promise<BitcoinNodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BitcoinNodeError);
  return error as BitcoinNodeError;
}

export function describeNodeContract(name: string, setup: () => Promise<ContractBackend>): void {
  describe(`BitcoinNode contract: ${name}`, () => {
    let backend: ContractBackend;
    let root: RpcBitcoinNode;
    let gw: RpcBitcoinNode;
    let outside: RpcBitcoinNode;
    let mineTo = "";
    const run = `${Date.now().toString(36)}`;
    const label = `alice-${run}@example.org`;
    const node = (wallet?: string, password?: string) =>
      createBitcoinNode({
        url: backend.url,
        user: backend.user,
        password: password ?? backend.password,
        timeoutMs: 20_000,
        ...(wallet === undefined ? {} : { wallet }),
      });
    const mine = async (blocks: number) =>
      (await root.call("generatetoaddress", [blocks, mineTo])) as string[];
    const tip = async () => (await root.call("getbestblockhash")) as string;
    const ours = (events: DepositEvent[], txid: string) => events.filter((e) => e.txid === txid);

    beforeAll(async () => {
      backend = await setup();
      root = node();
      await ensureWallet(root, "gw");
      await ensureWallet(root, "outside");
      gw = node("gw");
      outside = node("outside");
      mineTo = await outside.getNewAddress("");
      await mine(101);
    }, 120_000);
    afterAll(async () => {
      await backend?.close();
    });

    it("describes the chain, the network and the node's version", async () => {
      const chain = await gw.getBlockchainInfo();
      expect(chain).toMatchObject({ chain: "regtest", initialBlockDownload: false, pruned: false });
      expect(chain.blocks).toBeGreaterThanOrEqual(101);
      expect(chain.bestBlockHash).toBe(await tip());
      const info = await gw.checkVersion(10_000);
      expect(info.version).toBeGreaterThanOrEqual(10_000);
      expect(info.relayFee).toBeGreaterThan(0n);
      expect((await failure(gw.checkVersion(99_000_000))).code).toBe("NODE_TOO_OLD");
    });

    it("has a mature coinbase to spend from outside, and no fee estimate yet", async () => {
      const balances = await outside.getBalances();
      expect(balances.trusted).toBeGreaterThanOrEqual(50n * SATS_PER_BTC);
      expect(typeof balances.immature).toBe("bigint");
      const estimate = await gw.estimateSmartFee(6);
      expect(estimate === null || estimate > 0n).toBe(true);
    });

    it("makes labelled addresses of every type and knows them", async () => {
      const types = ["bech32", "bech32m", "p2sh-segwit", "legacy"] as const;
      const addresses = [];
      for (const type of types) addresses.push(await gw.getNewAddress(label, type));
      expect(addresses[0]).toMatch(/^bcrt1q/);
      expect(addresses[1]).toMatch(/^bcrt1p/);
      expect(addresses[2]).toMatch(/^2/);
      expect(addresses[3]).toMatch(/^[mn]/);
      const info = await gw.getAddressInfo(addresses[0] ?? "");
      expect(info).toMatchObject({
        address: addresses[0],
        isMine: true,
        isChange: false,
        labels: [label],
      });
      expect((await outside.getAddressInfo(addresses[0] ?? "")).isMine).toBe(false);
      const listed = (await gw.getAddressesByLabel(label)).map((a) => a.address);
      expect(listed.sort()).toEqual([...addresses].sort());
      expect((await failure(gw.getAddressesByLabel(`nobody-${run}@example.org`))).code).toBe(
        "NODE_INVALID_LABEL",
      );
      expect(await gw.validateAddress(addresses[3] ?? "")).toMatchObject({
        isValid: true,
        address: addresses[3],
      });
      const bad = await gw.validateAddress("notanaddress");
      expect(bad.isValid).toBe(false);
      expect((await gw.validateAddress("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")).isValid).toBe(
        false,
      );
    });

    it("follows a payment: seen, waiting, confirmed, removed by a reorg, confirmed again", async () => {
      const address = await gw.getNewAddress(label, "bech32");
      const before = await tip();
      const txid = await outside.sendToAddress({
        address,
        amount: 150_000_000n,
        comment: `w-${run}`,
      });
      expect(txid).toMatch(/^[0-9a-f]{64}$/);
      const scan = (cursor: string | null, pending: Outpoint[]) =>
        scanDeposits({ node: gw, cursor, pending, confirmations: 1 });

      const first = await scan(before, []);
      const [seen] = ours(first.events, txid);
      expect(seen).toMatchObject({
        kind: "seen",
        address,
        label,
        amount: 150_000_000n,
        confirmations: 0,
      });
      expect(seen).not.toHaveProperty("blockHash");
      const pending = [{ txid, vout: seen?.vout ?? -1 }];
      const waiting = await scan(first.next, pending);
      expect(ours(waiting.events, txid)).toEqual([]);

      const [block] = await mine(1);
      const confirmed = await scan(waiting.next, pending);
      expect(ours(confirmed.events, txid)).toEqual([
        { ...seen, kind: "confirmed", confirmations: 1, blockHash: block },
      ]);
      expect(confirmed.next).toBe(block);
      const again = await scan(confirmed.next, []);
      expect(ours(again.events, txid)).toEqual([]);

      const received = await gw.getTransaction(txid);
      expect(received).toMatchObject({
        txid,
        amount: 150_000_000n,
        confirmations: 1,
        blockHash: block,
      });
      expect(received.details).toContainEqual(
        expect.objectContaining({ category: "receive", address, label, amount: 150_000_000n }),
      );
      const sent = await outside.getTransaction(txid);
      expect(sent).toMatchObject({ amount: -150_000_000n, comment: `w-${run}` });
      expect(sent.fee).toBeLessThan(0n);

      await root.call("invalidateblock", [block]);
      const reorged = await scan(confirmed.next, []);
      expect(ours(reorged.events, txid).map((e) => [e.kind, e.confirmations])).toEqual([
        ["removed", 0],
        ["seen", 0],
      ]);
      expect(reorged.next).toBe(before);

      await root.call("reconsiderblock", [block]);
      const back = await scan(reorged.next, pending);
      expect(ours(back.events, txid)).toEqual([
        { ...seen, kind: "confirmed", confirmations: 1, blockHash: block },
      ]);
    });

    it("scans again from genesis from a block this node does not know", async () => {
      const to = await gw.getNewAddress(`swapped-${run}`);
      const txid = await outside.sendToAddress({ address: to, amount: 1_500_000n });
      await mine(1);
      const step = await scanDeposits({
        node: gw,
        cursor: "11".repeat(32),
        pending: [],
        confirmations: 1,
      });
      expect([step.rescanned, step.next]).toEqual([true, await tip()]);
      expect(ours(step.events, txid).map((e) => e.kind)).toEqual(["confirmed"]);
    });

    it("maps refused sends to their error codes", async () => {
      const to = await outside.getNewAddress("");
      // Thunks, each started only after the one before settled: nothing is left unawaited.
      const cases: [() => Promise<unknown>, string, number][] = [
        [
          () => gw.sendToAddress({ address: to, amount: 20_000_000n * SATS_PER_BTC }),
          "NODE_INSUFFICIENT_FUNDS",
          -6,
        ],
        [
          () => gw.sendToAddress({ address: "notanaddress", amount: 10_000n }),
          "NODE_INVALID_ADDRESS",
          -5,
        ],
        [
          () =>
            gw.sendToAddress({
              address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
              amount: 10_000n,
            }),
          "NODE_INVALID_ADDRESS",
          -5,
        ],
        [() => gw.sendToAddress({ address: to, amount: 0n }), "NODE_TRANSACTION_FAILED", -6],
        [() => gw.sendToAddress({ address: to, amount: -100_000_000n }), "NODE_INVALID_AMOUNT", -3],
        [() => gw.call("sendtoaddress", [to, "abc"]), "NODE_INVALID_AMOUNT", -3],
        [() => gw.call("sendtoaddress", [to, "0.123456789"]), "NODE_INVALID_AMOUNT", -3],
        [
          () => gw.sendToAddress({ address: to, amount: 22_000_000n * SATS_PER_BTC }),
          "NODE_INVALID_AMOUNT",
          -3,
        ],
      ];
      for (const [start, code, rpcCode] of cases) {
        const error = await failure(start());
        expect([error.code, error.rpcCode]).toEqual([code, rpcCode]);
      }
    });

    it("builds a payment in steps: the fee known before it is signed and sent", async () => {
      const to = await gw.getNewAddress(`steps-${run}`);
      const request = { outputs: [{ address: to, amount: 30_000_000n }], feeRate: 7n };
      const { blocks } = await outside.getBlockchainInfo();
      const funded = await outside.fundTransaction({
        ...request,
        lockUnspents: true,
        lockTime: blocks,
      });
      expect(readTransaction(funded.hex)?.lockTime).toBe(blocks);
      const draft = await outside.decodeRawTransaction(funded.hex);
      expect(draft.outputs.filter((o) => o.address === to).map((o) => o.amount)).toEqual([
        30_000_000n,
      ]);
      // The fee is the rate times the size Core expects once signed.
      expect(funded.fee).toBeGreaterThanOrEqual(7n * 110n);
      expect(funded.fee).toBeLessThanOrEqual(7n * BigInt(draft.vsize + 110));
      const locked = await outside.listLockUnspent();
      expect(locked).toEqual(expect.arrayContaining(draft.inputs));
      const signed = await outside.signRawTransactionWithWallet(funded.hex);
      expect(signed).toMatchObject({ complete: true, errors: [] });
      const { txid } = await outside.decodeRawTransaction(signed.hex);
      expect(txid).toBe(draft.txid);
      const over = await failure(outside.sendRawTransaction(signed.hex, { maxFeeRate: 6n }));
      expect([over.code, over.rpcCode]).toEqual(["NODE_TRANSACTION_REJECTED", -25]);
      // Core's own words, apart from the method and the code the message adds.
      expect(over.rpcMessage).toMatch(/^Fee exceeds maximum configured by user/);
      expect(over.message).toBe(`sendrawtransaction: ${over.rpcMessage} (RPC -25)`);
      expect(await outside.sendRawTransaction(signed.hex, { maxFeeRate: 8n })).toBe(txid);
      const sent = await outside.getTransaction(txid);
      expect(sent.fee).toBe(-funded.fee);
      // Spent coins leave the locked set by themselves.
      expect(await outside.listLockUnspent()).not.toEqual(expect.arrayContaining(draft.inputs));
      // The same transaction again is the same payment: Core answers its txid.
      expect(await outside.sendRawTransaction(signed.hex)).toBe(txid);
    });

    it("funds exactly the coins given, at the same fee, and tells a coin still there from one spent", async () => {
      const to = await gw.getNewAddress(`preset-${run}`);
      const request = { outputs: [{ address: to, amount: 10_000_000n }], feeRate: 5n };
      const first = await outside.fundTransaction(request);
      const { inputs } = await outside.decodeRawTransaction(first.hex);
      const again = await outside.fundTransaction({ ...request, inputs });
      expect((await outside.decodeRawTransaction(again.hex)).inputs).toEqual(inputs);
      expect(again.fee).toBe(first.fee);
      // Funding locks preset coins too; a locked coin may still be given, as
      // Core's coin control allows.
      await outside.fundTransaction({ ...request, inputs, lockUnspents: true });
      expect(await outside.listLockUnspent()).toEqual(expect.arrayContaining(inputs));
      const locked = await outside.fundTransaction({ ...request, inputs, lockUnspents: true });
      expect(locked.fee).toBe(first.fee);
      await outside.lockUnspent(true, inputs);
      const there = await outside.getTxOut(inputs[0]!);
      expect(there?.value).toBeGreaterThan(10_000_000n);
      expect(there?.confirmations).toBeGreaterThan(0);
      expect(await outside.getTxOut({ txid: "cd".repeat(32), vout: 0 })).toBeNull();
      const short = await failure(
        outside.fundTransaction({
          outputs: [{ address: to, amount: there!.value * BigInt(inputs.length) + 1n }],
          feeRate: 5n,
          inputs,
        }),
      );
      expect([short.code, short.rpcCode]).toEqual(["NODE_TRANSACTION_FAILED", -4]);
      expect(short.rpcMessage).toMatch(/^The preselected coins total amount does not cover/);
      const stranger = await failure(
        outside.fundTransaction({ ...request, inputs: [{ txid: "cd".repeat(32), vout: 0 }] }),
      );
      expect([stranger.code, stranger.rpcCode]).toEqual(["NODE_TRANSACTION_FAILED", -4]);
      expect(stranger.rpcMessage).toBe("Unable to find UTXO for external input");
      const bad = failure(outside.getTxOut({ txid: "not a txid", vout: 0 }));
      expect((await bad).code).toBe("NODE_INVALID_ARGUMENT");
      // Spent by a transaction still in the mempool: gone for gettxout.
      const signed = await outside.signRawTransactionWithWallet(again.hex);
      await outside.sendRawTransaction(signed.hex);
      expect(await outside.getTxOut(inputs[0]!)).toBeNull();
      // Core funds a spent coin it knows all the same: the caller asks first.
      const spent = await outside.fundTransaction({ ...request, inputs });
      expect(spent.fee).toBe(first.fee);
    });

    it("reads bytes that are both a witness and a plain transaction as Core does", async () => {
      // Witness transactions whose bytes also read as plain ones with no inputs
      // (one output, its script running to the lock time). Core keeps the witness
      // reading unless only the plain one has valid scripts: here, when the
      // witness output's script is the invalid opcode 0xff.
      const spendsOne =
        "02000000000101000000000000004400000000000000000000000000000000000000000000000000000000000000000001e803000000000000160014abababababababababababababababababababab01015100000000";
      const readsPlain =
        "02000000000101000000000000002f00000000000000000000000000000000000000000000000000000000000000000001e80300000000000001ff01015100000000";
      for (const [hex, inputs, sats] of [
        [spendsOne, 1, 1000n],
        [readsPlain, 0, 1n],
      ] as const) {
        const decoded = await outside.decodeRawTransaction(hex);
        expect(decoded.inputs).toHaveLength(inputs);
        expect(decoded.outputs.map((o) => o.amount)).toEqual([sats]);
        expect(readTransaction(hex)?.outputs.map((o) => o.value)).toEqual([sats]);
        expect(inputsOf(hex)).toEqual(decoded.inputs);
      }
      // A witness marker with only empty stacks, or an unknown flag, is no transaction.
      for (const bad of [
        spendsOne.replace(/01015100000000$/, "0000000000"),
        `${spendsOne.slice(0, 10)}02${spendsOne.slice(12)}`,
      ]) {
        expect(readTransaction(bad)).toBeUndefined();
        expect((await failure(outside.decodeRawTransaction(bad))).message).toBe(
          "decoderawtransaction: TX decode failed (RPC -22)",
        );
      }
      // A draft without inputs is read plainly, and is not a transaction to send.
      const to = await gw.getNewAddress(`draft-${run}`);
      const empty = (await outside.call("createrawtransaction", [[], [{ [to]: "0.5" }]])) as string;
      expect((await outside.decodeRawTransaction(empty)).inputs).toEqual([]);
      expect(inputsOf(empty)).toEqual([]);
      const refused = await failure(outside.decodeRawTransaction(`${empty}00`));
      expect(refused.message).toBe("decoderawtransaction: TX decode failed (RPC -22)");
    });

    it("drops a send a reorg made non-final, keeps its coins until it is abandoned, takes it back, forgets it", async () => {
      await mine(1); // what earlier tests left in the mempool stays out of the reorg below
      const to = await gw.getNewAddress(`dropped-${run}`);
      const { blocks } = await outside.getBlockchainInfo();
      const funded = await outside.fundTransaction({
        outputs: [{ address: to, amount: 20_000_000n }],
        feeRate: 3n,
        lockTime: blocks,
      });
      const { inputs } = await outside.decodeRawTransaction(funded.hex);
      const signed = await outside.signRawTransactionWithWallet(funded.hex);
      const txid = await outside.sendRawTransaction(signed.hex);
      const unspent = async () =>
        ((await outside.call("listunspent", [0])) as Outpoint[]).map((u) => `${u.txid}:${u.vout}`);
      const spent = inputs.map((i) => `${i.txid}:${i.vout}`);

      const top = await tip();
      await root.call("invalidateblock", [top]); // the next block would be at its lock time
      const early = await failure(outside.sendRawTransaction(signed.hex));
      expect([early.code, early.rpcCode, early.rpcMessage]).toEqual([
        "NODE_TRANSACTION_REJECTED",
        -26,
        "non-final",
      ]);
      await root.call("reconsiderblock", [top]); // back, but Core does not take the send back
      await root.call("syncwithvalidationinterfacequeue", []); // the wallet has heard of it
      expect(await outside.getTransaction(txid)).toMatchObject({
        confirmations: 0,
        trusted: false,
      });
      expect(await unspent()).not.toEqual(expect.arrayContaining(spent));
      // The chain calls its coins unspent; the wallet, which may send it again, does not lock them.
      expect(await outside.getTxOut(inputs[0]!)).not.toBeNull();
      const taken = await failure(outside.lockUnspent(false, inputs));
      expect([taken.code, taken.rpcMessage]).toEqual([
        "NODE_INVALID_PARAMETER",
        "Invalid parameter, expected unspent output",
      ]);

      expect(await outside.call("abandontransaction", [txid])).toBeNull();
      const abandoned = await outside.getTransaction(txid);
      expect(abandoned.details.map((d) => d.abandoned)).toEqual([true]);
      expect(await unspent()).toEqual(expect.arrayContaining(spent));
      await outside.lockUnspent(false, inputs);
      await outside.lockUnspent(true, inputs);

      expect(await outside.sendRawTransaction(signed.hex)).toBe(txid);
      const back = await outside.getTransaction(txid);
      expect([back.trusted, back.details.map((d) => d.abandoned)]).toEqual([true, [false]]);
      const refused = await failure(outside.call("abandontransaction", [txid]));
      expect([refused.rpcCode, refused.rpcMessage]).toEqual([
        -5,
        "Transaction not eligible for abandonment",
      ]);

      // removeprunedfunds: the wallet forgets it (the mempool keeps it), and
      // learns of it again from the block that mines it.
      expect(await outside.call("removeprunedfunds", [txid])).toBeNull();
      expect((await failure(outside.getTransaction(txid))).code).toBe("NODE_UNKNOWN_TRANSACTION");
      const again = await failure(outside.call("removeprunedfunds", [txid]));
      expect([again.rpcCode, again.rpcMessage]).toEqual([
        -4,
        `Transaction ${txid} does not belong to this wallet`,
      ]);
      await mine(1);
      expect((await outside.getTransaction(txid)).confirmations).toBe(1);
    });

    it("gives the change the type of the payee's address", async () => {
      const shapes = [
        ["legacy", /^[mn]/],
        ["p2sh-segwit", /^2/],
        ["bech32", /^bcrt1q/],
        ["bech32m", /^bcrt1p/],
      ] as const;
      for (const [type, shape] of shapes) {
        const to = await gw.getNewAddress(`change-${run}`, type);
        const txid = await outside.sendToAddress({ address: to, amount: 1_000_000n });
        const { hex } = await outside.getTransaction(txid);
        const { outputs } = await outside.decodeRawTransaction(hex);
        const change = outputs.filter((o) => o.address !== to);
        expect([type, change.length, shape.test(change[0]?.address ?? "")]).toEqual([
          type,
          1,
          true,
        ]);
      }
    });

    it("unlocks what it funded but did not send, and maps funding errors", async () => {
      const to = await gw.getNewAddress("");
      const funded = await outside.fundTransaction({
        outputs: [{ address: to, amount: 10_000n }],
        feeRate: 3,
        lockUnspents: true,
      });
      const { inputs } = await outside.decodeRawTransaction(funded.hex);
      await outside.lockUnspent(true, inputs);
      const locked = await outside.listLockUnspent();
      expect(locked).not.toEqual(expect.arrayContaining(inputs));
      const poor = await failure(
        outside.fundTransaction({
          outputs: [{ address: to, amount: 20_000_000n * SATS_PER_BTC }],
          feeRate: 3,
        }),
      );
      expect([poor.code, poor.rpcCode]).toEqual(["NODE_INSUFFICIENT_FUNDS", -4]);
      const unknown = await failure(
        outside.lockUnspent(false, [{ txid: "ab".repeat(32), vout: 0 }]),
      );
      expect([unknown.code, unknown.rpcCode]).toEqual(["NODE_INVALID_PARAMETER", -8]);
      expect((await failure(outside.fundTransaction({ outputs: [], feeRate: 3 }))).code).toBe(
        "NODE_INVALID_ARGUMENT",
      );
      for (const lockTime of [-1, 1.5, 500_000_000]) {
        const bad = outside.fundTransaction({
          outputs: [{ address: to, amount: 10_000n }],
          feeRate: 3,
          lockTime,
        });
        expect((await failure(bad)).code).toBe("NODE_INVALID_ARGUMENT");
      }
      const foreign = await failure(
        outside.fundTransaction({
          outputs: [{ address: "notanaddress", amount: 10_000n }],
          feeRate: 3,
        }),
      );
      expect([foreign.code, foreign.rpcCode]).toEqual(["NODE_INVALID_ADDRESS", -5]);
    });

    it("shows a payment double-spent by a mined transaction with negative confirmations", async () => {
      const to = await gw.getNewAddress(`conflict-${run}`);
      await mine(1); // The input must be in the chain: the block holds only the double spend.
      const txid = await outside.sendToAddress({ address: to, amount: 20_000_000n, feeRate: 2n });
      const [input] = (await outside.decodeRawTransaction((await outside.getTransaction(txid)).hex))
        .inputs;
      const draft = await outside.call("createrawtransaction", [[input], [{ [mineTo]: "0.001" }]]);
      const other = await outside.signRawTransactionWithWallet(draft as string);
      expect(other.complete).toBe(true);
      await root.call("generateblock", [mineTo, [other.hex]]);
      const conflicted = await outside.getTransaction(txid);
      expect(conflicted.confirmations).toBe(-1);
      expect(conflicted.walletConflicts).toEqual([
        (await outside.decodeRawTransaction(other.hex)).txid,
      ]);
      // Core lists a conflicted payment only in the wallet that sent it.
      const sent = await outside.listSinceBlock({ blockHash: null });
      expect(sent.transactions.find((t) => t.txid === txid)?.confirmations).toBe(-1);
      const received = await gw.listSinceBlock({ blockHash: null });
      expect(received.transactions.filter((t) => t.txid === txid)).toEqual([]);
      const atGw = await gw.getTransaction(txid);
      expect([atGw.confirmations, atGw.details]).toEqual([-1, []]);
      // The scanner still reports the deposit it had announced as removed.
      const vout = (await gw.decodeRawTransaction(atGw.hex)).outputs.find(
        (o) => o.address === to,
      )!.n;
      const { events } = await scanDeposits({
        node: gw,
        cursor: await tip(),
        pending: [{ txid, vout }],
        confirmations: 1,
      });
      expect(events).toEqual([
        { kind: "removed", txid, vout, address: to, amount: 20_000_000n, confirmations: -1 },
      ]);
    });

    it("maps wallet, method and credential errors", async () => {
      expect((await failure(gw.getTransaction("00".repeat(32)))).code).toBe(
        "NODE_UNKNOWN_TRANSACTION",
      );
      expect((await failure(gw.walletPassphrase("pw", 10))).code).toBe("NODE_WALLET_NOT_ENCRYPTED");
      expect((await failure(gw.call("nosuchmethod"))).code).toBe("NODE_METHOD_NOT_FOUND");
      expect((await failure(root.getBalances())).code).toBe("NODE_WALLET_NOT_SPECIFIED");
      expect((await failure(node(`nosuchwallet-${run}`).getBalances())).code).toBe(
        "NODE_WALLET_NOT_FOUND",
      );
      expect((await failure(gw.estimateSmartFee(1009))).code).toBe("NODE_INVALID_PARAMETER");
      expect((await failure(gw.listSinceBlock({ blockHash: "00".repeat(32) }))).code).toBe(
        "NODE_UNKNOWN_BLOCK",
      );
      const wrong = await failure(node("gw", `${backend.password}-wrong`).getBalances());
      expect([wrong.code, wrong.rpcCode]).toEqual(["NODE_MISCONFIGURED", undefined]);
    });

    it("refuses to spend from a locked wallet and checks the passphrase", async () => {
      const wallet = `locked-${run}`;
      await root.call("createwallet", [wallet, false, false, "pw"]);
      const locked = node(wallet);
      const to = await locked.getNewAddress("");
      await outside.sendToAddress({ address: to, amount: 100_000_000n });
      await mine(1);
      const send = { address: mineTo, amount: 10_000_000n };
      expect((await failure(locked.sendToAddress(send))).code).toBe("NODE_WALLET_LOCKED");
      expect((await failure(locked.walletPassphrase("bad", 10))).code).toBe(
        "NODE_WRONG_PASSPHRASE",
      );
      await locked.walletPassphrase("pw", 10);
      expect(await locked.sendToAddress({ ...send, feeRate: 2n, replaceable: true })).toMatch(
        /^[0-9a-f]{64}$/,
      );
      await locked.call("walletlock");
      await root.call("unloadwallet", [wallet]);
    });

    it("reports the node down as unavailable, connection refused", async () => {
      let url = backend.url;
      if (backend.stop) {
        await backend.stop();
      } else {
        const closed = createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(closed.address() as NetAddress).port}`;
        await new Promise((resolve) => closed.close(resolve));
      }
      const down = createBitcoinNode({
        url,
        user: backend.user,
        password: backend.password,
        wallet: "gw",
      });
      const error = await failure(down.getBalances());
      expect([error.code, error.reason]).toEqual(["NODE_UNAVAILABLE", "connection-refused"]);
      const send = await failure(down.sendToAddress({ address: mineTo, amount: 1000n }));
      expect([send.code, send.reason]).toEqual(["NODE_UNAVAILABLE", "connection-refused"]);
    });
  });
}

describeNodeContract("sandbox", async () => {
  const sandbox = await startSandbox({ port: 0 });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await sandbox.close();
    stopped = true;
  };
  return { url: sandbox.url, user: sandbox.user, password: sandbox.password, stop, close: stop };
});

const binary = bitcoindForTests("the BitcoinNode contract");
describe.skipIf(binary === undefined)("bitcoind -regtest (a throw-away node)", () => {
  describeNodeContract("bitcoind", async () => {
    const node = await startBitcoind({ binary: binary ?? "" });
    return {
      url: node.url,
      user: node.user,
      password: node.password,
      stop: node.stop,
      close: node.close,
    };
  });
});
