-- confirm by chat in one round trip (docs/architecture.md §5.4): the sender
-- is found by bare JID, the contact written to (if any) by username key,
-- and the sender's order with this code is paid by pay_order_by_code (0012),
-- so pay_order's claim stays the only one. No row when the JID is not a
-- registered user. Otherwise one row: the sender, the contact and the
-- order's payee as JSON (the contact null when none has that name: then
-- nothing is paid), and pay_order_by_code's answer, all null (the payee too)
-- when it had no such order to pay.
CREATE FUNCTION "bitcoim"."pay_order_as"(p_jid text, p_code text, p_to_key text, p_now timestamptz)
RETURNS TABLE (
  sender jsonb, target jsonb, payee jsonb,
  outcome text, reason text, sender_balance bigint,
  o_id bigint, o_code text, o_sender_id bigint, o_recipient_user_id bigint,
  o_recipient_address text, o_amount bigint, o_comment text, o_fee bigint, o_status text,
  o_created_at timestamptz, o_expires_at timestamptz, o_executed_at timestamptz, o_txid text
) LANGUAGE plpgsql AS $$
DECLARE
  v_sender "bitcoim"."users";
  v_target "bitcoim"."users";
  v_to bigint;
BEGIN
  SELECT * INTO v_sender FROM "bitcoim"."users" u
    WHERE u.jid = p_jid AND u.unregistered_at IS NULL;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF p_to_key IS NOT NULL THEN
    -- Unregistered users have no key: a name nobody holds matches no order (-1).
    SELECT * INTO v_target FROM "bitcoim"."users" u WHERE u.username_key = p_to_key;
    v_to := coalesce(v_target.id, -1);
  END IF;
  RETURN QUERY SELECT to_jsonb(v_sender),
      CASE WHEN v_target.id IS NULL THEN NULL ELSE to_jsonb(v_target) END,
      (SELECT to_jsonb(u) FROM "bitcoim"."users" u WHERE u.id = p.o_recipient_user_id),
      p.*
    FROM (SELECT 1) AS one
    LEFT JOIN "bitcoim"."pay_order_by_code"(v_sender.id, p_code, v_to, p_now) p ON true;
END
$$;
