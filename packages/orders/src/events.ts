import type { paymentOrders } from "@bitcoim/db";

export type Order = typeof paymentOrders.$inferSelect;

/** What confirming an order did. */
export interface Paid {
  order: Order;
  /** Set for on-chain payments. */
  txid?: string;
  fee?: bigint;
  /** Internal payments: the payer's spendable balance right after it. */
  senderBalance?: bigint;
}

/** Events of @bitcoim/orders, emitted after their transaction commits. */
export interface OrdersEvents extends Record<string, unknown> {
  orderQueued: { order: Order };
  orderCancelled: { order: Order };
  orderExpired: { order: Order };
  /** Internal payments are final here; on-chain ones carry their txid and fee. */
  paymentCompleted: {
    order: Order;
    recipientUserId: number | null;
    txid?: string;
    fee?: bigint;
    /** A send refunded as not sent that went out after all: charged again now. */
    late?: boolean;
  };
  paymentConfirmedOnChain: { order: Order; txid: string; confirmations: number };
  paymentFailed: { order: Order; reason: string };
  /**
   * An on-chain send found not to have happened: `unsent` — the node has no
   * record of it (a crash or a lost reply); `conflicted` — another
   * transaction spending the same coins was mined instead of `txid`. What it
   * took (amount and fee) went back to the sender.
   */
  paymentRefunded: {
    order: Order;
    cause: "unsent" | "conflicted";
    reason: string;
    txid?: string;
  };
}
