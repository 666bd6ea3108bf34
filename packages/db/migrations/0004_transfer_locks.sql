-- Transfers lock both users' rows (FOR SHARE) and pay only registered users:
-- a block set concurrently is seen rather than raced, and money never lands
-- in the account of someone who has just unregistered (unregistering locks
-- the same row FOR UPDATE, so the two wait for each other).
CREATE OR REPLACE FUNCTION "bitcoim"."transfer"(
  p_from bigint, p_to bigint, p_amount bigint, p_memo text, p_key text, p_order bigint
) RETURNS TABLE (journal_id bigint, outcome text, reason text) LANGUAGE plpgsql AS $$
DECLARE
  v_from bigint;
  v_to bigint;
  v_blocked boolean;
  v_reason text;
  v_journal bigint;
BEGIN
  SELECT a.id, u.payments_blocked, u.blocked_reason INTO v_from, v_blocked, v_reason
    FROM "bitcoim"."users" u
    JOIN "bitcoim"."ledger_accounts" a ON a.user_id = u.id AND a.kind = 'user'
    WHERE u.id = p_from
    FOR SHARE OF u;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::bigint, 'sender_not_found'::text, NULL::text;
    RETURN;
  END IF;
  SELECT a.id INTO v_to
    FROM "bitcoim"."users" u
    JOIN "bitcoim"."ledger_accounts" a ON a.user_id = u.id AND a.kind = 'user'
    WHERE u.id = p_to AND u.unregistered_at IS NULL
    FOR SHARE OF u;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::bigint, 'recipient_not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_blocked THEN
    RETURN QUERY SELECT NULL::bigint, 'blocked'::text, v_reason;
    RETURN;
  END IF;
  INSERT INTO "bitcoim"."journals" (kind, memo, idempotency_key, order_id)
    VALUES ('transfer', p_memo, p_key, p_order)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_journal;
  IF v_journal IS NULL THEN
    SELECT j.id INTO v_journal FROM "bitcoim"."journals" j WHERE j.idempotency_key = p_key;
    RETURN QUERY SELECT v_journal, 'duplicate'::text, NULL::text;
    RETURN;
  END IF;
  -- In account order, so that concurrent transfers lock accounts alike and cannot deadlock.
  INSERT INTO "bitcoim"."journal_entries" (journal_id, account_id, amount)
    SELECT v_journal, e.account, e.amount
    FROM (VALUES (v_from, -p_amount), (v_to, p_amount)) AS e(account, amount)
    ORDER BY e.account;
  RETURN QUERY SELECT v_journal, 'posted'::text, NULL::text;
END
$$;
