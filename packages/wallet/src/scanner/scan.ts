/**
 * The deposit scanner: one pure step, (cursor, pending) → (events, next).
 *
 * It keeps nothing between calls. The caller stores the cursor and its
 * deposits, and MUST commit the effects of `events` together with `next` in
 * one database transaction (docs/architecture.md §5.3): after a crash the
 * step is simply run again from the old cursor and yields the same events
 * (same node state, same `pending` → same events, in a canonical order), so
 * a deposit is neither lost nor doubled as long as the caller's effects are
 * keyed by (txid, vout, generation).
 *
 * Cost: one `listsinceblock(cursor, confirmations, false, true)` per step,
 * whatever the number of users and labels (plus two calls per watched
 * transaction that went missing: see below); work is linear in the entries
 * Core returns (recent wallet transactions), plus `pending`.
 *
 * Why it works: with target_confirmations = N, Core's `lastblock` is the
 * block N-1 below the tip, so the next step lists again every transaction
 * that had fewer than N confirmations, and lists each one exactly once with
 * ≥ N confirmations (in the step where the cursor passes its block). A
 * credited output thus always sits at or below the cursor, so when a reorg
 * takes it out, the cursor block leaves the active chain too and Core
 * reports the output in `removed` — once, because `next` then moves to the
 * new chain.
 *
 * Events, per (txid, vout) of a `receive` entry to one of our addresses
 * (coinbase categories and change are never receives; `isOurs`, if given,
 * drops the rest):
 * - `seen`: listed with 0…N-1 confirmations and not in `pending`.
 * - `confirmed`: listed with ≥ N confirmations. Credit it.
 * - `removed`: in Core's `removed` (reorged out; the same output may also be
 *   listed again in the same step, back in the mempool or re-mined), or
 *   conflicted (negative confirmations) while in `pending`. Reverse it if
 *   credited, else forget it.
 *
 * Bitcoin Core lists a conflicted payment only in the wallet that sent it:
 * the receiving wallet drops it from `listsinceblock` (and from
 * `gettransaction`'s details). So a pending output missing from the listing
 * — which otherwise always holds every transaction below N confirmations —
 * is looked up with `gettransaction`; negative confirmations there make it
 * `removed`, its address and amount read from the transaction itself. This
 * costs nothing while no pending output goes missing.
 * A re-confirmation is just `confirmed` after `removed`: the caller bumps its
 * generation counter on each removal, so the new credit gets a new key.
 * Within a step, `removed` events come first, then the others, each group
 * sorted by txid and vout; apply them in that order.
 *
 * `pending` = outputs the caller has announced as `seen` and not yet
 * confirmed or removed (credited outputs are not pending: their removal is
 * reported by Core's `removed`, as explained above). It only suppresses
 * repeated `seen` events and repeated removals of conflicted outputs, which
 * Core lists on every poll until the conflicting transaction is N deep.
 *
 * `shallowCredits` = credited outputs last seen with fewer than N
 * confirmations: credited under a lower N (N raised since, or another
 * process running with a lower N). The argument above does not hold for
 * them — such an output can sit above the cursor, where a reorg leaves the
 * cursor block on the chain and Core reports nothing in `removed`. So each
 * is checked on its own: listed back in the mempool, in another block than
 * the one it was credited in, or conflicted (listed, or looked up when
 * missing as above) makes it `removed`. It is then `seen` again if it is
 * still listed, and credited anew once it has N confirmations. One the
 * cursor has passed is looked up, and reported `confirmed` once it is N
 * deep, so that the caller records its depth and stops watching it.
 */
import type { Sats } from "../amount.js";
import { BitcoinNodeError } from "../node/errors.js";
import type { BitcoinNode, Outpoint, WalletEntry } from "../node/types.js";

export type { Outpoint };

export type DepositEventKind = "seen" | "confirmed" | "removed";

export interface DepositEvent extends Outpoint {
  kind: DepositEventKind;
  address: string;
  /** The address's wallet label (the user's bare JID for deposit addresses). */
  label?: string;
  amount: Sats;
  /** As Core reports it now: 0 in the mempool, negative when conflicted. */
  confirmations: number;
  blockHash?: string;
}

export interface ScanDepositsInput {
  node: Pick<BitcoinNode, "listSinceBlock" | "getTransaction" | "decodeRawTransaction">;
  /** `next` of the last committed step; null to start from genesis. */
  cursor: string | null;
  pending: Iterable<Outpoint>;
  /** Credited outputs last seen with fewer than `confirmations`, with the block they were credited in. */
  shallowCredits?: Iterable<ShallowCredit>;
  /** Confirmations needed to credit (≥ 1). */
  confirmations: number;
  /** Extra filter for addresses the wallet has but that are not deposit addresses. */
  isOurs?: (address: string) => boolean | Promise<boolean>;
}

export interface ShallowCredit extends Outpoint {
  blockHash: string | null;
}

export interface ScanStep {
  events: DepositEvent[];
  /** Core's `lastblock`: commit it with the events and pass it as the next cursor. */
  next: string;
  /** Set when the node did not know the cursor's block and the step started from genesis. */
  rescanned?: true;
}

const keyOf = (o: Outpoint) => `${o.txid}:${o.vout}`;

export async function scanDeposits(input: ScanDepositsInput): Promise<ScanStep> {
  const { node, cursor, confirmations, isOurs } = input;
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) {
    throw new BitcoinNodeError(
      "NODE_INVALID_ARGUMENT",
      `confirmations must be a positive integer, got ${confirmations}`,
    );
  }
  const pending = new Set<string>();
  for (const o of input.pending) pending.add(keyOf(o));
  const shallow = new Map<string, string | null>();
  for (const o of input.shallowCredits ?? []) shallow.set(keyOf(o), o.blockHash);
  const list = (blockHash: string | null) =>
    node.listSinceBlock({
      blockHash,
      targetConfirmations: confirmations,
      includeWatchOnly: false,
      includeRemoved: true,
    });
  let rescanned: true | undefined;
  const since = await list(cursor).catch((error: unknown) => {
    // A cursor on a chain this node does not know (a node swapped, or
    // reindexed onto another chain): the whole wallet is looked at again.
    // Nothing is credited twice — credits are keyed by output and generation.
    if (cursor === null || !(error instanceof BitcoinNodeError)) throw error;
    if (error.code !== "NODE_UNKNOWN_BLOCK") throw error;
    rescanned = true;
    return list(null);
  });
  const ours = await oursFilter([...since.removed, ...since.transactions], isOurs);

  const removed = new Map<string, DepositEvent>();
  for (const e of since.removed.filter(ours)) {
    if (!removed.has(keyOf(e))) removed.set(keyOf(e), eventOf("removed", e));
  }
  const others = new Map<string, DepositEvent>();
  for (const e of since.transactions.filter(ours)) {
    const key = keyOf(e);
    if (others.has(key)) continue;
    if (shallow.has(key) && !removed.has(key) && e.confirmations < confirmations) {
      const moved = e.confirmations <= 0 || (e.blockHash ?? null) !== shallow.get(key);
      if (moved) removed.set(key, eventOf("removed", e));
    }
    if (e.confirmations < 0) {
      if (pending.has(key) && !removed.has(key)) removed.set(key, eventOf("removed", e));
    } else if (e.confirmations >= confirmations) {
      others.set(key, eventOf("confirmed", e));
    } else if (!pending.has(key) || removed.has(key)) {
      others.set(key, eventOf("seen", e));
    }
  }
  const listed = new Set(since.transactions.map(keyOf));
  const missing = [...pending, ...shallow.keys()].filter(
    (key) => !listed.has(key) && !removed.has(key),
  );
  for (const event of await lookUpMissing(node, missing, confirmations)) {
    (event.kind === "removed" ? removed : others).set(keyOf(event), event);
  }
  const events = [...sorted(removed), ...sorted(others)];
  return rescanned
    ? { events, next: since.lastBlock, rescanned }
    : { events, next: since.lastBlock };
}

/**
 * Outputs the caller watches that Core did not list, looked up one
 * transaction at a time: `removed` where it is conflicted, `confirmed` where
 * it is at least N deep (a shallow credit the cursor has passed: the caller
 * records its depth, and stops watching it).
 */
async function lookUpMissing(
  node: ScanDepositsInput["node"],
  keys: string[],
  confirmations: number,
): Promise<DepositEvent[]> {
  const byTxid = new Map<string, Set<number>>();
  for (const key of keys) {
    const [txid = "", vout = ""] = key.split(":");
    byTxid.set(txid, (byTxid.get(txid) ?? new Set()).add(Number(vout)));
  }
  const events: DepositEvent[] = [];
  for (const [txid, vouts] of byTxid) {
    const tx = await node.getTransaction(txid).catch((error: unknown) => {
      // Gone from this wallet altogether: nothing to decide here.
      if (error instanceof BitcoinNodeError && error.code === "NODE_UNKNOWN_TRANSACTION")
        return undefined;
      throw error;
    });
    if (tx === undefined || (tx.confirmations >= 0 && tx.confirmations < confirmations)) continue;
    const kind = tx.confirmations < 0 ? "removed" : "confirmed";
    for (const output of (await node.decodeRawTransaction(tx.hex)).outputs) {
      if (!vouts.has(output.n) || output.address === undefined) continue;
      const event: DepositEvent = {
        kind,
        txid,
        vout: output.n,
        address: output.address,
        amount: output.amount,
        confirmations: tx.confirmations,
      };
      if (kind === "confirmed" && tx.blockHash !== undefined) event.blockHash = tx.blockHash;
      events.push(event);
    }
  }
  return events;
}

type Receive = WalletEntry & { address: string };

async function oursFilter(
  entries: WalletEntry[],
  isOurs: ScanDepositsInput["isOurs"],
): Promise<(e: WalletEntry) => e is Receive> {
  // One predicate call per distinct address, however many outputs pay it.
  const decided = new Map<string, boolean>();
  for (const e of entries) {
    if (e.category !== "receive" || e.address === undefined || decided.has(e.address)) continue;
    decided.set(e.address, isOurs === undefined || (await isOurs(e.address)));
  }
  return (e): e is Receive =>
    e.category === "receive" && e.address !== undefined && decided.get(e.address) === true;
}

function eventOf(kind: DepositEventKind, e: Receive): DepositEvent {
  const event: DepositEvent = {
    kind,
    txid: e.txid,
    vout: e.vout,
    address: e.address,
    amount: e.amount,
    confirmations: e.confirmations,
  };
  if (e.label !== undefined) event.label = e.label;
  if (e.blockHash !== undefined && kind !== "removed") event.blockHash = e.blockHash;
  return event;
}

function sorted(events: Map<string, DepositEvent>): DepositEvent[] {
  return [...events.values()].sort((a, b) =>
    a.txid === b.txid ? a.vout - b.vout : a.txid < b.txid ? -1 : 1,
  );
}
