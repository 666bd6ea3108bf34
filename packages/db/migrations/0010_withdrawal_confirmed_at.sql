ALTER TABLE "bitcoim"."withdrawals" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
-- Sends confirmed before this column: their payers were told then.
UPDATE "bitcoim"."withdrawals" SET "confirmed_at" = "updated_at" WHERE "state" = 'confirmed';
