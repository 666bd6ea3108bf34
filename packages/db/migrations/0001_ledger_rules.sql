-- Ledger rules the database enforces itself (docs/architecture.md §5.2),
-- so no code path can skip them: journals balance, entries are append-only,
-- and cached balances move in the same transaction as their entries.

CREATE FUNCTION "bitcoim"."journal_must_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
BEGIN
  SELECT coalesce(sum(amount), 0) INTO total
    FROM "bitcoim"."journal_entries" WHERE journal_id = NEW.journal_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'journal % is unbalanced: its entries sum to % sat, not 0', NEW.journal_id, total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_balanced';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Deferred to commit: a journal's entries are inserted one statement at a time.
CREATE CONSTRAINT TRIGGER "journal_entries_balanced"
  AFTER INSERT ON "bitcoim"."journal_entries"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "bitcoim"."journal_must_balance"();
--> statement-breakpoint
CREATE FUNCTION "bitcoim"."ledger_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused; book a correcting journal instead', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_entries_append_only"
  BEFORE UPDATE OR DELETE ON "bitcoim"."journal_entries"
  FOR EACH ROW EXECUTE FUNCTION "bitcoim"."ledger_is_append_only"();
--> statement-breakpoint
CREATE TRIGGER "journals_append_only"
  BEFORE UPDATE OR DELETE ON "bitcoim"."journals"
  FOR EACH ROW EXECUTE FUNCTION "bitcoim"."ledger_is_append_only"();
--> statement-breakpoint
-- The balance CHECK on user accounts fires here, inside the inserting statement.
CREATE FUNCTION "bitcoim"."entry_moves_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "bitcoim"."ledger_accounts" SET balance = balance + NEW.amount WHERE id = NEW.account_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_entries_move_balance"
  AFTER INSERT ON "bitcoim"."journal_entries"
  FOR EACH ROW EXECUTE FUNCTION "bitcoim"."entry_moves_balance"();
--> statement-breakpoint
INSERT INTO "bitcoim"."ledger_accounts" (kind) VALUES
  ('wallet_inflow'), ('wallet_outflow'), ('sends_in_flight'), ('network_fees');
