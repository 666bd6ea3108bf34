/**
 * createBitcoinNode against Bitcoin Core v30's recorded answers, replayed
 * byte for byte by a loopback HTTP server: reply parsing, exact amounts,
 * error mapping, transport failures, credentials. The bodies below are
 * copied from /work/shared/fixtures (long descriptor strings shortened).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo as NetAddress } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BitcoinNodeError, createBitcoinNode, type RpcBitcoinNode } from "../src/node/index.js";

interface Seen {
  path: string;
  method: string;
  params: unknown[];
  auth: string | undefined;
  connection: string | undefined;
}
type Answer = { status: number; body: string; type?: string } | "hang" | "reset";

const ADDR = "bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh";
const TXID = "2017fd0e034735691e6c81e8414346b91ff81cdbd68dd6bfad147e0ccf5c200e";
const BLOCK = "26bfc5bbd21f66525b95738e7d4e022935c855ed5b5e0eeab753417e8e7d8518";
const ok = (result: string): Answer => ({
  status: 200,
  body: `{"result":${result},"error":null,"id":1}\n`,
});
const fail = (code: number, message: string, status = 500): Answer => ({
  status,
  body: `{"result":null,"error":{"code":${code},"message":${JSON.stringify(message)}},"id":1}\n`,
});
const entry = (amount: string, txid: string, extra: string) =>
  `{"address":"${ADDR}","parent_descs":["wpkh([3c876ec7/84h/1h/0h]tpubDD…/0/*)#t5nnhz7r"],"category":"receive","amount":${amount},"label":"bob@example.org","vout":1,"abandoned":false,${extra}"txid":"${txid}","wtxid":"${TXID}","walletconflicts":[],"mempoolconflicts":[],"time":1795686408,"timereceived":1795686408,"bip125-replaceable":"no"}`;
const confirmedAt = `"confirmations":1,"blockhash":"${BLOCK}","blockheight":102,"blockindex":1,"blocktime":1795686426,`;

let server: Server;
let url = "";
let answer: (seen: Seen) => Answer = () => ok("null");
const seen: Seen[] = [];
let node: RpcBitcoinNode;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const parsed = JSON.parse(body) as { method: string; params: unknown[] };
      const call = {
        path: req.url ?? "",
        method: parsed.method,
        params: parsed.params,
        auth: req.headers.authorization,
        connection: req.headers.connection,
      };
      seen.push(call);
      const a = answer(call);
      if (a === "hang") return;
      if (a === "reset") return req.socket.destroy();
      res.writeHead(a.status, { "Content-Type": a.type ?? "application/json" }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as NetAddress).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  node = createBitcoinNode({ url, user: "u", password: "p", wallet: "gw", timeoutMs: 2000 });
});

async function failure(promise: Promise<unknown>): Promise<BitcoinNodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BitcoinNodeError);
  return error as BitcoinNodeError;
}

describe("requests", () => {
  it("sends wallet calls to /wallet/<name>, URL-encoded, with basic auth", async () => {
    answer = () => ok(`"${ADDR}"`);
    expect(await node.getNewAddress("bob@example.org", "bech32")).toBe(ADDR);
    const other = createBitcoinNode({ url, user: "u", password: "p", wallet: "my wallet/2" });
    await other.getNewAddress("x");
    expect(seen.map((s) => [s.path, s.method, s.params])).toEqual([
      ["/wallet/gw", "getnewaddress", ["bob@example.org", "bech32"]],
      ["/wallet/my%20wallet%2F2", "getnewaddress", ["x"]],
    ]);
    expect(seen[0]?.auth).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    // No keep-alive: a socket left over from before a node restart would fail a send as "unknown".
    expect(seen[0]?.connection).toBe("close");
  });

  it("sends amounts as exact BTC strings and options positionally", async () => {
    answer = () => ok(`"${TXID}"`);
    await node.sendToAddress({
      address: ADDR,
      amount: 100_000_000n,
      comment: "w-123",
      commentTo: "bob",
    });
    await node.sendToAddress({ address: ADDR, amount: 25_000_001n, comment: "w-124", feeRate: 5n });
    await node.sendToAddress({
      address: ADDR,
      amount: 1n,
      subtractFeeFromAmount: true,
      replaceable: false,
    });
    expect(seen.map((s) => s.params)).toEqual([
      [ADDR, "1.00000000", "w-123", "bob"],
      [ADDR, "0.25000001", "w-124", null, null, null, null, null, null, 5],
      [ADDR, "0.00000001", null, null, true, false],
    ]);
  });

  it("asks listsinceblock from genesis with null and the scanner's flags", async () => {
    answer = () => ok(`{"transactions":[],"removed":[],"lastblock":"${BLOCK}"}`);
    await node.listSinceBlock({ blockHash: null, targetConfirmations: 3 });
    await node.listSinceBlock({ blockHash: BLOCK, includeRemoved: false });
    expect(seen.map((s) => s.params)).toEqual([
      [null, 3, false, true],
      [BLOCK, 1, false, false],
    ]);
  });

  it("refuses bad arguments before calling the node", async () => {
    const bad: [Promise<unknown>, string][] = [
      [node.getTransaction("xyz"), "NODE_INVALID_ARGUMENT"],
      [node.listSinceBlock({ blockHash: "nothex" }), "NODE_INVALID_ARGUMENT"],
      [node.listSinceBlock({ blockHash: null, targetConfirmations: 0 }), "NODE_INVALID_ARGUMENT"],
      [node.estimateSmartFee(0), "NODE_INVALID_ARGUMENT"],
      [node.walletPassphrase("pw", 1.5), "NODE_INVALID_ARGUMENT"],
      [
        node.sendToAddress({ address: ADDR, amount: 1 as unknown as bigint }),
        "NODE_INVALID_AMOUNT",
      ],
      [node.sendToAddress({ address: ADDR, amount: 1n, feeRate: 0n }), "NODE_INVALID_ARGUMENT"],
      [
        node.sendToAddress({ address: ADDR, amount: 1n, feeRate: Number.NaN }),
        "NODE_INVALID_ARGUMENT",
      ],
      [node.getNewAddress("x", "p2pk" as "bech32"), "NODE_INVALID_ARGUMENT"],
    ];
    for (const [promise, code] of bad) expect((await failure(promise)).code).toBe(code);
    expect(seen).toEqual([]);
  });

  it("refuses bad options at creation", () => {
    for (const options of [
      { url: "localhost:8332", user: "u", password: "p" },
      { url: "ftp://127.0.0.1:8332", user: "u", password: "p" },
      { url: "http://127.0.0.1:8332/wallet/gw", user: "u", password: "p" },
      { url: "http://127.0.0.1:8332" },
      { url: "http://127.0.0.1:8332", user: "u", password: "p", timeoutMs: 0 },
    ]) {
      expect(() => createBitcoinNode(options)).toThrow(
        expect.objectContaining({ code: "NODE_MISCONFIGURED" }),
      );
    }
  });
});

describe("replies", () => {
  it("reads listsinceblock entries with exact satoshis", async () => {
    answer = () =>
      ok(
        `{"transactions":[${entry("0.49995065", TXID, confirmedAt)},${entry("20999999.99999999", BLOCK, `"confirmations":0,"trusted":false,`)}],"removed":[],"lastblock":"${BLOCK}"}`,
      );
    const since = await node.listSinceBlock({ blockHash: null });
    expect(since.lastBlock).toBe(BLOCK);
    expect(since.transactions).toEqual([
      {
        txid: TXID,
        vout: 1,
        address: ADDR,
        category: "receive",
        amount: 49_995_065n,
        label: "bob@example.org",
        abandoned: false,
        confirmations: 1,
        blockHash: BLOCK,
        blockHeight: 102,
        time: 1795686408,
      },
      expect.objectContaining({ amount: 2_099_999_999_999_999n, confirmations: 0 }),
    ]);
    expect(since.transactions[1]).not.toHaveProperty("blockHash");
  });

  it("reads the sending side of gettransaction with negative amount and fee", async () => {
    answer = () =>
      ok(
        `{"amount":-1.00000000,"fee":-0.00002820,${confirmedAt}"txid":"${TXID}","wtxid":"${TXID}","walletconflicts":[],"mempoolconflicts":[],"time":1795686408,"timereceived":1795686408,"bip125-replaceable":"no","comment":"w-123","to":"bob","details":[{"address":"${ADDR}","category":"send","amount":-1.00000000,"vout":1,"fee":-0.00002820,"abandoned":false}],"hex":"0200","lastprocessedblock":{"hash":"${BLOCK}","height":102}}`,
      );
    const tx = await node.getTransaction(TXID);
    expect(tx).toMatchObject({
      amount: -100_000_000n,
      fee: -2820n,
      comment: "w-123",
      commentTo: "bob",
    });
    expect(tx.details).toEqual([
      {
        address: ADDR,
        category: "send",
        amount: -100_000_000n,
        vout: 1,
        fee: -2820n,
        abandoned: false,
      },
    ]);
  });

  it("reads balances, addresses, labels, chain and network info", async () => {
    const replies: Record<string, Answer> = {
      getbalances: ok(
        `{"mine":{"trusted":1.74995065,"untrusted_pending":0.00000545,"immature":0.00000000},"lastprocessedblock":{"hash":"${BLOCK}","height":103}}`,
      ),
      getaddressinfo: ok(
        `{"address":"${ADDR}","scriptPubKey":"0014025f","ismine":true,"solvable":true,"iswatchonly":false,"isscript":false,"iswitness":true,"ischange":false,"hdkeypath":"m/84h/1h/0h/0/0","labels":["bob@example.org"]}`,
      ),
      validateaddress: ok(
        `{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported Segwit (Bech32) or Base58 encoding."}`,
      ),
      getaddressesbylabel: ok(
        `{"mxYYtpuhjQRoFnQJHSEfqvjCXpY8YNhgka":{"purpose":"receive"},"${ADDR}":{"purpose":"receive"}}`,
      ),
      getblockchaininfo: ok(
        `{"chain":"regtest","blocks":102,"headers":102,"bestblockhash":"${BLOCK}","bits":"207fffff","difficulty":4.656542373906925e-10,"time":1795683474,"mediantime":1795683473,"verificationprogress":1,"initialblockdownload":false,"chainwork":"00ce","size_on_disk":30922,"pruned":false,"warnings":[]}`,
      ),
      getnetworkinfo: ok(
        `{"version":300000,"subversion":"/Satoshi:30.0.0/","protocolversion":70016,"localrelay":true,"relayfee":0.00000100,"incrementalfee":0.00000100,"localaddresses":[],"warnings":[]}`,
      ),
      walletpassphrase: ok("null"),
    };
    answer = (s) => replies[s.method] ?? fail(-32601, "Method not found", 404);
    expect(await node.getBalances()).toEqual({
      trusted: 174_995_065n,
      untrustedPending: 545n,
      immature: 0n,
    });
    expect(await node.getAddressInfo(ADDR)).toEqual({
      address: ADDR,
      scriptPubKey: "0014025f",
      isMine: true,
      isChange: false,
      labels: ["bob@example.org"],
      hdKeyPath: "m/84h/1h/0h/0/0",
    });
    expect(await node.validateAddress("bc1q")).toMatchObject({
      isValid: false,
      error: expect.any(String),
    });
    expect((await node.getAddressesByLabel("bob@example.org")).map((a) => a.address)).toEqual([
      ADDR,
      "mxYYtpuhjQRoFnQJHSEfqvjCXpY8YNhgka",
    ]);
    expect(await node.getBlockchainInfo()).toMatchObject({
      chain: "regtest",
      blocks: 102,
      bestBlockHash: BLOCK,
    });
    expect(await node.getNetworkInfo()).toMatchObject({
      version: 300000,
      relayFee: 100n,
      warnings: [],
    });
    expect(await node.checkVersion(280000)).toMatchObject({ version: 300000 });
    expect((await failure(node.checkVersion(310000))).code).toBe("NODE_TOO_OLD");
    await expect(node.walletPassphrase("pw", 10)).resolves.toBeUndefined();
  });

  it("turns fee estimates into sat/vB rounded up, and no data into null", async () => {
    const estimates = [
      `{"errors":["Insufficient data or no feerate found"],"blocks":0}`,
      `{"feerate":0.00001234,"blocks":2}`,
      `{"feerate":0.00002000,"blocks":6}`,
    ];
    answer = () => ok(estimates.shift() ?? "null");
    expect(await node.estimateSmartFee(6)).toBeNull();
    expect(await node.estimateSmartFee(2)).toBe(2n);
    expect(await node.estimateSmartFee(6)).toBe(2n);
  });

  it("reports replies of the wrong shape as NODE_MALFORMED_REPLY naming the field", async () => {
    const cases: [Answer, () => Promise<unknown>, RegExp][] = [
      [
        ok(`{"mine":{"trusted":"abc","untrusted_pending":0,"immature":0}}`),
        () => node.getBalances(),
        /mine\.trusted/,
      ],
      [
        ok(`{"mine":{"trusted":0.123456789,"untrusted_pending":0,"immature":0}}`),
        () => node.getBalances(),
        /exact/,
      ],
      [
        ok(
          `{"transactions":[${entry("1", TXID, confirmedAt).replace('"receive"', '"gift"')}],"removed":[],"lastblock":"${BLOCK}"}`,
        ),
        () => node.listSinceBlock({ blockHash: null }),
        /category/,
      ],
      [
        ok(`{"transactions":[],"lastblock":"${BLOCK}"}`),
        () => node.listSinceBlock({ blockHash: null }),
        /removed/,
      ],
      [ok("42"), () => node.getNewAddress("x"), /getnewaddress/],
      [{ status: 200, body: '{"result":{"mine":' }, () => node.getBalances(), /getbalances/],
      [
        { status: 200, body: "<html>hello</html>", type: "text/html" },
        () => node.getBalances(),
        /getbalances/,
      ],
    ];
    for (const [reply, run, message] of cases) {
      answer = () => reply;
      const error = await failure(run());
      expect(error.code).toBe("NODE_MALFORMED_REPLY");
      expect(error.message).toMatch(message);
    }
  });
});

describe("errors", () => {
  it("maps Core's recorded RPC errors to codes, keeping rpcCode and message", async () => {
    const cases: [Answer, () => Promise<unknown>, string, number][] = [
      [
        fail(-6, "Insufficient funds"),
        () => node.sendToAddress({ address: ADDR, amount: 1n }),
        "NODE_INSUFFICIENT_FUNDS",
        -6,
      ],
      [
        fail(-6, "Transaction amount too small"),
        () => node.sendToAddress({ address: ADDR, amount: 0n }),
        "NODE_TRANSACTION_FAILED",
        -6,
      ],
      [
        fail(-5, "Invalid Bitcoin address: notanaddress"),
        () => node.sendToAddress({ address: "notanaddress", amount: 1n }),
        "NODE_INVALID_ADDRESS",
        -5,
      ],
      [
        fail(-3, "Amount out of range"),
        () => node.sendToAddress({ address: ADDR, amount: -1n }),
        "NODE_INVALID_AMOUNT",
        -3,
      ],
      [
        fail(-3, "Invalid amount"),
        () => node.call("sendtoaddress", [ADDR, "abc"]),
        "NODE_INVALID_AMOUNT",
        -3,
      ],
      [
        fail(-5, "Invalid or non-wallet transaction id"),
        () => node.getTransaction("00".repeat(32)),
        "NODE_UNKNOWN_TRANSACTION",
        -5,
      ],
      [
        fail(-5, "Block not found"),
        () => node.listSinceBlock({ blockHash: "00".repeat(32) }),
        "NODE_UNKNOWN_BLOCK",
        -5,
      ],
      [
        fail(-8, "Invalid conf_target, must be between 1 and 1008"),
        () => node.estimateSmartFee(1009),
        "NODE_INVALID_PARAMETER",
        -8,
      ],
      [
        fail(-11, "No addresses with label nobody@example.org"),
        () => node.getAddressesByLabel("nobody@example.org"),
        "NODE_INVALID_LABEL",
        -11,
      ],
      [
        fail(-13, "Error: Please enter the wallet passphrase with walletpassphrase first."),
        () => node.sendToAddress({ address: ADDR, amount: 1n }),
        "NODE_WALLET_LOCKED",
        -13,
      ],
      [
        fail(-14, "Error: The wallet passphrase entered was incorrect."),
        () => node.walletPassphrase("bad", 10),
        "NODE_WRONG_PASSPHRASE",
        -14,
      ],
      [
        fail(-15, "Error: running with an unencrypted wallet, but walletpassphrase was called."),
        () => node.walletPassphrase("pw", 10),
        "NODE_WALLET_NOT_ENCRYPTED",
        -15,
      ],
      [fail(-28, "Loading block index…"), () => node.getBlockchainInfo(), "NODE_WARMING_UP", -28],
      [
        fail(-18, "Requested wallet does not exist or is not loaded"),
        () => node.getBalances(),
        "NODE_WALLET_NOT_FOUND",
        -18,
      ],
      [
        fail(
          -19,
          "Multiple wallets are loaded. Please select which wallet to use by requesting the RPC through the /wallet/<walletname> URI path.",
        ),
        () => node.getBalances(),
        "NODE_WALLET_NOT_SPECIFIED",
        -19,
      ],
      [
        fail(-32601, "Method not found", 404),
        () => node.call("nosuchmethod"),
        "NODE_METHOD_NOT_FOUND",
        -32601,
      ],
      [
        fail(-4, "Wallet file verification failed. Database already exists."),
        () => node.call("createwallet", ["gw"]),
        "NODE_RPC_ERROR",
        -4,
      ],
    ];
    for (const [reply, run, code, rpcCode] of cases) {
      answer = () => reply;
      const error = await failure(run());
      expect([error.code, error.rpcCode]).toEqual([code, rpcCode]);
      expect(error.message).toContain(JSON.parse((reply as { body: string }).body).error.message);
    }
  });

  it("maps HTTP statuses without a JSON body", async () => {
    const cases: [number, string, string][] = [
      [401, "", "NODE_MISCONFIGURED"],
      [403, "", "NODE_MISCONFIGURED"],
      [404, "", "NODE_MISCONFIGURED"],
      [503, "Work queue depth exceeded", "NODE_UNAVAILABLE"],
    ];
    for (const [status, body, code] of cases) {
      answer = () => ({ status, body, type: "text/html; charset=ISO-8859-1" });
      const error = await failure(node.getBalances());
      expect(error.code).toBe(code);
      expect(error.rpcCode).toBeUndefined();
    }
    answer = () => ({ status: 401, body: "", type: "text/html; charset=ISO-8859-1" });
    expect((await failure(node.sendToAddress({ address: ADDR, amount: 1n }))).code).toBe(
      "NODE_MISCONFIGURED",
    );
    answer = () => ({ status: 502, body: "Bad Gateway", type: "text/plain" });
    expect((await failure(node.sendToAddress({ address: ADDR, amount: 1n }))).code).toBe(
      "NODE_SEND_OUTCOME_UNKNOWN",
    );
  });

  it("reports a node that does not answer in time, and never resends", async () => {
    answer = () => "hang";
    const slow = createBitcoinNode({ url, user: "u", password: "p", wallet: "gw", timeoutMs: 200 });
    const read = await failure(slow.getBalances());
    expect([read.code, read.reason]).toEqual(["NODE_UNAVAILABLE", "timeout"]);
    seen.length = 0;
    const send = await failure(slow.sendToAddress({ address: ADDR, amount: 1n, comment: "w-1" }));
    expect([send.code, send.reason]).toEqual(["NODE_SEND_OUTCOME_UNKNOWN", "timeout"]);
    expect(send.cause).toBeInstanceOf(BitcoinNodeError);
    expect(seen.map((s) => s.method)).toEqual(["sendtoaddress"]);
    seen.length = 0;
    const raw = await failure(slow.sendRawTransaction("00"));
    expect([raw.code, raw.reason]).toEqual(["NODE_SEND_OUTCOME_UNKNOWN", "timeout"]);
    expect(seen.map((s) => s.method)).toEqual(["sendrawtransaction"]);
  });

  it("maps a broadcast the node refused, and one already in the chain", async () => {
    const refusals: [number, string, string][] = [
      [-25, "bad-txns-inputs-missingorspent", "NODE_TRANSACTION_REJECTED"],
      [-26, "min relay fee not met", "NODE_TRANSACTION_REJECTED"],
      [-27, "Transaction outputs already in utxo set", "NODE_ALREADY_IN_CHAIN"],
    ];
    for (const [rpcCode, message, code] of refusals) {
      answer = () => ({
        status: 500,
        body: JSON.stringify({ result: null, error: { code: rpcCode, message }, id: 1 }),
      });
      const error = await failure(node.sendRawTransaction("00"));
      expect([error.code, error.rpcCode]).toEqual([code, rpcCode]);
    }
  });

  it("reports a reset connection; on a send, as an unknown outcome", async () => {
    answer = () => "reset";
    const read = await failure(node.getBalances());
    expect([read.code, read.reason]).toEqual(["NODE_UNAVAILABLE", "connection-reset"]);
    seen.length = 0;
    expect((await failure(node.sendToAddress({ address: ADDR, amount: 1n }))).code).toBe(
      "NODE_SEND_OUTCOME_UNKNOWN",
    );
    expect(seen).toHaveLength(1);
  });

  it("treats a txid-less success of a send as an unknown outcome", async () => {
    answer = () => ok('"not-a-txid"');
    expect((await failure(node.sendToAddress({ address: ADDR, amount: 1n }))).code).toBe(
      "NODE_SEND_OUTCOME_UNKNOWN",
    );
  });

  it("reports refused connections and unknown hosts; a refused send was surely not sent", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as NetAddress).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = createBitcoinNode({ url: `http://127.0.0.1:${port}`, user: "u", password: "p" });
    const read = await failure(down.getBlockchainInfo());
    expect([read.code, read.reason]).toEqual(["NODE_UNAVAILABLE", "connection-refused"]);
    const send = await failure(down.sendToAddress({ address: ADDR, amount: 1n }));
    expect([send.code, send.reason]).toEqual(["NODE_UNAVAILABLE", "connection-refused"]);
    const nowhere = createBitcoinNode({
      url: "http://bitcoim-no-such-host.invalid:18443",
      user: "u",
      password: "p",
    });
    const dns = await failure(nowhere.getBlockchainInfo());
    expect([dns.code, dns.reason]).toEqual(["NODE_UNAVAILABLE", "dns"]);
  });
});

describe("cookie authentication", () => {
  it("reads the cookie on each call, so a restarted node's new cookie is picked up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitcoim-cookie-"));
    try {
      const cookieFile = join(dir, ".cookie");
      writeFileSync(cookieFile, "__cookie__:first\n");
      answer = () => ok(`"${ADDR}"`);
      const cookied = createBitcoinNode({ url, cookieFile });
      await cookied.getNewAddress("a");
      writeFileSync(cookieFile, "__cookie__:second");
      await cookied.getNewAddress("b");
      expect(seen.map((s) => Buffer.from(s.auth?.slice(6) ?? "", "base64").toString())).toEqual([
        "__cookie__:first",
        "__cookie__:second",
      ]);
      rmSync(cookieFile);
      expect((await failure(cookied.getNewAddress("c"))).code).toBe("NODE_MISCONFIGURED");
      writeFileSync(cookieFile, "garbage");
      expect((await failure(cookied.getNewAddress("c"))).code).toBe("NODE_MISCONFIGURED");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
