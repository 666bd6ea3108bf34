/**
 * Chaos: the gateway as an OS process on a real PostgreSQL server, a real
 * Prosody and the real bitcoind (the sandbox chain when no binary is
 * found), under a mixed load of real XMPP users, SIGKILLed at seeded random
 * moments — some during start-up, some during shutdown — and restarted
 * each time; with a Prosody restart, a bitcoind restart, a PostgreSQL
 * restart and a `sendrawtransaction` whose reply is lost after the node
 * acted, injected at the transport. Then it audits from outside (see
 * chaos/audit.ts) and prints one table.
 *
 *   pnpm exec tsx --conditions=@bitcoim/source bench/chaos.ts [--seed=1] [--kills=20] [--variant=one|two] [--short]
 *
 * `--variant=two`: two gateway processes on one database behind ejabberd
 * (which shares the component's domain among them); either is killed.
 * `--short` (what CI runs, for each variant): 3 kills and one fault of each
 * kind. Exit code 1 when the audit finds anything wrong.
 */
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startTestPostgres } from "@bitcoim/db/testing";
import { DEMO_DOMAIN, DEMO_HOST, setUpDemo } from "@bitcoim/gateway";
import { addressToNode, createBitcoinNode } from "@bitcoim/wallet";
import { locateBitcoind } from "@bitcoim/wallet/regtest";
import { auditFromOutside, scanCaughtUp, unsettled } from "./chaos/audit.js";
import { type GatewayProcess, gatewayProcess } from "./chaos/gateway-process.js";
import { startPeer } from "./chaos/peer.js";
import { startReplyDropper } from "./chaos/proxy.js";
import { type Clients, connectClients } from "./chaos/users.js";

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const short = process.argv.includes("--short");
const seed = Number(flag("seed") ?? 1);
const kills = Number(flag("kills") ?? (short ? 3 : 20));
/** `one`: one gateway behind Prosody; `two`: two gateway processes on one database behind ejabberd. */
const variant = flag("variant") ?? "one";
if (variant !== "one" && variant !== "two") throw new Error(`--variant=one or two, not ${variant}`);
const serverName = variant === "two" ? "ejabberd" : "Prosody";
const USERS = 8;

/** mulberry32: the run is repeatable from its seed. */
function random(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(seed);
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const located = locateBitcoind();
const binary = "binary" in located ? located.binary : undefined;
const chainKind = binary === undefined ? "sandbox" : "bitcoind";
// "watch" (the admin) only asks whether the gateway answers; the others make the load.
const names = ["watch", ...Array.from({ length: USERS }, (_, i) => `u${i}`)];
const cleanup: (() => Promise<unknown>)[] = [];
let exitCode = 0;
try {
  // --logs=DIR keeps the server's log too: a deadlock's report names both statements.
  const pgLog = flag("logs") ? createWriteStream(`${flag("logs")}/postgres.log`) : undefined;
  const pg = await startTestPostgres(pgLog ? { log: (line) => pgLog.write(`${line}\n`) } : {});
  cleanup.push(() => pg.stop());
  const dbUrl = await pg.createDatabase("chaos");
  const phases: [string, number][] = [["set-up", performance.now()]];
  const world = await setUpDemo(names, {
    chain: chainKind,
    ...(binary === undefined ? {} : { binary }),
    server: variant === "two" ? "ejabberd" : "prosody",
    gateway: `confirmations = 1\npoll_interval = 1\norder_lifetime = 10\nreconcile_after = 5\n\n[database]\nurl = "${dbUrl}"`,
  });
  cleanup.push(() => world.close());
  const proxy = await startReplyDropper(world.chain.endpoint.url);
  cleanup.push(() => proxy.close());
  const toml = (await readFile(world.configPath, "utf8"))
    .replace(`url = "${world.chain.endpoint.url}"`, `url = "${proxy.url}"`)
    .replace('log_level = "warning"', 'log_level = "info"');
  await writeFile(world.configPath, toml);
  const { url, user, password } = world.chain.endpoint;
  const gw = createBitcoinNode({ url, user, password, wallet: "gw" });
  const peer = binary === undefined ? undefined : await startPeer(binary);
  if (peer) cleanup.push(() => peer.close());
  /** The node back up: connected to its peer again, and caught up with what it lost. */
  const nodeBack = async () => peer?.sync(gw);
  await nodeBack();

  const configs = [world.configPath];
  if (variant === "two") {
    // Its own state directory; the same database, chain and component domain.
    const second = join(world.dir, "bitcoim-2.toml");
    await writeFile(
      second,
      toml.replace(/^state_dir = .*$/m, `state_dir = "${join(world.dir, "state-2")}"`),
    );
    configs.push(second);
  }
  const gateways = configs.map((path, i) => {
    const logs = flag("logs"); // --logs=DIR keeps each process's log as DIR/gateway-N.log
    return gatewayProcess(path, logs ? `${logs}/gateway-${i + 1}.log` : undefined);
  });
  for (const g of gateways) {
    cleanup.push(() => g.stop());
    await g.start();
  }
  await world.mine(100);

  const clients: Clients = await connectClients(world, DEMO_HOST, DEMO_DOMAIN);
  cleanup.push(() => clients.close());
  await clients.registerAll();
  for (const u of clients.users)
    await world.outside.sendToAddress({
      address: await clients.depositAddress(u),
      amount: 20_000_000n,
    });
  await world.mine(1);
  await clients.waitForBalances();

  const stats = { kills: 0, faults: 0, failedRestarts: 0, answerMs: [] as number[] };
  let loading = true;
  const load = clients.runLoad({
    rand,
    running: () => loading,
    outsideAddress: async () => {
      const a = await world.outside.getNewAddress("", "bech32");
      return `${addressToNode(a)}@${DEMO_DOMAIN}`;
    },
    deposit: async (address) => {
      await world.outside.sendToAddress({ address, amount: BigInt(between(100_000, 2_000_000)) });
    },
  });
  const miner = (async () => {
    while (loading) {
      await sleep(between(1_500, 4_000));
      await world.mine(1).catch(() => {});
    }
  })();

  /** Restarts a gateway and measures until a user gets an answer again. */
  const restart = async (gateway: GatewayProcess, since: number) => {
    // With a second process alive, users should not have to wait for this one.
    const survivor = gateways.some((g) => g.running);
    if (survivor) {
      if (!(await clients.answersWithin(60_000))) stats.failedRestarts++;
      stats.answerMs.push(performance.now() - since);
    }
    try {
      await gateway.start();
    } catch {
      stats.failedRestarts++;
      await gateway.start();
    }
    if (!(await clients.answersWithin(60_000))) stats.failedRestarts++;
    if (!survivor) stats.answerMs.push(performance.now() - since);
  };
  const faultNames = [
    `${serverName} restart`,
    "bitcoind restart",
    "PostgreSQL restart",
    "bitcoind SIGKILL",
    "lost sendrawtransaction reply",
  ];
  const fired = faultNames.map(() => 0);
  let faultNote = "";
  /**
   * Each returns when the users' wait began (answer times count from it), or
   * null when the fault did not happen: a restart counts its downtime, a lost
   * reply only what follows the drop, not the wait for a send to drop.
   */
  const faults: (() => Promise<number | null>)[] = [
    async () => {
      const since = performance.now();
      await world.prosody.stop();
      await world.prosody.start();
      // The server's own start-up apart from the gateway's return.
      const up = ((performance.now() - since) / 1000).toFixed(1);
      await clients.reconnect();
      const back = ((performance.now() - since) / 1000).toFixed(1);
      faultNote = `${serverName} up after ${up} s, users back after ${back} s`;
      return since;
    },
    async () => {
      const since = performance.now();
      await world.chain.stop();
      await world.chain.start();
      await nodeBack();
      return since;
    },
    async () => {
      const since = performance.now();
      await pg.restart();
      return since;
    },
    async () => {
      // No shutdown: the mempool and unflushed state go with it.
      const since = performance.now();
      const before = (await gw.call("getblockcount", [])) as number;
      await world.chain.kill();
      await world.chain.start();
      const after = (await gw.call("getblockcount", [])) as number;
      await nodeBack();
      faultNote = `tip ${before} → ${after} at restart, blocks back from its peer`;
      return since;
    },
    async () => {
      const lost = proxy.dropNext("sendrawtransaction").then(() => performance.now());
      return Promise.race([lost, sleep(60_000).then(() => null)]);
    },
  ];
  // --skip=xmpp,... leaves faults out: to look at one kind of fault alone.
  const skipped = new Set((flag("skip") ?? "").split(",").filter(Boolean));
  const faultKeys = ["xmpp", "bitcoind", "postgres", "bitcoind-kill", "lost-reply"];
  const kinds = faults.map((_, i) => i).filter((i) => !skipped.has(faultKeys[i]!));
  const plan: ("kill" | number)[] = [...Array(kills).fill("kill"), ...kinds];
  if (!short) plan.push(...kinds);
  plan.sort(() => rand() - 0.5);
  phases.push(["kills and faults", performance.now()]);
  const retried = new Map<number, number>();
  for (const step of plan) {
    await sleep(between(1_000, short ? 3_000 : 8_000));
    if (step !== "kill") {
      const began = await faults[step]!();
      const since = began ?? performance.now();
      if (began !== null) {
        stats.faults++;
        fired[step]!++;
      } else if ((retried.get(step) ?? 0) < 2) {
        // No send passed in the minute it waited for one to lose (seen right
        // after a kill): try it again later, so that every kind still fires.
        retried.set(step, (retried.get(step) ?? 0) + 1);
        plan.push(step);
      }
      const answered = await clients.answersWithin(60_000);
      const s = ((performance.now() - since) / 1000).toFixed(1);
      console.log(
        `fault: ${faultNames[step]}, ${answered ? `answered after ${s} s` : "NO ANSWER for 60 s"}${faultNote ? ` (${faultNote})` : ""}`,
      );
      faultNote = "";
      if (!answered) stats.failedRestarts++;
      continue;
    }
    stats.kills++;
    const gateway = gateways[between(0, gateways.length)]!;
    const since = performance.now();
    const how = rand();
    const kind = how < 0.2 ? "during shutdown" : how < 0.4 ? "and again during start-up" : "";
    if (how < 0.2) {
      await gateway.stop(between(0, 400)); // killed while shutting down
    } else {
      await gateway.kill();
      // Killed again while starting up.
      if (how < 0.4) await gateway.startAndKillAfter(between(50, 2_500));
    }
    await restart(gateway, since);
    const ms = stats.answerMs.at(-1) ?? 0;
    console.log(
      `kill ${stats.kills}: gateway ${gateways.indexOf(gateway) + 1} ${kind}, answered after ${(ms / 1000).toFixed(1)} s`,
    );
  }
  loading = false;
  const commands = await load;
  await miner;

  phases.push(["settling", performance.now()]);
  // Settle: a clean restart, blocks until nothing is unfinished.
  for (const g of gateways) await g.stop();
  for (const g of gateways) await g.start();
  // Sends in flight settle too: a bitcoind SIGKILL loses the blocks it had
  // not flushed, and with no peers to bring them back, a send whose lock time
  // is the lost tip stays non-final until the chain is as high again.
  for (let i = 0; i < 90 && (await unsettled(dbUrl)) > 0; i++) {
    await world.mine(1);
    await sleep(1_000);
  }
  await world.mine(1);
  // The books are compared with Core once the scan has reached the tip; one
  // that never does is a finding of its own.
  let caughtUp = false;
  for (let i = 0; i < 60; i++) {
    caughtUp = await scanCaughtUp(dbUrl, gw);
    if (caughtUp) break;
    await sleep(1_000);
  }
  if (!caughtUp) console.log("the deposit scan did NOT reach the node's tip within 60 s");
  await sleep(3_000); // a last tick of the send tracker
  phases.push(["audit", performance.now()]);
  const figures = await auditFromOutside(dbUrl, gw);
  const verdict = await clients.adminAudit();
  const clean =
    figures.drift === 0n &&
    figures.doublePayments === 0 &&
    figures.doubleSends === 0 &&
    figures.unfinished === 0 &&
    figures.disagreeing.length === 0 &&
    figures.walletTrusted >= figures.userBalances &&
    stats.failedRestarts === 0 &&
    caughtUp &&
    kinds.every((i) => fired[i]! > 0);
  const verdictOk = verdict.startsWith("Audit: OK");

  const sorted = [...stats.answerMs].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const max = sorted.at(-1) ?? 0;
  phases.push(["", performance.now()]);
  const took = phases
    .slice(0, -1)
    .map(([name, at], i) => `${name} ${((phases[i + 1]![1] - at) / 1000).toFixed(0)} s`);
  console.log(
    `\nchaos: seed ${seed}, ${chainKind}, ${USERS} users, ${variant === "two" ? "two gateway processes" : "one gateway process"} on PostgreSQL + ${serverName}; ${took.join(", ")}\n`,
  );
  console.log(
    "| kills | faults | commands | payments | on-chain sends | satoshi drift | double payments | double sends | failed restarts | answer again p50 / max s |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  console.log(
    `| ${stats.kills} | ${stats.faults} | ${commands} | ${figures.payments} | ${figures.onChainSends} | ${figures.drift} | ${figures.doublePayments} | ${figures.doubleSends} | ${stats.failedRestarts} | ${(p50 / 1000).toFixed(1)} / ${(max / 1000).toFixed(1)} |`,
  );
  console.log(
    `\nbalances ${figures.userBalances} + sent ${figures.coreSent} + fees charged ${figures.feesCharged} (Core's fees ${figures.coreFees}) − deposits ${figures.coreDeposits} = ${figures.drift} sat; wallet ${figures.walletTrusted} ≥ owed ${figures.userBalances}: ${figures.walletTrusted >= figures.userBalances}; unfinished orders ${figures.unfinished}`,
  );
  console.log(`faults: ${faultNames.map((n, i) => `${n} ×${fired[i]}`).join(", ")}`);
  for (const line of figures.disagreeing.slice(0, 20)) console.log(`  disagrees: ${line}`);
  console.log(
    `admin audit: ${verdict.split("\n")[0]} — ${verdictOk === clean ? "agrees" : "DISAGREES"}`,
  );
  const errors = gateways.flatMap((g) => g.errors);
  if (errors.length > 0) {
    console.log(`gateway errors logged: ${errors.length}; first: ${errors[0]?.slice(0, 300)}`);
  }
  if (!clean || verdictOk !== clean) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const step of cleanup.reverse()) await step().catch((e: unknown) => console.error(e));
}
process.exit(exitCode);
