import {
  type BitcoimDb,
  depositAddresses,
  isUniqueViolation,
  ledgerAccounts,
  usernameKey,
  users,
} from "@bitcoim/db";
import type { Network } from "@bitcoim/wallet";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { DepositAddresses } from "./addresses.js";
import { AccountsError } from "./errors.js";
import type { TypedEvents } from "./events.js";
import type { AccountsEvents } from "./events-map.js";
import { normaliseBareJid, requireDot } from "./jid.js";
import { userBalance } from "./ledger/balance.js";
import { type Handle, inTransaction } from "./unit-of-work.js";
import type { User } from "./user.js";
import { checkUsername } from "./username.js";

export type { User } from "./user.js";

export interface UsersDeps {
  db: BitcoimDb;
  network: Network;
  addresses: DepositAddresses;
  events: TypedEvents<AccountsEvents>;
}

/**
 * Registration, renaming, language, unregistration and look-ups
 * (docs/behaviour.md §2).
 *
 * Unregistering is refused while the user has money with us — a balance,
 * deposits not yet confirmed, an on-chain send in flight, or a reorg debt —
 * so no coin is ever orphaned. Otherwise the row stays (the ledger is
 * append-only and names it) but the username is freed; should a late
 * deposit reach one of its addresses it is credited as usual, and the same
 * JID registering again gets that account back.
 */
export function createUsers({ db, network, addresses, events }: UsersDeps) {
  // The look-ups every stanza makes, prepared once: the server plans them
  // once per connection and drizzle builds them once.
  const prepared = {
    byJid: db
      .select()
      .from(users)
      .where(and(eq(users.jid, sql.placeholder("jid")), isNull(users.unregisteredAt)))
      .prepare("bitcoim_user_by_jid"),
    byId: db
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder("id")))
      .prepare("bitcoim_user_by_id"),
    byKey: db
      .select()
      .from(users)
      .where(eq(users.usernameKey, sql.placeholder("key")))
      .prepare("bitcoim_user_by_username_key"),
    byJidAndKey: db
      .select()
      .from(users)
      .where(
        or(
          and(eq(users.jid, sql.placeholder("jid")), isNull(users.unregisteredAt)),
          eq(users.usernameKey, sql.placeholder("key")),
        ),
      )
      .prepare("bitcoim_users_by_jid_and_username_key"),
  };

  async function byJid(jid: string, tx: Handle = db): Promise<User | undefined> {
    const bare = normaliseBareJid(jid);
    if (tx === db) return (await prepared.byJid.execute({ jid: bare }))[0];
    const [row] = await tx
      .select()
      .from(users)
      .where(and(eq(users.jid, bare), isNull(users.unregisteredAt)));
    return row;
  }

  async function ensureNameFree(username: string, ownId?: number) {
    const [holder] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.usernameKey, usernameKey(username)));
    if (holder && holder.id !== ownId) throw taken(username);
  }

  return {
    byJid,

    async byId(id: number, tx: Handle = db): Promise<User | undefined> {
      if (tx === db) return (await prepared.byId.execute({ id }))[0];
      const [row] = await tx.select().from(users).where(eq(users.id, id));
      return row;
    },

    async byUsername(username: string): Promise<User | undefined> {
      return (await prepared.byKey.execute({ key: usernameKey(username) }))[0];
    },

    /**
     * `byJid(jid)` and `byUsername(username)` in one statement: who writes,
     * and the user they write to, as a chat command needs both.
     */
    async byJidAndUsername(
      jid: string,
      username: string,
    ): Promise<{ byJid: User | undefined; byUsername: User | undefined }> {
      const bare = normaliseBareJid(jid);
      const key = usernameKey(username);
      const rows = await prepared.byJidAndKey.execute({ jid: bare, key });
      return {
        byJid: rows.find((u) => u.jid === bare && u.unregisteredAt === null),
        byUsername: rows.find((u) => u.usernameKey === key),
      };
    },

    async byAddress(address: string): Promise<User | undefined> {
      const [row] = await db
        .select({ user: users })
        .from(depositAddresses)
        .innerJoin(users, eq(users.id, depositAddresses.userId))
        .where(and(eq(depositAddresses.address, address), isNull(users.unregisteredAt)));
      return row?.user;
    },

    /** Registers a bare JID with a username and gives it a first deposit address. */
    async register(jid: string, rawUsername: string, options: { language?: string } = {}) {
      const bare = normaliseBareJid(jid);
      requireDot(bare);
      const username = checkUsername(rawUsername, network);
      if (await byJid(bare)) {
        throw new AccountsError(
          "ALREADY_REGISTERED",
          `${bare} is already registered; rename instead`,
        );
      }
      const [dormant] = await db.select().from(users).where(eq(users.jid, bare));
      await ensureNameFree(username);
      // The node call stays outside the transaction; an address left unused
      // by a failed insert is harmless (it is labelled with this JID).
      const address = dormant ? undefined : await addresses.fromNode(bare);
      const user = await inTransaction(db, async (tx, afterCommit) => {
        const values = {
          username,
          usernameKey: usernameKey(username),
          language: options.language ?? null,
          unregisteredAt: null,
          updatedAt: new Date(),
        };
        let row: User | undefined;
        try {
          [row] = dormant
            ? await tx.update(users).set(values).where(eq(users.id, dormant.id)).returning()
            : await tx
                .insert(users)
                .values({ jid: bare, ...values })
                .returning();
        } catch (error) {
          if (isUniqueViolation(error, "users_username_key_unique")) throw taken(username);
          throw error;
        }
        if (!dormant) {
          await tx.insert(ledgerAccounts).values({ kind: "user", userId: row!.id });
          await addresses.record(tx, row!.id, address!, bare);
        }
        afterCommit(() => events.emit("registered", { user: row!, reactivated: Boolean(dormant) }));
        return row!;
      });
      return { user, addresses: await addresses.list(user.id) };
    },

    async rename(jid: string, rawUsername: string): Promise<User> {
      const username = checkUsername(rawUsername, network);
      const current = await byJid(jid);
      if (!current) throw notFound(jid);
      await ensureNameFree(username, current.id);
      return inTransaction(db, async (tx, afterCommit) => {
        let row: User | undefined;
        try {
          [row] = await tx
            .update(users)
            .set({ username, usernameKey: usernameKey(username), updatedAt: new Date() })
            .where(and(eq(users.id, current.id), isNull(users.unregisteredAt)))
            .returning();
        } catch (error) {
          if (isUniqueViolation(error, "users_username_key_unique")) throw taken(username);
          throw error;
        }
        if (!row) throw notFound(jid);
        afterCommit(() =>
          events.emit("usernameChanged", { user: row!, previous: current.username }),
        );
        return row;
      });
    },

    /**
     * Sets the language the user is spoken to in (docs/behaviour.md §7), or
     * with null forgets it so the gateway's configured order applies. The tag
     * is stored as given: which tags are acceptable is the caller's
     * protocol's business (the XMPP side takes BCP 47 tags).
     */
    async setLanguage(jid: string, language: string | null): Promise<User> {
      const [row] = await db
        .update(users)
        .set({ language, updatedAt: new Date() })
        .where(and(eq(users.jid, normaliseBareJid(jid)), isNull(users.unregisteredAt)))
        .returning();
      if (!row) throw notFound(jid);
      return row;
    },

    /** Unregisters; unknown JIDs are fine (XEP-0077 answers them with a result too). */
    async unregister(jid: string): Promise<User | undefined> {
      const current = await byJid(jid);
      if (!current) return undefined;
      return inTransaction(db, async (tx, afterCommit) => {
        // The user's row first: transfers to them hold it FOR SHARE, so none is half-way.
        await tx.select({ id: users.id }).from(users).where(eq(users.id, current.id)).for("update");
        const balance = await userBalance(tx, current.id, { lock: true });
        if (
          balance.confirmed !== 0n ||
          balance.pending !== 0n ||
          balance.owed !== 0n ||
          balance.inFlight !== 0n
        ) {
          throw new AccountsError(
            "BALANCE_NOT_EMPTY",
            "you still have money here: withdraw it (or wait for pending payments) before unregistering",
          );
        }
        const [row] = await tx
          .update(users)
          .set({ usernameKey: null, unregisteredAt: new Date(), updatedAt: new Date() })
          .where(eq(users.id, current.id))
          .returning();
        afterCommit(() => events.emit("unregistered", { user: row! }));
        return row;
      });
    },
  };
}

export type Users = ReturnType<typeof createUsers>;

const taken = (username: string) =>
  new AccountsError("USERNAME_TAKEN", `the username "${username}" is already taken`);
const notFound = (jid: string) => new AccountsError("USER_NOT_FOUND", `${jid} is not registered`);
