import type { BitcoimDb } from "@bitcoim/db";

/** A database handle: the database itself, or a transaction on it. */
export type Tx = Parameters<Parameters<BitcoimDb["transaction"]>[0]>[0];
export type Handle = BitcoimDb | Tx;

/** Work to do once the surrounding transaction has committed (events, notifications). */
export type AfterCommit = (effect: () => void) => void;

/**
 * Runs `work` in one transaction and, only if it commits, the effects it
 * queued. Other packages pass `tx` and `afterCommit` on, so that several
 * steps (an order marked paid and its ledger transfer) commit as one.
 */
export async function inTransaction<T>(
  db: BitcoimDb,
  work: (tx: Tx, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const effects: (() => void)[] = [];
  const result = await db.transaction((tx) => work(tx, (effect) => void effects.push(effect)));
  for (const effect of effects) effect();
  return result;
}
