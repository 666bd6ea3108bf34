import type { paymentOrders } from "@bitcoim/db";

export type Order = typeof paymentOrders.$inferSelect;

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
  /** An on-chain send found not to have happened: the reserve went back to the sender. */
  paymentRefunded: { order: Order; reason: string };
}
