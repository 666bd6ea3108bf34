import type { User } from "./user.js";

/** A deposit output as its owner is told about it. */
export interface DepositNotice {
  userId: number;
  jid: string;
  txid: string;
  vout: number;
  address: string;
  amount: bigint;
  confirmations: number;
  /** How many times it has been credited so far. */
  generation: number;
  /** On a reversal: what the user could no longer cover and now owes. */
  shortfall: bigint;
}

/** Events of @bitcoim/accounts, emitted after their transaction commits. */
export interface AccountsEvents extends Record<string, unknown> {
  registered: { user: User; reactivated: boolean };
  unregistered: { user: User };
  usernameChanged: { user: User; previous: string };
  depositSeen: DepositNotice;
  depositCredited: DepositNotice;
  depositReversed: DepositNotice;
  /** A deposit seen but never credited was double-spent: it will not arrive. */
  depositDropped: DepositNotice;
}
