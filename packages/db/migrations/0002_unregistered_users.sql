ALTER TABLE "bitcoim"."users" ALTER COLUMN "username_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bitcoim"."users" ADD COLUMN "unregistered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bitcoim"."users" ADD CONSTRAINT "users_active_have_key" CHECK (("bitcoim"."users"."unregistered_at" IS NULL) = ("bitcoim"."users"."username_key" IS NOT NULL));