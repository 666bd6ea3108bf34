/**
 * Users' online resources, in PostgreSQL (`online_resources`), so that
 * several gateway processes agree on who is online (BEHAVIOUR.md §6), and
 * what each deposit address has received, for address presences.
 *
 * @bitcoim/xmpp has no dependency of its own on drizzle-orm or @bitcoim/db:
 * it takes the database the orders service is given, reaches the tables
 * through the schema it was opened with, and drizzle's operators through a
 * relational query builder (which hands them to its `where` callback without
 * running anything). With those two dependencies added to package.json this
 * would import them directly instead.
 */
import type { OrdersOptions } from "@bitcoim/orders";

export type PresenceDb = OrdersOptions["db"];
type FindFirst = NonNullable<Parameters<PresenceDb["query"]["onlineResources"]["findFirst"]>[0]>;
type Operators = Parameters<Extract<FindFirst["where"], (...args: never[]) => unknown>>[1];

function operatorsOf(db: PresenceDb): Operators {
  let ops: Operators | undefined;
  db.query.onlineResources
    .findFirst({
      where: (_, o) => {
        ops = o;
        return undefined;
      },
    })
    .toSQL();
  if (!ops) throw new Error("drizzle did not hand over its operators");
  return ops;
}

export interface PresenceStore {
  /** Records an available resource; true when it is the user's first. */
  arrive(jid: string, resource: string): Promise<boolean>;
  /** Forgets a resource; true when it was the user's last. */
  leave(jid: string, resource: string): Promise<boolean>;
  isOnline(jid: string): Promise<boolean>;
  /** Bare JIDs with at least one available resource. */
  online(): Promise<string[]>;
  /** Forgets everyone (at start-up: nobody's presence has reached this process yet). */
  clear(): Promise<void>;
  /** Credited deposits per address of `addresses`, in satoshis. */
  received(addresses: readonly string[]): Promise<Map<string, bigint>>;
}

export function createPresenceStore({ db }: { db: PresenceDb }): PresenceStore {
  const { onlineResources: table, deposits } = db._.fullSchema;
  const { and, eq, sql, inArray } = operatorsOf(db);
  const ofJid = (jid: string) => eq(table.jid, jid);

  /** One user's arrivals and departures in turn, in every process (advisory lock per JID). */
  const serialised = <T>(jid: string, work: (tx: PresenceDb) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`presence:${jid}`}))`);
      return work(tx as unknown as PresenceDb);
    });

  const count = async (tx: PresenceDb, jid: string) =>
    (await tx.select({ jid: table.jid }).from(table).where(ofJid(jid))).length;

  return {
    arrive: (jid, resource) =>
      serialised(jid, async (tx) => {
        const added = await tx
          .insert(table)
          .values({ jid, resource })
          .onConflictDoNothing()
          .returning({ jid: table.jid });
        return added.length === 1 && (await count(tx, jid)) === 1;
      }),
    leave: (jid, resource) =>
      serialised(jid, async (tx) => {
        const gone = await tx
          .delete(table)
          .where(and(ofJid(jid), eq(table.resource, resource)))
          .returning({ jid: table.jid });
        return gone.length === 1 && (await count(tx, jid)) === 0;
      }),
    async isOnline(jid) {
      return (
        (await db.select({ jid: table.jid }).from(table).where(ofJid(jid)).limit(1)).length > 0
      );
    },
    async online() {
      const rows = await db.selectDistinct({ jid: table.jid }).from(table);
      return rows.map((r) => r.jid);
    },
    async clear() {
      await db.delete(table);
    },
    async received(addresses) {
      const totals = new Map<string, bigint>(addresses.map((a) => [a, 0n]));
      if (addresses.length === 0) return totals;
      const rows = await db
        .select({ address: deposits.address, amount: deposits.amount })
        .from(deposits)
        .where(and(inArray(deposits.address, [...addresses]), eq(deposits.state, "credited")));
      for (const row of rows) totals.set(row.address, (totals.get(row.address) ?? 0n) + row.amount);
      return totals;
    },
  };
}
