-- confirm's common case in one round trip (docs/architecture.md §5.4): the
-- sender's pending, unexpired order with this code, paying a user (the one
-- written to, when p_to is given), is paid by pay_order (0007, 0008), whose
-- claim stays the only one. Anything else (no such order, expired, paying
-- an address or another user) returns no row and changes nothing: the
-- caller then reads the order to say why. The row returned is the order as
-- it was before the claim.
CREATE FUNCTION "bitcoim"."pay_order_by_code"(p_sender bigint, p_code text, p_to bigint, p_now timestamptz)
RETURNS TABLE (
  outcome text, reason text, sender_balance bigint,
  o_id bigint, o_code text, o_sender_id bigint, o_recipient_user_id bigint,
  o_recipient_address text, o_amount bigint, o_comment text, o_fee bigint, o_status text,
  o_created_at timestamptz, o_expires_at timestamptz, o_executed_at timestamptz, o_txid text
) LANGUAGE plpgsql AS $$
DECLARE
  v_order "bitcoim"."payment_orders";
BEGIN
  SELECT * INTO v_order FROM "bitcoim"."payment_orders" o
    WHERE o.sender_id = p_sender AND o.code = p_code AND o.status = 'pending';
  IF NOT FOUND OR v_order.expires_at <= p_now OR v_order.recipient_user_id IS NULL
     OR v_order.recipient_user_id <> coalesce(p_to, v_order.recipient_user_id) THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT p.outcome, p.reason, p.sender_balance,
      v_order.id, v_order.code, v_order.sender_id, v_order.recipient_user_id,
      v_order.recipient_address, v_order.amount, v_order.comment, v_order.fee, v_order.status,
      v_order.created_at, v_order.expires_at, v_order.executed_at, v_order.txid
    FROM "bitcoim"."pay_order"(v_order.id, v_order.recipient_user_id, p_now) p;
END
$$;
