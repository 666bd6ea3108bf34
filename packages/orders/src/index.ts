export { sendComment } from "./book.js";
export { CODE_ALPHABET, CODE_LENGTH } from "./code.js";
export type { ConfirmedAs } from "./confirm-as.js";
export { OrdersError, type OrdersErrorCode } from "./errors.js";
export type { Order, OrdersEvents, Paid } from "./events.js";
export { DEFAULT_FEE_POLICY, type FeePolicy, type FeeQuote } from "./fees.js";
export { createOrders, type Orders, type OrdersOptions } from "./orders.js";
export type { Queued, Recipient } from "./queue.js";
export type { Reconciled } from "./reconcile.js";
