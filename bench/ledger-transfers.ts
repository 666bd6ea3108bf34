/**
 * Ledger transfers per second through `@bitcoim/accounts` on a real
 * PostgreSQL server, against a raw SQL baseline on the same server (BEGIN;
 * two UPDATEs on a plain balance table; COMMIT): the same transfers (random
 * pairs among USERS users, 1–1,000 sat, none refused), the same number of
 * workers, pools of the same size, after a warm-up, taking turns for ROUNDS
 * rounds. Users are funded by real deposits on the sandbox chain, so the
 * audit at the end checks the whole ledger.
 *
 *   cd /work/main && pnpm exec tsx --conditions=@bitcoim/source bench/ledger-transfers.ts
 *
 * By default the server runs with fsync off, which leaves only CPU and round
 * trips to compare (the hardest case for the ledger's extra work); with
 * BENCH_DURABLE=1 it flushes commits to disk like a production server.
 *
 * Target: accounts / raw ≥ 0.5 at every concurrency.
 */
import { randomInt } from "node:crypto";
import { createAccounts } from "@bitcoim/accounts";
import { openDatabase } from "@bitcoim/db";
import { startTestPostgres } from "@bitcoim/db/testing";
import { createBitcoinNode } from "@bitcoim/wallet";
import { startSandbox } from "@bitcoim/wallet/sandbox";
import postgres from "postgres";

// postgres.js is a dependency of @bitcoim/db, not of the root: load it from there.

const POOL = 8; // connections on each side
const LEVELS = [1, 8]; // concurrent workers
const USERS = 20;
const TRANSFERS = 2_000; // per round
const ROUNDS = 3;
const WARMUP = 200;
const FUNDING = 1_000_000n; // sat per user

/** A transfer between user indexes 0..USERS-1. */
type Op = { from: number; to: number; amount: bigint };
/** Latencies in ms; client (Node) CPU in µs per transfer, what driver and library cost here. */
type Run = { perSecond: number; latencies: number[]; cpu: number };

const cleanup: (() => Promise<unknown>)[] = [];
try {
  const durable = process.env.BENCH_DURABLE === "1";
  const server = await startTestPostgres({ durable });
  cleanup.push(() => server.stop());
  const url = await server.createDatabase("bench");
  const database = await openDatabase(url, { maxConnections: POOL });
  cleanup.push(() => database.close());
  const raw = postgres(url, { max: POOL, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  cleanup.push(() => raw.end({ timeout: 5 }));
  const sandbox = await startSandbox();
  cleanup.push(() => sandbox.close());

  const { url: rpcUrl, user: rpcUser, password } = sandbox;
  const node = (wallet?: string) =>
    createBitcoinNode({ url: rpcUrl, user: rpcUser, password, ...(wallet ? { wallet } : {}) });
  for (const wallet of ["gw", "outside"]) await node().call("createwallet", [wallet]);
  const outside = node("outside");
  const sink = await outside.getNewAddress("", "bech32");
  await outside.call("generatetoaddress", [101, sink]);
  const gw = node("gw");
  const accounts = createAccounts({ db: database.db, node: gw, network: "regtest" });
  const ids: number[] = [];
  for (let i = 0; i < USERS; i++) {
    const { user } = await accounts.register(`u${i}@bench.example`, `u${i}`);
    ids.push(user.id);
    const [address] = await accounts.addresses(user.id);
    await outside.sendToAddress({ address: address!.address, amount: FUNDING });
  }
  await outside.call("generatetoaddress", [1, sink]);
  const applied = await accounts.scanOnce({ node: gw, wallet: "gw", confirmations: 1 });
  if (applied.credited.length !== USERS) throw new Error(`funded ${applied.credited.length} users`);

  await raw`CREATE TABLE bench_balances (id integer PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))`;
  await raw`INSERT INTO bench_balances SELECT g, ${FUNDING} FROM generate_series(1, ${USERS}) g`;

  let serial = 0;
  const viaAccounts = (op: Op) =>
    accounts.transfer({
      fromUserId: ids[op.from]!,
      toUserId: ids[op.to]!,
      amount: op.amount,
      memo: "bench",
      idempotencyKey: `bench:${serial++}`,
    });
  // Rows in id order, as post() orders its entries, so that neither side can deadlock.
  const viaRaw = (op: Op) =>
    raw.begin(async (tx) => {
      const moves = [
        { id: op.from + 1, delta: -op.amount },
        { id: op.to + 1, delta: op.amount },
      ].sort((a, b) => a.id - b.id);
      for (const m of moves) {
        await tx`UPDATE bench_balances SET balance = balance + ${m.delta} WHERE id = ${m.id}`;
      }
    });

  const [version] = await raw`SHOW server_version`;
  console.log(
    `\nledger transfers: ${TRANSFERS} per round among ${USERS} users, pool of ${POOL}, median of ${ROUNDS} rounds, PostgreSQL ${version?.server_version}, ${durable ? "durable (fsync on)" : "fsync off"}\n`,
  );
  console.log(
    "| workers | accounts tx/s | raw tx/s | ratio | accounts p50 / p99 ms | raw p50 / p99 ms | client CPU µs/transfer, accounts / raw |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  let worst = Number.POSITIVE_INFINITY;
  for (const workers of LEVELS) {
    await measure(transfers(WARMUP), workers, viaAccounts);
    await measure(transfers(WARMUP), workers, viaRaw);
    const runs: { a: Run[]; r: Run[] } = { a: [], r: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const ops = transfers(TRANSFERS); // the same transfers on both sides
      runs.a.push(await measure(ops, workers, viaAccounts));
      runs.r.push(await measure(ops, workers, viaRaw));
    }
    const [a, r] = [summary(runs.a), summary(runs.r)];
    const ratio = a.perSecond / r.perSecond;
    worst = Math.min(worst, ratio);
    const ms = (x: number) => x.toFixed(2);
    console.log(
      `| ${workers} | ${a.perSecond.toFixed(0)} | ${r.perSecond.toFixed(0)} | ${ratio.toFixed(2)} | ${ms(a.p50)} / ${ms(a.p99)} | ${ms(r.p50)} / ${ms(r.p99)} | ${a.cpu.toFixed(0)} / ${r.cpu.toFixed(0)} |`,
    );
  }
  console.log(`\ntarget: ratio ≥ 0.5 at every concurrency (${worst >= 0.5 ? "met" : "MISSED"})`);
  const report = await accounts.audit();
  console.log(`audit: ${report.ok ? "ok" : `FAILED\n  ${report.problems.join("\n  ")}`}`);
  if (!report.ok) process.exitCode = 1;
} finally {
  for (const stop of cleanup.reverse()) await stop().catch((e: unknown) => console.error(e));
}

function transfers(count: number): Op[] {
  return Array.from({ length: count }, () => {
    const from = randomInt(USERS);
    const to = (from + 1 + randomInt(USERS - 1)) % USERS;
    return { from, to, amount: BigInt(1 + randomInt(1_000)) };
  });
}

/** Runs `ops` on `workers` concurrent loops, timing each transfer. */
async function measure(
  ops: Op[],
  workers: number,
  run: (op: Op) => Promise<unknown>,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++]!;
      const t = performance.now();
      await run(op);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = (performance.now() - start) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return { perSecond: ops.length / seconds, latencies, cpu: (user + system) / ops.length };
}

/** Median throughput and CPU over the rounds; latency percentiles over all their transfers. */
function summary(runs: Run[]) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))]!;
  const perSecond = median(runs.map((r) => r.perSecond));
  return { perSecond, cpu: median(runs.map((r) => r.cpu)), p50: at(0.5), p99: at(0.99) };
}
