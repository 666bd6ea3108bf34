CREATE SCHEMA IF NOT EXISTS "bitcoim";
--> statement-breakpoint
CREATE TABLE "bitcoim"."chain_cursor" (
	"wallet" text PRIMARY KEY NOT NULL,
	"block_hash" text,
	"height" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."deposit_addresses" (
	"address" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"label" text NOT NULL,
	"address_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."deposits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."deposits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"txid" text NOT NULL,
	"vout" integer NOT NULL,
	"address" text NOT NULL,
	"amount" bigint NOT NULL,
	"confirmations" integer DEFAULT 0 NOT NULL,
	"block_hash" text,
	"state" text DEFAULT 'seen' NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposits_state" CHECK ("bitcoim"."deposits"."state" IN ('seen', 'credited', 'reversed', 'ignored')),
	CONSTRAINT "deposits_positive" CHECK ("bitcoim"."deposits"."amount" > 0),
	CONSTRAINT "deposits_vout" CHECK ("bitcoim"."deposits"."vout" >= 0)
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."journal_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."journal_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"journal_id" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_entries_nonzero" CHECK ("bitcoim"."journal_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."journals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."journals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"memo" text,
	"idempotency_key" text,
	"order_id" bigint,
	"deposit_id" bigint,
	"withdrawal_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journals_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."ledger_accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."ledger_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"user_id" bigint,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_kind" CHECK ("bitcoim"."ledger_accounts"."kind" IN ('user', 'reorg_receivable', 'wallet_inflow', 'wallet_outflow', 'sends_in_flight', 'network_fees')),
	CONSTRAINT "ledger_accounts_user_not_negative" CHECK ("bitcoim"."ledger_accounts"."kind" <> 'user' OR "bitcoim"."ledger_accounts"."balance" >= 0),
	CONSTRAINT "ledger_accounts_owner" CHECK (("bitcoim"."ledger_accounts"."kind" IN ('user', 'reorg_receivable')) = ("bitcoim"."ledger_accounts"."user_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."online_resources" (
	"jid" text NOT NULL,
	"resource" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "online_resources_jid_resource_pk" PRIMARY KEY("jid","resource")
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."payment_orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."payment_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"sender_id" bigint NOT NULL,
	"recipient_user_id" bigint,
	"recipient_address" text,
	"amount" bigint NOT NULL,
	"comment" text,
	"fee" bigint,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"executed_at" timestamp with time zone,
	"txid" text,
	CONSTRAINT "payment_orders_status" CHECK ("bitcoim"."payment_orders"."status" IN ('pending', 'executing', 'paid', 'cancelled', 'expired', 'failed', 'refunded')),
	CONSTRAINT "payment_orders_positive" CHECK ("bitcoim"."payment_orders"."amount" > 0),
	CONSTRAINT "payment_orders_one_recipient" CHECK (("bitcoim"."payment_orders"."recipient_user_id" IS NULL) <> ("bitcoim"."payment_orders"."recipient_address" IS NULL)),
	CONSTRAINT "payment_orders_code_form" CHECK ("bitcoim"."payment_orders"."code" ~ '^[a-z0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"jid" text NOT NULL,
	"username" text NOT NULL,
	"username_key" text NOT NULL,
	"language" text,
	"payments_blocked" boolean DEFAULT false NOT NULL,
	"blocked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_jid_unique" UNIQUE("jid"),
	CONSTRAINT "users_username_key_unique" UNIQUE("username_key"),
	CONSTRAINT "users_username_not_blank" CHECK (btrim("bitcoim"."users"."username") <> '')
);
--> statement-breakpoint
CREATE TABLE "bitcoim"."withdrawals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bitcoim"."withdrawals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" bigint,
	"user_id" bigint NOT NULL,
	"address" text NOT NULL,
	"amount" bigint NOT NULL,
	"max_fee" bigint NOT NULL,
	"fee_rate" text NOT NULL,
	"fee" bigint,
	"state" text DEFAULT 'intent' NOT NULL,
	"txid" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withdrawals_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "withdrawals_state" CHECK ("bitcoim"."withdrawals"."state" IN ('intent', 'sent', 'confirmed', 'refunded', 'failed')),
	CONSTRAINT "withdrawals_positive" CHECK ("bitcoim"."withdrawals"."amount" > 0 AND "bitcoim"."withdrawals"."max_fee" >= 0)
);
--> statement-breakpoint
ALTER TABLE "bitcoim"."deposit_addresses" ADD CONSTRAINT "deposit_addresses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "bitcoim"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."deposits" ADD CONSTRAINT "deposits_address_deposit_addresses_address_fk" FOREIGN KEY ("address") REFERENCES "bitcoim"."deposit_addresses"("address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."journal_entries" ADD CONSTRAINT "journal_entries_journal_id_journals_id_fk" FOREIGN KEY ("journal_id") REFERENCES "bitcoim"."journals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."journal_entries" ADD CONSTRAINT "journal_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bitcoim"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "bitcoim"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."payment_orders" ADD CONSTRAINT "payment_orders_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "bitcoim"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."payment_orders" ADD CONSTRAINT "payment_orders_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "bitcoim"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."withdrawals" ADD CONSTRAINT "withdrawals_order_id_payment_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "bitcoim"."payment_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitcoim"."withdrawals" ADD CONSTRAINT "withdrawals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "bitcoim"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deposit_addresses_user_idx" ON "bitcoim"."deposit_addresses" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deposits_outpoint_idx" ON "bitcoim"."deposits" USING btree ("txid","vout");--> statement-breakpoint
CREATE INDEX "deposits_address_idx" ON "bitcoim"."deposits" USING btree ("address");--> statement-breakpoint
CREATE INDEX "journal_entries_journal_idx" ON "bitcoim"."journal_entries" USING btree ("journal_id");--> statement-breakpoint
CREATE INDEX "journal_entries_account_idx" ON "bitcoim"."journal_entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "journals_created_idx" ON "bitcoim"."journals" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_user_kind_idx" ON "bitcoim"."ledger_accounts" USING btree ("kind","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_system_idx" ON "bitcoim"."ledger_accounts" USING btree ("kind") WHERE "bitcoim"."ledger_accounts"."user_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_pending_code_idx" ON "bitcoim"."payment_orders" USING btree ("sender_id","code") WHERE "bitcoim"."payment_orders"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "payment_orders_sender_idx" ON "bitcoim"."payment_orders" USING btree ("sender_id","status");--> statement-breakpoint
CREATE INDEX "payment_orders_expiry_idx" ON "bitcoim"."payment_orders" USING btree ("expires_at") WHERE "bitcoim"."payment_orders"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "withdrawals_unfinished_idx" ON "bitcoim"."withdrawals" USING btree ("state") WHERE "bitcoim"."withdrawals"."state" = 'intent';