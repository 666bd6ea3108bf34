/**
 * bitcoIM's tables, in their own PostgreSQL schema so they can live beside a
 * host application's. Money columns are `bigint` satoshis read as `bigint`
 * (docs/architecture.md §5.1). Triggers that keep the ledger honest
 * (balanced journals, append-only entries, cached balances) are in the
 * hand-written migration `0001_ledger_rules.sql`.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const bitcoim = pgSchema("bitcoim");

const id = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();
const sats = (name: string) => bigint(name, { mode: "bigint" });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = (name = "created_at") => at(name).notNull().defaultNow();
/** A text column's allowed values, enforced by the database too. */
const oneOf = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(
    name,
    sql`${column} IN (${sql.join(
      values.map((v) => sql.raw(`'${v}'`)),
      sql`, `,
    )})`,
  );

export const accountKinds = [
  "user",
  "reorg_receivable",
  "wallet_inflow",
  "wallet_outflow",
  "sends_in_flight",
  "network_fees",
] as const;
export const orderStatuses = [
  "pending",
  "executing",
  "paid",
  "cancelled",
  "expired",
  "failed",
  "refunded",
] as const;
export const depositStates = ["seen", "credited", "reversed", "ignored"] as const;
export const withdrawalStates = ["intent", "sent", "confirmed", "refunded", "failed"] as const;

export const users = bitcoim.table(
  "users",
  {
    id: id(),
    jid: text("jid").notNull().unique(),
    username: text("username").notNull(),
    /**
     * The username as the JID node compares it: NFKC, case-folded (see
     * usernameKey). Null once unregistered, which frees the name.
     */
    usernameKey: text("username_key").unique(),
    language: text("language"),
    paymentsBlocked: boolean("payments_blocked").notNull().default(false),
    blockedReason: text("blocked_reason"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    /** Set when the user unregisters; the row stays, so money and history are never lost. */
    unregisteredAt: at("unregistered_at"),
  },
  (t) => [
    check("users_username_not_blank", sql`btrim(${t.username}) <> ''`),
    check(
      "users_active_have_key",
      sql`(${t.unregisteredAt} IS NULL) = (${t.usernameKey} IS NOT NULL)`,
    ),
  ],
);

export const depositAddresses = bitcoim.table(
  "deposit_addresses",
  {
    address: text("address").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    label: text("label").notNull(),
    addressType: text("address_type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("deposit_addresses_user_idx").on(t.userId)],
);

/**
 * Per-user accounts ("user", and "reorg_receivable" for what a user owes after a
 * reorg) and system accounts (no user). Only "user" accounts may not go negative.
 */
export const ledgerAccounts = bitcoim.table(
  "ledger_accounts",
  {
    id: id(),
    kind: text("kind", { enum: accountKinds }).notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id),
    balance: sats("balance").notNull().default(sql`0`),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf("ledger_accounts_kind", t.kind, accountKinds),
    check("ledger_accounts_user_not_negative", sql`${t.kind} <> 'user' OR ${t.balance} >= 0`),
    check(
      "ledger_accounts_owner",
      sql`(${t.kind} IN ('user', 'reorg_receivable')) = (${t.userId} IS NOT NULL)`,
    ),
    uniqueIndex("ledger_accounts_user_kind_idx").on(t.kind, t.userId),
    uniqueIndex("ledger_accounts_system_idx").on(t.kind).where(sql`${t.userId} IS NULL`),
  ],
);

export const journals = bitcoim.table(
  "journals",
  {
    id: id(),
    kind: text("kind").notNull(),
    memo: text("memo"),
    idempotencyKey: text("idempotency_key").unique(),
    orderId: bigint("order_id", { mode: "number" }),
    depositId: bigint("deposit_id", { mode: "number" }),
    withdrawalId: bigint("withdrawal_id", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("journals_created_idx").on(t.createdAt)],
);

export const journalEntries = bitcoim.table(
  "journal_entries",
  {
    id: id(),
    journalId: bigint("journal_id", { mode: "number" })
      .notNull()
      .references(() => journals.id),
    accountId: bigint("account_id", { mode: "number" })
      .notNull()
      .references(() => ledgerAccounts.id),
    amount: sats("amount").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("journal_entries_nonzero", sql`${t.amount} <> 0`),
    index("journal_entries_journal_idx").on(t.journalId),
    index("journal_entries_account_idx").on(t.accountId, t.id),
  ],
);

export const paymentOrders = bitcoim.table(
  "payment_orders",
  {
    id: id(),
    code: text("code").notNull(),
    senderId: bigint("sender_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    recipientUserId: bigint("recipient_user_id", { mode: "number" }).references(() => users.id),
    recipientAddress: text("recipient_address"),
    amount: sats("amount").notNull(),
    comment: text("comment"),
    fee: sats("fee"),
    status: text("status", { enum: orderStatuses }).notNull().default("pending"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    executedAt: at("executed_at"),
    txid: text("txid"),
  },
  (t) => [
    oneOf("payment_orders_status", t.status, orderStatuses),
    check("payment_orders_positive", sql`${t.amount} > 0`),
    check(
      "payment_orders_one_recipient",
      sql`(${t.recipientUserId} IS NULL) <> (${t.recipientAddress} IS NULL)`,
    ),
    check("payment_orders_code_form", sql`${t.code} ~ '^[a-z0-9]{4}$'`),
    uniqueIndex("payment_orders_pending_code_idx")
      .on(t.senderId, t.code)
      .where(sql`${t.status} = 'pending'`),
    index("payment_orders_sender_idx").on(t.senderId, t.status),
    // "Already paid" answers look a code up among all of a sender's orders.
    index("payment_orders_sender_code_idx").on(t.senderId, t.code, t.id),
    index("payment_orders_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * The exact network fee an on-chain order was quoted before `confirm`
 * (docs/behaviour.md §7): the funding it was read from, at its rate. The
 * payment spends the same coins when they are still there, and is never
 * sent for more than this fee; a new quote replaces the old one.
 */
export const feeQuotes = bitcoim.table(
  "fee_quotes",
  {
    orderId: bigint("order_id", { mode: "number" })
      .primaryKey()
      .references(() => paymentOrders.id),
    fee: sats("fee").notNull(),
    /** sat/vB. */
    rate: sats("rate").notNull(),
    /** The funded, unsigned transaction the fee was read from: its coins. */
    draft: text("draft").notNull(),
    quotedAt: createdAt("quoted_at"),
  },
  (t) => [
    check("fee_quotes_fee_not_negative", sql`${t.fee} >= 0`),
    check("fee_quotes_rate_positive", sql`${t.rate} > 0`),
  ],
);

export const deposits = bitcoim.table(
  "deposits",
  {
    id: id(),
    txid: text("txid").notNull(),
    vout: integer("vout").notNull(),
    address: text("address")
      .notNull()
      .references(() => depositAddresses.address),
    amount: sats("amount").notNull(),
    confirmations: integer("confirmations").notNull().default(0),
    blockHash: text("block_hash"),
    state: text("state", { enum: depositStates }).notNull().default("seen"),
    /** Incremented on every credit, so each credit/reversal journal has its own idempotency key. */
    generation: integer("generation").notNull().default(0),
    firstSeenAt: createdAt("first_seen_at"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("deposits_state", t.state, depositStates),
    uniqueIndex("deposits_outpoint_idx").on(t.txid, t.vout),
    check("deposits_positive", sql`${t.amount} > 0`),
    check("deposits_vout", sql`${t.vout} >= 0`),
    index("deposits_address_idx").on(t.address),
  ],
);

export const withdrawals = bitcoim.table(
  "withdrawals",
  {
    id: id(),
    orderId: bigint("order_id", { mode: "number" }).references(() => paymentOrders.id),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    address: text("address").notNull(),
    amount: sats("amount").notNull(),
    /** The most the user agreed to pay in fees; reserved with the amount. */
    maxFee: sats("max_fee").notNull(),
    feeRate: text("fee_rate").notNull(),
    fee: sats("fee"),
    state: text("state", { enum: withdrawalStates }).notNull().default("intent"),
    /** Known before the broadcast when the send is built in steps. */
    txid: text("txid"),
    /**
     * The funded transaction before signing, kept from before the broadcast:
     * which coins it holds, so that a send found unsent can give them back.
     * Unsigned, so nobody can broadcast it from a copy of the database.
     */
    rawTx: text("raw_tx"),
    /**
     * When the payer was told this txid confirmed: kept through a
     * reorganisation that takes it back, so that its mining again is not
     * announced twice; cleared when a replacement paying the same takes over.
     */
    confirmedAt: at("confirmed_at"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    oneOf("withdrawals_state", t.state, withdrawalStates),
    check("withdrawals_positive", sql`${t.amount} > 0 AND ${t.maxFee} >= 0`),
    index("withdrawals_unfinished_idx").on(t.state).where(sql`${t.state} = 'intent'`),
  ],
);

export const onlineResources = bitcoim.table(
  "online_resources",
  {
    jid: text("jid").notNull(),
    resource: text("resource").notNull(),
    since: createdAt("since"),
  },
  (t) => [primaryKey({ columns: [t.jid, t.resource] })],
);

/**
 * Multi-step ad-hoc command sessions (XEP-0050 §3.4), shared by every
 * gateway process: a server may hand each step to another process. `step`
 * counts the steps taken, so that two answers to one step cannot both win.
 */
export const commandSessions = bitcoim.table(
  "command_sessions",
  {
    id: text("id").primaryKey(),
    /** The bare JID that started it; nobody else may continue it. */
    jid: text("jid").notNull(),
    node: text("node").notNull(),
    /** The JID the command runs at (the gateway, an address, a user). */
    target: text("target").notNull(),
    step: integer("step").notNull().default(0),
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: at("expires_at").notNull(),
    endedAt: at("ended_at"),
    createdAt: createdAt(),
  },
  (t) => [index("command_sessions_expiry_idx").on(t.expiresAt)],
);

export const chainCursor = bitcoim.table("chain_cursor", {
  /** One cursor per wallet, so one database can follow several wallets. */
  wallet: text("wallet").primaryKey(),
  blockHash: text("block_hash"),
  height: integer("height"),
  updatedAt: at("updated_at").notNull().defaultNow(),
});
