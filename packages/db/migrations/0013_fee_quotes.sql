-- The exact network fee quoted for an on-chain order before confirm
-- (docs/behaviour.md §7), and the funding it was read from.
CREATE TABLE "bitcoim"."fee_quotes" (
	"order_id" bigint PRIMARY KEY NOT NULL,
	"fee" bigint NOT NULL,
	"rate" bigint NOT NULL,
	"draft" text NOT NULL,
	"quoted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_quotes_fee_not_negative" CHECK ("bitcoim"."fee_quotes"."fee" >= 0),
	CONSTRAINT "fee_quotes_rate_positive" CHECK ("bitcoim"."fee_quotes"."rate" > 0)
);
--> statement-breakpoint
ALTER TABLE "bitcoim"."fee_quotes" ADD CONSTRAINT "fee_quotes_order_id_payment_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "bitcoim"."payment_orders"("id") ON DELETE no action ON UPDATE no action;