/** What the two singleton loops do in one tick. */
import type { Accounts, AppliedDeposits } from "@bitcoim/accounts";
import type { Orders } from "@bitcoim/orders";
import type { BitcoinNode } from "@bitcoim/wallet";
import type { Logger } from "../log.js";

export interface DepositJob {
  accounts: Accounts;
  node: Pick<BitcoinNode, "listSinceBlock" | "getTransaction" | "decodeRawTransaction">;
  /** The wallet's name: the key of the scan cursor. */
  wallet: string;
  confirmations: number;
}

/**
 * One scanner step, committed with its cursor (docs/architecture.md §5.3).
 * Had another process moved the cursor meanwhile, nothing is applied.
 */
export async function scanOnce(job: DepositJob): Promise<AppliedDeposits> {
  return job.accounts.scanOnce(job);
}

export interface OrderJob {
  orders: Pick<Orders, "expire" | "reconcile" | "trackSends">;
  confirmations: number;
  /** Told what reconciliation did: news only after a crash, a lost reply or a stuck node. */
  log?: Pick<Logger, "warn">;
}

/**
 * Expires stale codes, settles sends left unfinished by a crash, follows
 * sent ones — in turn, each whatever became of the one before; the first
 * failure is reported after all three.
 */
export async function ordersOnce(job: OrderJob) {
  const failures: unknown[] = [];
  const step = <T>(work: () => Promise<T>) =>
    work().catch((error: unknown) => {
      failures.push(error);
      return undefined;
    });
  const expired = await step(() => job.orders.expire());
  const reconciled = await step(() => job.orders.reconcile());
  if (reconciled) {
    const { booked, refunded, reinstated, failed, unlocked } = reconciled;
    if (booked.length + refunded.length + reinstated.length + failed.length + unlocked.length > 0) {
      job.log?.warn(
        { booked, refunded, reinstated, failed, unlocked: unlocked.length },
        "reconciled unfinished on-chain sends",
      );
    }
  }
  const confirmed = await step(() => job.orders.trackSends(job.confirmations));
  if (failures.length > 0) throw failures[0];
  return { expired: expired!, reconciled: reconciled!, confirmed: confirmed! };
}
