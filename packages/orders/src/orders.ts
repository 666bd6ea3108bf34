import { createEvents, type TypedEvents, type User } from "@bitcoim/accounts";
import {
  type BitcoimDb,
  connectionLimit,
  createTurn,
  isSingleConnection,
  processTurn,
} from "@bitcoim/db";
import { confirm } from "./confirm.js";
import { confirmAs } from "./confirm-as.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { OrdersEvents } from "./events.js";
import { DEFAULT_FEE_POLICY, type FeePolicy } from "./fees.js";
import { prepareLookups } from "./lookups.js";
import { cancel, expire, findByCode, listPending } from "./pending.js";
import { queue, type Recipient } from "./queue.js";
import { reconcile } from "./reconcile.js";
import { trackSends } from "./track.js";

export interface OrdersOptions {
  db: BitcoimDb;
  accounts: OrdersContext["accounts"];
  node: OrdersContext["node"];
  network: OrdersContext["network"];
  /** How long a code stays valid (default 10 minutes). */
  lifetimeMs?: number;
  /** Warn when a payment would leave less than this (default 10,000 sat = 0.0001 BTC). */
  lowBalanceWarning?: bigint;
  /** Smallest on-chain payment (default 546 sat). */
  dustMinimum?: bigint;
  fees?: Partial<FeePolicy>;
  /**
   * Leave unfinished sends younger than this to their own process (default
   * 10 minutes: far beyond the node call's timeout).
   */
  reconcileAfterMs?: number;
  /**
   * How long building an on-chain send (funding, signing) may take before it
   * is given up, its order left pending (default 10 s): the build holds the
   * sends lock, and on PGlite the database, meanwhile.
   */
  buildTimeoutMs?: number;
  /**
   * How long an on-chain send waits for its turn across processes before it
   * is refused with `SENDS_BUSY`, its order left pending (default 60 s).
   */
  sendsLockTimeoutMs?: number;
  /**
   * The database runs one statement at a time for the whole process (PGlite):
   * on-chain sends then take turns within this process only, with no
   * transaction held open for the sends lock. Found out from `db` by default.
   * Every Orders on one PGlite database takes that database's turn.
   */
  singleConnection?: boolean;
  now?: () => Date;
  events?: TypedEvents<OrdersEvents>;
}

/** Payment orders: queue, confirm, cancel, expire, and the on-chain bookkeeping behind them. */
export function createOrders(options: OrdersOptions) {
  const singleConnection = options.singleConnection ?? isSingleConnection(options.db);
  const connections = connectionLimit(options.db);
  if (!singleConnection && connections !== undefined && connections < 2) {
    throw new OrdersError(
      "POOL_TOO_SMALL",
      `the database pool has ${connections} connection; on-chain sends hold the sends lock on one ` +
        "connection while recording on another, so open the database with maxConnections of at least 2",
      { connections },
    );
  }
  const ctx: OrdersContext = {
    db: options.db,
    accounts: options.accounts,
    node: options.node,
    network: options.network,
    events: options.events ?? createEvents<OrdersEvents>(),
    fees: { ...DEFAULT_FEE_POLICY, ...options.fees },
    lifetimeMs: options.lifetimeMs ?? 10 * 60_000,
    lowBalanceWarning: options.lowBalanceWarning ?? 10_000n,
    dustMinimum: options.dustMinimum ?? 546n,
    reconcileAfterMs: options.reconcileAfterMs ?? 10 * 60_000,
    buildTimeoutMs: options.buildTimeoutMs ?? 10_000,
    sendsLockTimeoutMs: options.sendsLockTimeoutMs ?? 60_000,
    now: options.now ?? (() => new Date()),
    lookups: prepareLookups(options.db),
    oneSendAtATime: processTurn(options.db) ?? createTurn(),
    singleConnection,
  };
  return {
    events: ctx.events,
    /** `sender`: an id, or the user just read (not read again); likewise `recipient.user`. */
    queue: (
      sender: number | User,
      recipient: Recipient,
      amount: bigint,
      comment: string | null = null,
    ) => queue(ctx, sender, recipient, amount, comment),
    listPending: (senderId: number, recipient?: Recipient) => listPending(ctx, senderId, recipient),
    find: (senderId: number, code: string) => findByCode(ctx, senderId, code),
    cancel: (senderId: number, code: string, recipient?: Recipient) =>
      cancel(ctx, senderId, code, recipient),
    confirm: (
      senderId: number,
      code: string,
      writtenTo?: Recipient,
      options?: { byCodeTried?: boolean },
    ) => confirm(ctx, senderId, code, writtenTo, options),
    /** `confirm` for a sender known by JID, in one round trip when it pays a user (confirm-as.ts). */
    confirmAs: (jid: string, code: string, toUsername?: string) =>
      confirmAs(ctx, jid, code, toUsername),
    expire: () => expire(ctx),
    reconcile: () => reconcile(ctx),
    trackSends: (confirmations?: number) => trackSends(ctx, confirmations),
  };
}

export type Orders = ReturnType<typeof createOrders>;
