-- A user's money in one call, asked on every command and every presence:
-- spendable, owed after a reorg, deposits seen but not confirmed, and what
-- on-chain sends hold in flight. SQL-language and STABLE, so it inlines.
CREATE FUNCTION "bitcoim"."user_balance"(p_user bigint)
RETURNS TABLE (confirmed bigint, receivable bigint, pending bigint, in_flight bigint)
LANGUAGE sql STABLE AS $$
  SELECT
    coalesce((SELECT balance FROM "bitcoim"."ledger_accounts"
              WHERE user_id = p_user AND kind = 'user'), 0),
    coalesce((SELECT balance FROM "bitcoim"."ledger_accounts"
              WHERE user_id = p_user AND kind = 'reorg_receivable'), 0),
    coalesce((SELECT sum(d.amount) FROM "bitcoim"."deposits" d
              JOIN "bitcoim"."deposit_addresses" a ON a.address = d.address
              WHERE a.user_id = p_user AND d.state = 'seen' AND d.confirmations >= 0), 0)::bigint,
    coalesce((SELECT sum(amount + max_fee) FROM "bitcoim"."withdrawals"
              WHERE user_id = p_user AND state = 'intent'), 0)::bigint
$$;
