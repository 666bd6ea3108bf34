-- Confirming an order to one of our users in one call: the order leaves
-- `pending` and the money moves together, or neither happens. The claim is
-- conditional (still pending, not expired), so of racing confirms one pays
-- and the others find it gone; a refused transfer (sender or recipient
-- gone, payments blocked) undoes the claim and says why; a balance that
-- would go negative aborts the whole call (ledger_accounts_user_not_negative).
-- One statement instead of BEGIN, UPDATE, SELECT transfer(), COMMIT: the
-- hot path of every internal payment. It also answers the payer's
-- spendable balance after it, which the payer is told at once.
CREATE FUNCTION "bitcoim"."pay_order"(p_order bigint, p_to bigint, p_now timestamptz)
RETURNS TABLE (outcome text, reason text, sender_balance bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_order "bitcoim"."payment_orders";
  v_outcome text;
  v_reason text;
  v_balance bigint;
BEGIN
  UPDATE "bitcoim"."payment_orders"
    SET status = 'paid', executed_at = p_now, fee = 0
    WHERE id = p_order AND status = 'pending' AND expires_at > p_now
    RETURNING * INTO v_order;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'gone'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  SELECT t.outcome, t.reason INTO v_outcome, v_reason
    FROM "bitcoim"."transfer"(v_order.sender_id, p_to, v_order.amount, v_order.comment,
                              'order:' || v_order.id, v_order.id) t;
  IF v_outcome NOT IN ('posted', 'duplicate') THEN
    RAISE EXCEPTION USING ERRCODE = 'BM001';
  END IF;
  SELECT a.balance INTO v_balance FROM "bitcoim"."ledger_accounts" a
    WHERE a.user_id = v_order.sender_id AND a.kind = 'user';
  RETURN QUERY SELECT v_outcome, NULL::text, v_balance;
EXCEPTION WHEN SQLSTATE 'BM001' THEN
  -- The block's changes (the claim) are rolled back; the order stays pending.
  RETURN QUERY SELECT v_outcome, v_reason, NULL::bigint;
END
$$;
