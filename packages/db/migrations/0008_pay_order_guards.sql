-- pay_order (0007), stricter: it pays only the order's own recipient and
-- never its sender (a caller passing the wrong user is a bug, and fails
-- loudly with nothing changed), and a transfer that answers nothing counts
-- as refused, not as paid.
CREATE OR REPLACE FUNCTION "bitcoim"."pay_order"(p_order bigint, p_to bigint, p_now timestamptz)
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
  IF p_to = v_order.sender_id
     OR (v_order.recipient_user_id IS NOT NULL AND v_order.recipient_user_id <> p_to) THEN
    RAISE EXCEPTION 'pay_order: order % does not pay user %', p_order, p_to;
  END IF;
  SELECT t.outcome, t.reason INTO v_outcome, v_reason
    FROM "bitcoim"."transfer"(v_order.sender_id, p_to, v_order.amount, v_order.comment,
                              'order:' || v_order.id, v_order.id) t;
  IF v_outcome IS NULL OR v_outcome NOT IN ('posted', 'duplicate') THEN
    RAISE EXCEPTION USING ERRCODE = 'BM001';
  END IF;
  SELECT a.balance INTO v_balance FROM "bitcoim"."ledger_accounts" a
    WHERE a.user_id = v_order.sender_id AND a.kind = 'user';
  RETURN QUERY SELECT v_outcome, NULL::text, v_balance;
EXCEPTION WHEN SQLSTATE 'BM001' THEN
  -- The block's changes (the claim) are rolled back; the order stays pending.
  RETURN QUERY SELECT coalesce(v_outcome, 'no_outcome'), v_reason, NULL::bigint;
END
$$;
