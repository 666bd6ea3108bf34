import type { Accounts, TypedEvents } from "@bitcoim/accounts";
import type { BitcoimDb, Turn } from "@bitcoim/db";
import type { BitcoinNode, Network, RawTransactionNode } from "@bitcoim/wallet";
import type { OrdersEvents } from "./events.js";
import type { FeePolicy } from "./fees.js";
import type { OrderLookups } from "./lookups.js";

/** What the order functions share: built once by `createOrders`. */
export interface OrdersContext {
  db: BitcoimDb;
  accounts: Pick<Accounts, "byId" | "ownerOfAddress" | "balance">;
  node: Pick<
    BitcoinNode,
    "estimateSmartFee" | "getTransaction" | "listSinceBlock" | "getBlockchainInfo"
  > &
    RawTransactionNode;
  network: Network;
  events: TypedEvents<OrdersEvents>;
  fees: FeePolicy;
  lifetimeMs: number;
  lowBalanceWarning: bigint;
  dustMinimum: bigint;
  /** Unfinished sends younger than this may still be in a node call: reconcile leaves them. */
  reconcileAfterMs: number;
  /** A build slower than this is given up (send.ts). */
  buildTimeoutMs: number;
  /** How long a send waits for the sends lock (build.ts). */
  sendsLockTimeoutMs: number;
  now: () => Date;
  /**
   * On-chain sends of this process, one at a time: the next is built after
   * the previous was broadcast (its change then spendable), and at most one
   * connection waits for the sends lock however many payers confirm at once.
   * On PGlite, the database's own turn, shared by all its users.
   */
  oneSendAtATime: Turn;
  /** PGlite: one statement at a time for the whole process, so no transaction may wait on another. */
  singleConnection: boolean;
  lookups: OrderLookups;
}
