import { type BitcoimDb, chainCursor, deposits, ledgerAccounts, users } from "@bitcoim/db";
import {
  type BitcoinNode,
  minSats,
  type Network,
  type Outpoint,
  type ShallowCredit,
  scanDeposits,
} from "@bitcoim/wallet";
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import { createDepositAddresses, type DepositAddressType } from "./addresses.js";
import { AccountsError } from "./errors.js";
import { createEvents, type TypedEvents } from "./events.js";
import type { AccountsEvents } from "./events-map.js";
import { normaliseBareJid } from "./jid.js";
import { receivableAccountId, userAccountId } from "./ledger/accounts.js";
import { audit } from "./ledger/audit.js";
import {
  prepareBalance,
  prepareUsersWithBalance,
  prepareUserWithBalance,
  userBalance,
} from "./ledger/balance.js";
import { type AppliedDeposits, applyScan, type ScanResult } from "./ledger/deposits.js";
import { type HistoryQuery, history } from "./ledger/history.js";
import { post } from "./ledger/journal.js";
import { type TransferInput, transfer } from "./ledger/transfer.js";
import { inTransaction } from "./unit-of-work.js";
import { createUsers } from "./users.js";

export interface ScanOnceInput {
  node: Pick<BitcoinNode, "listSinceBlock" | "getTransaction" | "decodeRawTransaction">;
  /** The wallet's name: the key of the scan cursor. */
  wallet: string;
  /** Confirmations needed to credit (≥ 1). */
  confirmations: number;
}

export interface AccountsOptions {
  db: BitcoimDb;
  node: Pick<BitcoinNode, "getNewAddress">;
  network: Network;
  /** Bare JIDs of the admins, from configuration. */
  admins?: readonly string[];
  addressType?: DepositAddressType;
  /** Deposits below this are recorded, never credited (default 546 sat). */
  dustMinimum?: bigint;
  events?: TypedEvents<AccountsEvents>;
}

/** The accounts service: users, their addresses and their money. */
export function createAccounts(options: AccountsOptions) {
  const { db, network } = options;
  const events = options.events ?? createEvents<AccountsEvents>();
  const dustMinimum = options.dustMinimum ?? 546n;
  const admins = new Set((options.admins ?? []).map(normaliseBareJid));
  const addresses = createDepositAddresses({
    db,
    node: options.node,
    ...(options.addressType ? { addressType: options.addressType } : {}),
  });
  const users_ = createUsers({ db, network, addresses, events });

  const accounts = {
    ...users_,
    events,
    network,
    isAdmin: (jid: string) => admins.has(normaliseBareJid(jid)),
    addresses: (userId: number) => addresses.list(userId),
    ownerOfAddress: (address: string) => addresses.find(address),

    /** Another deposit address for a user (docs/behaviour.md §7, `address new`). */
    async newAddress(userId: number) {
      const user = await users_.byId(userId);
      if (!user || user.unregisteredAt)
        throw new AccountsError("USER_NOT_FOUND", `no user ${userId}`);
      const address = await addresses.fromNode(user.jid);
      return addresses.record(db, userId, address, user.jid);
    },

    /** Every registered user, oldest first: the admins' directory. */
    async members(): Promise<{ id: number; jid: string; username: string }[]> {
      return db
        .select({ id: users.id, jid: users.jid, username: users.username })
        .from(users)
        .where(isNull(users.unregisteredAt))
        .orderBy(asc(users.id));
    },

    balance: prepareBalance(db),
    /** A user, their balance and whether they are online, in one round trip; undefined for an unknown id. */
    withBalance: prepareUserWithBalance(db),
    /** Both sides of a payment, each with their balance and whether online, in one round trip. */
    withBalances: prepareUsersWithBalance(db),
    history: (userId: number, query?: HistoryQuery) => history(db, userId, query),
    audit: () => audit(db),

    /** A transfer, atomic on its own (one statement); orders use `transfer(tx, …)` inside theirs. */
    transfer: (input: TransferInput) => transfer(db, input),

    /** Outputs seen and not yet confirmed: the scanner's `pending`. */
    async pendingOutpoints(): Promise<Outpoint[]> {
      return db
        .select({ txid: deposits.txid, vout: deposits.vout })
        .from(deposits)
        .where(eq(deposits.state, "seen"));
    },

    /**
     * Credited outputs last seen with fewer than `confirmations`: credited
     * under a lower N. The scanner checks each of them for a reorg on its own.
     */
    async shallowCredits(confirmations: number): Promise<ShallowCredit[]> {
      return db
        .select({ txid: deposits.txid, vout: deposits.vout, blockHash: deposits.blockHash })
        .from(deposits)
        .where(and(eq(deposits.state, "credited"), lt(deposits.confirmations, confirmations)));
    },

    /**
     * One scanner step from the stored cursor, applied with the cursor in one
     * transaction (docs/architecture.md §5.3). Had another process moved
     * the cursor meanwhile, nothing is applied (`applied: false`).
     */
    async scanOnce(input: ScanOnceInput): Promise<AppliedDeposits> {
      const from = await accounts.cursor(input.wallet);
      // Pending and shallow outputs in one statement: this runs every poll.
      const watched = await db
        .select({
          txid: deposits.txid,
          vout: deposits.vout,
          blockHash: deposits.blockHash,
          state: deposits.state,
        })
        .from(deposits)
        .where(
          or(
            eq(deposits.state, "seen"),
            and(eq(deposits.state, "credited"), lt(deposits.confirmations, input.confirmations)),
          ),
        );
      const step = await scanDeposits({
        node: input.node,
        cursor: from,
        pending: watched.filter((d) => d.state === "seen"),
        shallowCredits: watched.filter((d) => d.state === "credited"),
        confirmations: input.confirmations,
      });
      return accounts.applyScan(input.wallet, { from, ...step });
    },

    async cursor(wallet: string): Promise<string | null> {
      const [row] = await db.select().from(chainCursor).where(eq(chainCursor.wallet, wallet));
      return row?.blockHash ?? null;
    },

    /** Applies a scanner step with its cursor in one transaction, then tells listeners. */
    async applyScan(wallet: string, step: ScanResult) {
      return inTransaction(db, async (tx, afterCommit) => {
        const applied = await applyScan(tx, wallet, step, dustMinimum);
        afterCommit(() => {
          for (const n of applied.reversed) events.emit("depositReversed", n);
          for (const n of applied.dropped) events.emit("depositDropped", n);
          for (const n of applied.seen) events.emit("depositSeen", n);
          for (const n of applied.credited) events.emit("depositCredited", n);
        });
        return applied;
      });
    },

    /**
     * An admin settles a user's reorg debt from what the user has now; once
     * it is all paid, their outgoing payments are unblocked.
     */
    async settleDebt(userId: number) {
      return inTransaction(db, async (tx) => {
        const balance = await userBalance(tx, userId, { lock: true });
        const paid = minSats(balance.confirmed, balance.owed);
        if (paid > 0n) {
          const [settled] = await tx
            .select({ n: ledgerAccounts.id })
            .from(ledgerAccounts)
            .where(
              and(eq(ledgerAccounts.userId, userId), eq(ledgerAccounts.kind, "reorg_receivable")),
            );
          await post(tx, {
            kind: "debt_settlement",
            idempotencyKey: `debt:${userId}:${settled!.n}:${balance.owed}:${Date.now()}`,
            entries: [
              { accountId: await userAccountId(tx, userId), amount: -paid },
              { accountId: await receivableAccountId(tx, userId), amount: paid },
            ],
          });
        }
        const remaining = balance.owed - paid;
        if (remaining === 0n) {
          await tx
            .update(users)
            .set({ paymentsBlocked: false, blockedReason: null, updatedAt: new Date() })
            .where(eq(users.id, userId));
        }
        return { paid, remaining };
      });
    },
  };
  return accounts;
}

export type Accounts = ReturnType<typeof createAccounts>;
