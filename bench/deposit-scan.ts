/**
 * Deposit scanning must cost the same whatever the number of users: one
 * `listsinceblock` per step, no per-label calls. This bench builds two
 * wallets on the sandbox chain — 2,000 labelled deposit addresses, and
 * 20,000 — pays 2,000 of them in one block each, and times one scan step
 * over that block (median of several runs; the step is idempotent, so runs
 * see the same input). Seeding is not timed.
 *
 *   cd /work/main && pnpm exec tsx --conditions=@bitcoim/source bench/deposit-scan.ts
 *
 * Targets: each step under 1 s; ratio 20,000 / 2,000 about 1.
 */
import {
  BitcoinNodeError,
  btcFromSats,
  createBitcoinNode,
  type RpcBitcoinNode,
  scanDeposits,
} from "@bitcoim/wallet";
import { startSandbox } from "@bitcoim/wallet/sandbox";

const RECEIVES = 2_000;
const RUNS = 5;
const AMOUNT = 100_000n; // sat per deposit
const CHUNK = 500; // outputs per sendmany

interface Round {
  labels: number;
  receives: number;
  ms: number[];
}

const sandbox = await startSandbox({ port: 0 });
const connect = (wallet?: string): RpcBitcoinNode =>
  createBitcoinNode({
    url: sandbox.url,
    user: sandbox.user,
    password: sandbox.password,
    timeoutMs: 120_000,
    ...(wallet === undefined ? {} : { wallet }),
  });

try {
  const root = connect();
  await root.call("createwallet", ["outside"]);
  const outside = connect("outside");
  const miner = await outside.getNewAddress("");
  await root.call("generatetoaddress", [110, miner]);
  const rounds: Round[] = [];
  for (const labels of [RECEIVES, RECEIVES * 10]) {
    rounds.push(await round(root, outside, miner, labels));
  }
  print(rounds);
} finally {
  await sandbox.close();
}

async function round(
  root: RpcBitcoinNode,
  outside: RpcBitcoinNode,
  miner: string,
  labels: number,
): Promise<Round> {
  const name = `gw-${labels}`;
  await root.call("createwallet", [name]);
  const gw = connect(name);
  const addresses: string[] = [];
  for (let i = 0; i < labels; i += 50) {
    const batch = Array.from({ length: Math.min(50, labels - i) }, (_, k) =>
      gw.getNewAddress(`user-${i + k}@example.org`, "bech32"),
    );
    addresses.push(...(await Promise.all(batch)));
  }
  // Pay every (labels / RECEIVES)-th address, so the block holds RECEIVES deposits.
  const paid = addresses.filter((_, i) => i % (labels / RECEIVES) === 0);
  const cursor = (await root.call("getbestblockhash")) as string;
  for (let i = 0; i < paid.length; i += CHUNK) {
    const chunk = paid.slice(i, i + CHUNK);
    await pay(outside, chunk);
  }
  await root.call("generatetoaddress", [1, miner]);

  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const step = await scanDeposits({ node: gw, cursor, pending: [], confirmations: 1 });
    ms.push(performance.now() - start);
    const confirmed = step.events.filter((e) => e.kind === "confirmed").length;
    if (confirmed !== paid.length)
      throw new Error(`expected ${paid.length} deposits, scanned ${confirmed}`);
  }
  return { labels, receives: paid.length, ms };
}

/** sendmany when the node has it, else one sendtoaddress per output. */
async function pay(outside: RpcBitcoinNode, chunk: string[]): Promise<void> {
  try {
    await outside.call("sendmany", [
      "",
      Object.fromEntries(chunk.map((a) => [a, btcFromSats(AMOUNT)])),
    ]);
  } catch (error) {
    if (!(error instanceof BitcoinNodeError) || error.code !== "NODE_METHOD_NOT_FOUND") throw error;
    for (const address of chunk) await outside.sendToAddress({ address, amount: AMOUNT });
  }
}

function print(rounds: Round[]): void {
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const baseline = median(rounds[0]?.ms ?? []);
  console.log(
    `\ndeposit scan step: one listsinceblock over a block with ${RECEIVES} deposits (median of ${RUNS})\n`,
  );
  console.log("| labelled addresses | deposits in block | median ms | min ms | max ms | ratio |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  for (const r of rounds) {
    const m = median(r.ms);
    console.log(
      `| ${r.labels} | ${r.receives} | ${m.toFixed(1)} | ${Math.min(...r.ms).toFixed(1)} | ${Math.max(...r.ms).toFixed(1)} | ${(m / baseline).toFixed(2)} |`,
    );
  }
  const worst = Math.max(...rounds.map((r) => median(r.ms)));
  console.log(`\ntargets: each step < 1000 ms (${worst < 1000 ? "met" : "MISSED"}), ratio about 1`);
}
