CREATE TABLE "bitcoim"."command_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"jid" text NOT NULL,
	"node" text NOT NULL,
	"target" text NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "command_sessions_expiry_idx" ON "bitcoim"."command_sessions" USING btree ("expires_at");