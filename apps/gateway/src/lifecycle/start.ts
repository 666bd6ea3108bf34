/**
 * Start-up in docs/behaviour.md §9's order — (logging and configuration by
 * the caller), database migrated, Bitcoin node checked, then the component —
 * and the singleton loops. `stop()` undoes it in reverse: loops first (a
 * running tick finishes), then the component, then the database.
 */
import { type Accounts, createAccounts } from "@bitcoim/accounts";
import { type Database, openDatabase } from "@bitcoim/db";
import { createOrders, type Orders } from "@bitcoim/orders";
import { BitcoinNodeError, type RpcBitcoinNode } from "@bitcoim/wallet";
import type { Config } from "../config/index.js";
import type { Logger } from "../log.js";
import { checkNode, connectNode } from "./bitcoin.js";
import { createExclusive, type Job } from "./exclusive.js";
import { ordersOnce, scanOnce } from "./jobs.js";
import { type Loop, startLoop } from "./loop.js";
import { type JoinedPeers, joinPeers } from "./peers.js";

export interface CoreServices {
  config: Config;
  log: Logger;
  database: Database;
  /** The gateway's wallet on the node. */
  node: RpcBitcoinNode;
  accounts: Accounts;
  orders: Orders;
  /** The other gateway processes on this database (peers.ts). */
  peers: JoinedPeers;
}

/** The XMPP side, plugged in by the caller (createGateway from @bitcoim/xmpp). */
export type StartComponent = (services: CoreServices) => Promise<RunningComponent>;

export interface RunningComponent {
  stop(): Promise<void>;
  /** The Bitcoin node stopped or started answering: tell the users (docs/behaviour.md §9). */
  bitcoinHealth?(available: boolean): void;
}

export interface RunningGateway extends CoreServices {
  /** Runs both loops once now (tests, and right after start-up). */
  tick(): Promise<void>;
  /** Resolves when a loop's run has gone on for `stuck_after`; never rejects. */
  stuck: Promise<{ job: Job; ms: number }>;
  stop(): Promise<void>;
}

export async function startGateway(deps: {
  config: Config;
  log: Logger;
  startComponent?: StartComponent;
  /** A loop failed or recovered: e.g. tell users the Bitcoin side is unavailable. */
  onHealth?: (job: Job, healthy: boolean, error?: unknown) => void;
}): Promise<RunningGateway> {
  const { config, log } = deps;
  const { gateway } = config;
  if (config.database.url === undefined) {
    log.info(
      { stateDir: gateway.stateDir },
      "no [database] url configured: using the embedded PGlite database in the state directory",
    );
  }
  const database = await openDatabase(config.database.url, { stateDir: gateway.stateDir });
  log.info({ database: database.location, applied: database.migrations.applied }, "database ready");
  try {
    const { info, chain } = await checkNode(config.bitcoin);
    log.info({ node: info.subversion, version: info.version, chain }, "Bitcoin node ready");
  } catch (error) {
    await database.close();
    throw error;
  }
  const node = connectNode(config.bitcoin, config.bitcoin.wallet);
  const { network } = config.bitcoin;
  const accounts = createAccounts({
    db: database.db,
    node,
    network,
    admins: gateway.admins,
    addressType: gateway.addressType,
    dustMinimum: gateway.dustMinimum,
  });
  const orders = createOrders({
    db: database.db,
    accounts,
    node,
    network,
    lifetimeMs: gateway.orderLifetimeMs,
    reconcileAfterMs: gateway.reconcileAfterMs,
    lowBalanceWarning: gateway.lowBalanceWarning,
    dustMinimum: gateway.dustMinimum,
    fees: { maxFee: gateway.maxFee, maxFeeRate: gateway.maxFeeRate },
  });
  watchChainTrouble({ accounts, orders, log });
  let services: CoreServices | undefined;
  let component: RunningComponent | undefined;
  try {
    const peers = await joinPeers({ database, log: log.child({ part: "roll call" }) });
    services = { config, log, database, node, accounts, orders, peers };
    component = await deps.startComponent?.(services);
  } catch (error) {
    await services?.peers.close();
    await database.close();
    throw error;
  }
  const exclusive = createExclusive(database);
  let bitcoinUp = true;
  const onHealth = (job: Job) => (healthy: boolean, error?: unknown) => {
    deps.onHealth?.(job, healthy, error);
    // Both loops talk to the node; its failures (not the database's) are news for users.
    if (!healthy && !(error instanceof BitcoinNodeError)) return;
    if (healthy === bitcoinUp) return;
    bitcoinUp = healthy;
    component?.bitcoinHealth?.(healthy);
  };
  const ordersLog = log.child({ loop: "orders" });
  let onStuck!: (stuck: { job: Job; ms: number }) => void;
  const stuck = new Promise<{ job: Job; ms: number }>((resolve) => {
    onStuck = resolve;
  });
  const watch = (job: Job) => ({
    stuckAfterMs: gateway.stuckAfterMs,
    onStuck: (ms: number) => onStuck({ job, ms }),
  });
  const loops: Loop[] = [
    startLoop({
      job: "deposits",
      intervalMs: gateway.pollIntervalMs,
      exclusive,
      log: log.child({ loop: "deposits" }),
      onHealth: onHealth("deposits"),
      ...watch("deposits"),
      tick: () =>
        scanOnce({
          accounts,
          node,
          wallet: config.bitcoin.wallet,
          confirmations: gateway.confirmations,
        }),
    }),
    startLoop({
      job: "orders",
      intervalMs: gateway.pollIntervalMs,
      exclusive,
      log: ordersLog,
      onHealth: onHealth("orders"),
      ...watch("orders"),
      tick: () => ordersOnce({ orders, confirmations: gateway.confirmations, log: ordersLog }),
    }),
  ];
  let stopping: Promise<void> | undefined;
  return {
    ...services,
    stuck,
    tick: async () => {
      for (const loop of loops) await loop.runOnce();
    },
    stop() {
      stopping ??= (async () => {
        log.info({}, "stopping");
        try {
          await Promise.all(loops.map((loop) => loop.stop()));
          await component?.stop();
        } finally {
          await services.peers.close();
          await database.close();
        }
        log.info({}, "stopped");
      })();
      return stopping;
    },
  };
}

/**
 * What the chain took back is the operator's news too: the users are told
 * by chat; the log says it once, for whoever watches the wallet.
 */
function watchChainTrouble(deps: {
  accounts: Pick<Accounts, "events">;
  orders: Pick<Orders, "events">;
  log: Logger;
}): void {
  const { accounts, orders, log } = deps;
  orders.events.on("paymentRefunded", ({ order, cause, txid }) =>
    log.warn({ order: order.id, cause, txid }, "an on-chain payment did not go out; refunded"),
  );
  accounts.events.on("depositReversed", (n) =>
    log.warn(
      {
        user: n.userId,
        txid: n.txid,
        vout: n.vout,
        amount: n.amount.toString(),
        owed: n.shortfall.toString(),
      },
      "a credited deposit was taken back by the chain",
    ),
  );
}
