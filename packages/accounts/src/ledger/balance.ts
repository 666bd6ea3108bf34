import { depositAddresses, deposits, ledgerAccounts, withdrawals } from "@bitcoim/db";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Handle } from "../unit-of-work.js";

export interface Balance {
  /** Spendable: credited deposits and payments, in satoshis. */
  confirmed: bigint;
  /** Deposits seen on the chain, not yet confirmed enough to credit. */
  pending: bigint;
  /** Reorg debt: a credited deposit taken back after it was spent. Blocks paying out. */
  owed: bigint;
  /** Reserved for on-chain sends whose outcome is not recorded yet. */
  inFlight: bigint;
}

const sum = (column: unknown) => sql<string>`coalesce(sum(${column}), 0)`;

/** A user's money; `lock` holds their account row until the transaction ends. */
export async function userBalance(
  tx: Handle,
  userId: number,
  options: { lock?: boolean } = {},
): Promise<Balance> {
  const accountsQuery = tx
    .select({ kind: ledgerAccounts.kind, balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.userId, userId),
        inArray(ledgerAccounts.kind, ["user", "reorg_receivable"]),
      ),
    );
  const accounts = options.lock ? await accountsQuery.for("update") : await accountsQuery;
  const [pending] = await tx
    .select({ total: sum(deposits.amount) })
    .from(deposits)
    .innerJoin(depositAddresses, eq(depositAddresses.address, deposits.address))
    .where(
      and(
        eq(depositAddresses.userId, userId),
        eq(deposits.state, "seen"),
        gte(deposits.confirmations, 0),
      ),
    );
  const [inFlight] = await tx
    .select({ total: sum(sql`${withdrawals.amount} + ${withdrawals.maxFee}`) })
    .from(withdrawals)
    .where(and(eq(withdrawals.userId, userId), eq(withdrawals.state, "intent")));
  const of = (kind: string) => accounts.find((a) => a.kind === kind)?.balance ?? 0n;
  return {
    confirmed: of("user"),
    pending: BigInt(pending?.total ?? 0),
    owed: -of("reorg_receivable"),
    inFlight: BigInt(inFlight?.total ?? 0),
  };
}
