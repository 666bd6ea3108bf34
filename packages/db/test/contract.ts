/**
 * What @bitcoim/db promises on every backend; run by pglite.test.ts and
 * postgres.test.ts against PGlite and a real PostgreSQL server.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BitcoimDb,
  type Database,
  depositAddresses,
  deposits,
  isSingleConnection,
  journalEntries,
  journals,
  ledgerAccounts,
  openDatabase,
  type PgError,
  pgError,
  usernameKey,
  users,
} from "../src/index.js";
import { loadMigrations } from "../src/migrations.js";

export interface ContractTarget {
  /** A URL of an empty database that may be opened, closed and opened again. */
  url(): Promise<string>;
}

/** The driver's error, wherever drizzle wrapped it. */
export function rootCause(error: unknown): Partial<PgError> & { message: string } {
  return pgError(error) ?? { message: String(error) };
}

/** db.execute answers an array on postgres.js and `{ rows }` on PGlite. */
export async function selectRows<Row>(
  db: BitcoimDb,
  query: ReturnType<typeof sql>,
): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

async function addUser(db: BitcoimDb, jid: string, username: string) {
  const [user] = await db
    .insert(users)
    .values({ jid, username, usernameKey: usernameKey(username) })
    .returning();
  const [account] = await db
    .insert(ledgerAccounts)
    .values({ kind: "user", userId: user!.id })
    .returning();
  return { user: user!, account: account! };
}

async function systemAccount(db: BitcoimDb, kind: "wallet_inflow") {
  const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.kind, kind));
  return row!;
}

async function book(db: BitcoimDb, entries: { accountId: number; amount: bigint }[], key?: string) {
  await db.transaction(async (tx) => {
    const [journal] = await tx
      .insert(journals)
      .values({ kind: "test", ...(key ? { idempotencyKey: key } : {}) })
      .returning();
    // A journal's entries go in together: the ledger checks balance per statement.
    await tx.insert(journalEntries).values(entries.map((e) => ({ journalId: journal!.id, ...e })));
  });
}

export function describeDatabaseContract(name: string, target: ContractTarget) {
  describe(`@bitcoim/db contract on ${name}`, () => {
    let url: string;
    let database: Database;
    let db: BitcoimDb;

    beforeAll(async () => {
      url = await target.url();
      database = await openDatabase(url);
      db = database.db;
    });
    afterAll(() => database?.close());

    it("migrates an empty database and seeds the system accounts", async () => {
      const all = (await loadMigrations()).map((m) => m.tag);
      expect(all.slice(0, 2)).toEqual(["0000_initial", "0001_ledger_rules"]);
      expect(database.migrations.applied).toEqual(all);
      const tables = await selectRows<{ table_name: string }>(
        db,
        sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'bitcoim' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(["users", "journals", "journal_entries", "deposits", "migrations"]),
      );
      const system = await db.select().from(ledgerAccounts);
      expect(system.map((a) => a.kind).sort()).toEqual([
        "network_fees",
        "sends_in_flight",
        "wallet_inflow",
        "wallet_outflow",
      ]);
    });

    it("says whether it runs one statement at a time for the whole process", () => {
      expect(isSingleConnection(db)).toBe(database.backend === "pglite");
    });

    it("re-opening is a no-op", async () => {
      const again = await openDatabase(url);
      try {
        expect(again.migrations).toMatchObject({ applied: [], pending: [] });
      } finally {
        await again.close();
      }
    });

    it("moves cached balances with journal entries, in bigint satoshis", async () => {
      const { account } = await addUser(db, "bal@example.org", "bal");
      const inflow = await systemAccount(db, "wallet_inflow");
      const big = 2_100_000_000_000_000n; // MAX_MONEY: beyond a double's exact range
      await book(db, [
        { accountId: account.id, amount: big },
        { accountId: inflow.id, amount: -big },
      ]);
      const [after] = await db
        .select()
        .from(ledgerAccounts)
        .where(eq(ledgerAccounts.id, account.id));
      expect(after!.balance).toBe(big);
    });

    it("rejects a negative user balance, and writes nothing of that journal", async () => {
      const { account } = await addUser(db, "neg@example.org", "neg");
      const inflow = await systemAccount(db, "wallet_inflow");
      const before = await db.$count(journals);
      const error = await book(db, [
        { accountId: account.id, amount: -1n },
        { accountId: inflow.id, amount: 1n },
      ]).catch((e: unknown) => e);
      expect(rootCause(error)).toMatchObject({
        code: "23514",
        constraint: "ledger_accounts_user_not_negative",
      });
      expect(await db.$count(journals)).toBe(before);
    });

    it("rejects an unbalanced journal, and entries that would unbalance a posted one", async () => {
      const { account } = await addUser(db, "unb@example.org", "unb");
      const error = await book(db, [{ accountId: account.id, amount: 5n }]).catch(
        (e: unknown) => e,
      );
      expect(rootCause(error)).toMatchObject({ code: "23514", constraint: "journal_balanced" });
      const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, account.id));
      expect(row!.balance).toBe(0n);

      const inflow = await systemAccount(db, "wallet_inflow");
      await book(db, [
        { accountId: account.id, amount: 5n },
        { accountId: inflow.id, amount: -5n },
      ]);
      const [posted] = await db.select().from(journals).orderBy(sql`id DESC`).limit(1);
      const late = await db
        .insert(journalEntries)
        .values({ journalId: posted!.id, accountId: account.id, amount: 7n })
        .catch((e: unknown) => e);
      expect(rootCause(late)).toMatchObject({ code: "23514", constraint: "journal_balanced" });
      const [after] = await db
        .select()
        .from(ledgerAccounts)
        .where(eq(ledgerAccounts.id, account.id));
      expect(after!.balance).toBe(5n);
    });

    it("keeps journal entries append-only", async () => {
      const error = await db
        .update(journalEntries)
        .set({ amount: 1n })
        .catch((e: unknown) => e);
      expect(rootCause(error).message).toMatch(/append-only/);
      const deleted = await db
        .delete(journals)
        .where(sql`true`)
        .catch((e: unknown) => e);
      expect(rootCause(deleted).message).toMatch(/append-only/);
    });

    it("refuses a second journal with the same idempotency key", async () => {
      const { account } = await addUser(db, "idem@example.org", "idem");
      const inflow = await systemAccount(db, "wallet_inflow");
      const entries = [
        { accountId: account.id, amount: 10n },
        { accountId: inflow.id, amount: -10n },
      ];
      await book(db, entries, "deposit:abc:0:1");
      const error = await book(db, entries, "deposit:abc:0:1").catch((e: unknown) => e);
      expect(rootCause(error).code).toBe("23505");
      const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, account.id));
      expect(row!.balance).toBe(10n);
    });

    it("rejects the same username in another case or Unicode form", async () => {
      await addUser(db, "a1@example.org", "Straße");
      for (const variant of ["STRASSE", "strasse", "Ｓtraße"]) {
        const error = await addUser(db, `x-${variant}@example.org`, variant).catch(
          (e: unknown) => e,
        );
        expect(rootCause(error)).toMatchObject({ code: "23505" });
      }
    });

    it("rejects a second user with the same bare JID", async () => {
      await addUser(db, "twice@example.org", "twice1");
      const error = await addUser(db, "twice@example.org", "twice2").catch((e: unknown) => e);
      expect(rootCause(error)).toMatchObject({ code: "23505", constraint: "users_jid_unique" });
    });

    it("rejects a duplicate deposit output", async () => {
      const { user } = await addUser(db, "dep@example.org", "dep");
      await db.insert(depositAddresses).values({
        address: "bcrt1qdeposit",
        userId: user.id,
        label: "dep@example.org",
        addressType: "bech32",
      });
      const output = { txid: "ab".repeat(32), vout: 1, address: "bcrt1qdeposit", amount: 1000n };
      await db.insert(deposits).values(output);
      const error = await db
        .insert(deposits)
        .values(output)
        .catch((e: unknown) => e);
      expect(rootCause(error)).toMatchObject({
        code: "23505",
        constraint: "deposits_outpoint_idx",
      });
      const zero = await db
        .insert(deposits)
        .values({ ...output, vout: 2, amount: 0n })
        .catch((e: unknown) => e);
      expect(rootCause(zero)).toMatchObject({ code: "23514", constraint: "deposits_positive" });
    });

    it("lives beside a host application's own tables of the same names", async () => {
      await db.execute(sql`CREATE TABLE public.users (id serial PRIMARY KEY, email text)`);
      await db.execute(sql`INSERT INTO public.users (email) VALUES ('host@example.org')`);
      const hostRows = await selectRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM public.users`,
      );
      expect(hostRows[0]!.n).toBe(1);
      const again = await openDatabase(url);
      await again.close();
    });
  });
}
