import { type BitcoimDb, ledgerAccounts, onlineResources, users } from "@bitcoim/db";
import { and, eq, getTableColumns, inArray, or, sql } from "drizzle-orm";
import type { Handle } from "../unit-of-work.js";
import type { User } from "../user.js";

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

/**
 * A user's money, in one prepared call (it is asked on every command and
 * every presence); `lock` first holds their account rows until the transaction
 * ends, for the changes that must not race a payment.
 */
export async function userBalance(
  tx: Handle,
  userId: number,
  options: { lock?: boolean } = {},
): Promise<Balance> {
  if (options.lock) {
    await tx
      .select({ id: ledgerAccounts.id })
      .from(ledgerAccounts)
      .where(
        and(
          eq(ledgerAccounts.userId, userId),
          inArray(ledgerAccounts.kind, ["user", "reorg_receivable"]),
        ),
      )
      .for("update");
  }
  const [row] = await balanceStatement(tx).execute({ user: userId });
  return fromRow(row!);
}

/**
 * `userBalance` on the database itself, built once: drizzle builds the
 * statement here, and the server plans it once per connection (migration
 * 0006). The accounts service makes one for its database.
 */
export function prepareBalance(db: BitcoimDb): (userId: number) => Promise<Balance> {
  const statement = balanceStatement(db);
  return async (userId) => fromRow((await statement.execute({ user: userId }))[0]!);
}

/** A user, their balance, and whether any of their connections is online. */
export interface UserWithBalance {
  user: User;
  balance: Balance;
  online: boolean;
}

/** What a notification needs of a user: their row, their balance, whether they are online. */
function userWithBalance(db: BitcoimDb) {
  return db
    .select({
      user: getTableColumns(users),
      confirmed: sql<string>`b.confirmed::text`,
      receivable: sql<string>`b.receivable::text`,
      pending: sql<string>`b.pending::text`,
      in_flight: sql<string>`b.in_flight::text`,
      online: sql<boolean>`exists (select 1 from ${onlineResources} o where o.jid = ${users.jid})`,
    })
    .from(users)
    .innerJoin(sql`lateral bitcoim.user_balance(${users.id}) as b`, sql`true`);
}

type UserWithBalanceRow = Awaited<
  ReturnType<ReturnType<typeof userWithBalance>["execute"]>
>[number];
const withBalanceOf = (row: UserWithBalanceRow): UserWithBalance => ({
  user: row.user,
  balance: fromRow(row),
  online: row.online,
});

/**
 * A user, their balance and whether they are online, in one statement built
 * once: what a notification needs (the language and JID to write to, the
 * new balance, and whether a presence refresh would reach anyone).
 */
export function prepareUserWithBalance(
  db: BitcoimDb,
): (userId: number) => Promise<UserWithBalance | undefined> {
  const statement = userWithBalance(db)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare("bitcoim_user_with_balance");
  return async (userId) => {
    const [row] = await statement.execute({ id: userId });
    return row && withBalanceOf(row);
  };
}

/**
 * The same for the two sides of a payment, in one statement: a payment
 * changes both balances, and both are told. Unknown ids are left out.
 */
export function prepareUsersWithBalance(
  db: BitcoimDb,
): (ids: readonly [number, number]) => Promise<UserWithBalance[]> {
  const statement = userWithBalance(db)
    .where(or(eq(users.id, sql.placeholder("a")), eq(users.id, sql.placeholder("b"))))
    .prepare("bitcoim_users_with_balance");
  return async ([a, b]) => (await statement.execute({ a, b })).map(withBalanceOf);
}

function balanceStatement(handle: Handle) {
  return handle
    .select({
      confirmed: sql<string>`confirmed::text`,
      receivable: sql<string>`receivable::text`,
      pending: sql<string>`pending::text`,
      in_flight: sql<string>`in_flight::text`,
    })
    .from(sql`bitcoim.user_balance(${sql.placeholder("user")})`)
    .prepare("bitcoim_user_balance");
}

function fromRow(row: {
  confirmed: string;
  receivable: string;
  pending: string;
  in_flight: string;
}): Balance {
  return {
    confirmed: BigInt(row.confirmed),
    pending: BigInt(row.pending),
    owed: -BigInt(row.receivable),
    inFlight: BigInt(row.in_flight),
  };
}
