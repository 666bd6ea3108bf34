/**
 * Who is online, by bare JID and resource (`online_resources`), kept in the
 * database so that several gateway processes agree (docs/behaviour.md §6);
 * and what each deposit address has received, for the addresses' presences.
 * Protocol-neutral: a resource is any string naming one of a user's
 * connections; the XMPP side decides what arrives and leaves.
 */
import { type BitcoimDb, deposits, onlineResources } from "@bitcoim/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "./unit-of-work.js";

/** A resource's arrival: the user's first, another device of theirs, or one already counted. */
export type Arrival = "first" | "another" | "again";

export interface OnlineResources {
  /** Records a connected resource, and says which kind of arrival it is. */
  arrive(jid: string, resource: string): Promise<Arrival>;
  /** Forgets a resource; true when it was the user's last. */
  leave(jid: string, resource: string): Promise<boolean>;
  isOnline(jid: string): Promise<boolean>;
  /** Bare JIDs with at least one resource. */
  online(): Promise<string[]>;
  /** Forgets everyone (at start-up, when nobody's presence has reached us yet). */
  clear(): Promise<void>;
  /** Credited deposits per address of `addresses`, in satoshis (0 for none). */
  received(addresses: readonly string[]): Promise<Map<string, bigint>>;
}

export function createOnlineResources({ db }: { db: BitcoimDb }): OnlineResources {
  const table = onlineResources;
  const ofJid = (jid: string) => eq(table.jid, jid);

  /** One user's arrivals and departures in turn, in every process (advisory lock per JID). */
  const serialised = <T>(jid: string, work: (tx: Tx) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`presence:${jid}`}))`);
      return work(tx);
    });

  const count = async (tx: Tx, jid: string) =>
    (await tx.select({ jid: table.jid }).from(table).where(ofJid(jid))).length;

  // Asked on every presence refresh: built once, planned once per connection.
  const anyResource = db
    .select({ jid: table.jid })
    .from(table)
    .where(eq(table.jid, sql.placeholder("jid")))
    .limit(1)
    .prepare("bitcoim_online_resource");

  return {
    arrive: (jid, resource) =>
      serialised(jid, async (tx) => {
        const added = await tx
          .insert(table)
          .values({ jid, resource })
          .onConflictDoNothing()
          .returning({ jid: table.jid });
        if (added.length === 0) return "again";
        return (await count(tx, jid)) === 1 ? "first" : "another";
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
      return (await anyResource.execute({ jid })).length > 0;
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
