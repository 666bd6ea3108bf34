/**
 * Gateway start-up with many registered users: 100,000 against a baseline
 * of 1,000, each in its own database on one real PostgreSQL server, seeded
 * directly with SQL (users, their ledger accounts, one valid regtest
 * bech32 deposit address each; not timed). Each start runs in a fresh
 * child process (so that one run's memory does not count in the next):
 * `startGateway` with `startXmpp`, configured from a bitcoim.toml as the
 * demo writes it, timed until the component is online; then RSS and live
 * heap (after a GC) at that moment and after the start-up announcement has
 * run for 5 s. RUNS starts per size, medians.
 *
 *   cd /work/main && pnpm exec tsx --conditions=@bitcoim/source bench/startup.ts
 *
 * Target: time to ready and memory about the same at 100,000 as at 1,000
 * (nothing at start-up should scale with the number of users).
 */

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { openDatabase } from "@bitcoim/db";
import { startTestPostgres } from "@bitcoim/db/testing";
import { createLogger, loadConfig, startGateway, startXmpp } from "@bitcoim/gateway";
import { createBitcoinNode } from "@bitcoim/wallet";
import { startSandbox } from "@bitcoim/wallet/sandbox";
import { createProsody } from "@bitcoim/xmpp/testing";
import { bech32 } from "@scure/base";
import postgres from "postgres";
import { gatewayToml } from "./config.js";

const SIZES = [1_000, 100_000];
const RUNS = 3;
const SETTLE_MS = 5_000;
const HOST = "example.localhost";
const DOMAIN = "bitcoin.example.localhost";
/** Runs whose announcement was still going when the gateway stopped (see startChild). */
let cutShort = 0;

/** What one child reports: ms to ready; MB before, at ready and after SETTLE_MS; presences sent meanwhile. */
interface Sample {
  before: Memory;
  readyMs: number;
  ready: Memory;
  settled: Memory;
  presences: number;
}
type Memory = { rss: number; heap: number };

if (process.argv[2] === "child") await child(process.argv[3]!);
else await parent();

/** One start-up, measured; prints `RESULT <json>`. */
async function child(configPath: string): Promise<void> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const memory = (): Memory => {
    gc();
    const mb = (b: number) => b / 1024 / 1024;
    const { rss, heapUsed } = process.memoryUsage();
    return { rss: mb(rss), heap: mb(heapUsed) };
  };
  const config = await loadConfig({ path: configPath, env: {} });
  const log = createLogger({ level: config.gateway.logLevel });
  // Counts the presences the component writes to Prosody: the announcement's progress.
  let presences = 0;
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    if (this.remotePort === config.xmpp.port && typeof chunk === "string") {
      presences += chunk.split("<presence").length - 1;
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  const before = memory();
  const t = performance.now();
  const gateway = await startGateway({ config, log, startComponent: startXmpp });
  const readyMs = performance.now() - t;
  try {
    const ready = memory();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settled = memory();
    const sample: Sample = { before, readyMs, ready, settled, presences };
    console.log(`RESULT ${JSON.stringify(sample)}`);
  } finally {
    await gateway.stop();
  }
}

async function parent(): Promise<void> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const dir = await mkdtemp(join(tmpdir(), "bitcoim-bench-startup-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const prosody = await createProsody({ hosts: [HOST], component: DOMAIN });
    cleanup.push(() => prosody.close());
    await prosody.start();
    const pg = await startTestPostgres();
    cleanup.push(() => pg.stop());
    const sandbox = await startSandbox();
    cleanup.push(() => sandbox.close());
    const node = createBitcoinNode({
      url: sandbox.url,
      user: sandbox.user,
      password: sandbox.password,
    });
    await node.call("createwallet", ["gw"]);

    const results: { users: number; samples: Sample[]; seedMs: number }[] = [];
    for (const users of SIZES) {
      const url = await pg.createDatabase(`startup_${users}`);
      const t = performance.now();
      await seed(url, users);
      const seedMs = performance.now() - t;
      const configPath = join(dir, `bitcoim-${users}.toml`);
      await writeFile(
        configPath,
        gatewayToml({
          domain: DOMAIN,
          secret: prosody.componentSecret,
          componentService: prosody.componentService,
          databaseUrl: url,
          sandbox,
          stateDir: join(dir, "state"),
        }),
      );
      const samples: Sample[] = [];
      for (let run = 0; run < RUNS; run++) samples.push(await startChild(configPath));
      results.push({ users, samples, seedMs });
    }

    console.log(
      `\nstart-up: startGateway + startXmpp until the component is online, real PostgreSQL (fsync off); median of ${RUNS} fresh processes per size; memory after a GC; "+5 s" once the start-up announcement has run for ${SETTLE_MS / 1000} s\n`,
    );
    console.log(
      "| users | time to ready ms | RSS MB before / ready / +5 s | heap MB before / ready / +5 s | presences sent in the first 5 s | seeding s (not timed) |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|");
    const rows = results.map(({ users, samples, seedMs }) => {
      const m = (f: (s: Sample) => number) => median(samples.map(f));
      const row = {
        users,
        readyMs: m((s) => s.readyMs),
        rss: [m((s) => s.before.rss), m((s) => s.ready.rss), m((s) => s.settled.rss)],
        heap: [m((s) => s.before.heap), m((s) => s.ready.heap), m((s) => s.settled.heap)],
        presences: m((s) => s.presences),
      };
      const f = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" / ");
      console.log(
        `| ${users.toLocaleString("en")} | ${row.readyMs.toFixed(0)} | ${f(row.rss)} | ${f(row.heap)} | ${row.presences} | ${(seedMs / 1000).toFixed(1)} |`,
      );
      return row;
    });
    const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `| ratio ${large.users / small.users}× users | ${ratio(large.readyMs, small.readyMs)} | ${large.rss.map((x, i) => ratio(x, small.rss[i]!)).join(" / ")} | ${large.heap.map((x, i) => ratio(x, small.heap[i]!)).join(" / ")} | | |`,
    );
    console.log(
      `\n${cutShort} of ${SIZES.length * RUNS} stops logged "start-up announcement failed" (stop() ends the announcement, 20 users a second by default, before the database closes; any here means it did not).`,
    );
  } finally {
    for (const stop of cleanup.reverse()) await stop().catch((e: unknown) => console.error(e));
  }
}

/** Migrates, then inserts `count` users straight into the tables, as registration leaves them. */
async function seed(url: string, count: number): Promise<void> {
  const database = await openDatabase(url);
  await database.close();
  // Valid regtest P2WPKH addresses over made-up key hashes: presences name them as JIDs.
  const addresses = Array.from({ length: count }, (_, i) => {
    const hash = createHash("sha256").update(`bench ${count} ${i}`).digest("hex").slice(0, 40);
    // BIP 173: witness version 0 and the 20-byte key hash, in 5-bit words.
    return bech32.encode("bcrt", [0, ...bech32.toWords(Buffer.from(hash, "hex"))]);
  });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`
        INSERT INTO bitcoim.users (jid, username, username_key)
        SELECT 'u' || g || '@' || ${HOST}, 'u' || g, 'u' || g FROM generate_series(1, ${count}) g`;
      await tx`INSERT INTO bitcoim.ledger_accounts (kind, user_id) SELECT 'user', id FROM bitcoim.users`;
      await tx`
        INSERT INTO bitcoim.deposit_addresses (address, user_id, label, address_type)
        SELECT a.address, u.id, u.jid, 'bech32'
        FROM unnest(${addresses}::text[]) WITH ORDINALITY AS a(address, n)
        JOIN bitcoim.users u ON u.username_key = 'u' || a.n`;
    });
    const [row] = await sql`SELECT count(*)::int AS n FROM bitcoim.deposit_addresses`;
    if (row?.n !== count) throw new Error(`seeded ${row?.n} addresses, not ${count}`);
    await sql`ANALYZE`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Runs one start-up in a fresh process (this file, `child` mode). */
function startChild(configPath: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "child", configPath],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    // The gateway's own log lines (warnings and worse) are worth seeing, but
    // one is expected: stop() closes the database under the still-running
    // announcement, which then logs that it failed.
    proc.stdout.on("end", () => {
      for (const line of out.split("\n")) {
        if (!line || line.startsWith("RESULT ")) continue;
        if (line.includes("start-up announcement failed")) cutShort++;
        else console.error(line);
      }
    });
    proc.once("error", reject);
    proc.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice("RESULT ".length)) as Sample);
    });
  });
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
