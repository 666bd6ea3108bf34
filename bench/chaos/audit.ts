/**
 * The chaos run's audit, from outside the gateway: its database read
 * directly, and Bitcoin Core's own view of the wallet. Nothing here uses the
 * gateway's code, so a bug there cannot hide itself.
 */
import type { RpcBitcoinNode } from "@bitcoim/wallet";
import postgres from "postgres";

export interface AuditFigures {
  userBalances: bigint;
  coreDeposits: bigint;
  coreSent: bigint;
  coreFees: bigint;
  feesCharged: bigint;
  walletTrusted: bigint;
  /** userBalances + coreSent + feesCharged − coreDeposits: 0 when nothing was lost or made. */
  drift: bigint;
  doublePayments: number;
  doubleSends: number;
  unfinished: number;
  disagreeing: string[];
  payments: number;
  onChainSends: number;
}

const sats = (btc: number | string) => BigInt(Math.round(Number(btc) * 1e8));

export async function auditFromOutside(dbUrl: string, gw: RpcBitcoinNode): Promise<AuditFigures> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [balances] = await sql`
      SELECT coalesce(sum(e.amount), 0)::text AS total FROM bitcoim.journal_entries e
      JOIN bitcoim.ledger_accounts a ON a.id = e.account_id WHERE a.kind = 'user'`;
    const addresses = new Set(
      (await sql`SELECT address FROM bitcoim.deposit_addresses`).map((r) => r.address as string),
    );
    const received = (await gw.call("listreceivedbyaddress", [1, false, false])) as {
      address: string;
      amount: number;
    }[];
    const coreDeposits = received
      .filter((r) => addresses.has(r.address))
      .reduce((s, r) => s + sats(r.amount), 0n);

    const entries = (await gw.call("listtransactions", ["*", 1_000_000, 0, false])) as {
      category: string;
      address?: string;
      amount: number;
      fee?: number;
      txid: string;
      confirmations: number;
    }[];
    const sends = entries.filter((e) => e.category === "send" && e.confirmations > 0);
    const coreSent = sends.reduce((s, e) => s - sats(e.amount), 0n);
    const fees = new Map(sends.map((e) => [e.txid, -sats(e.fee ?? 0)]));
    const coreFees = [...fees.values()].reduce((s, f) => s + f, 0n);
    const [charged] = await sql`
      SELECT coalesce(sum(fee), 0)::text AS total FROM bitcoim.withdrawals WHERE state = 'confirmed'`;
    const feesCharged = BigInt(charged!.total as string);

    const orders = await sql`
      SELECT o.id, o.code, o.status, o.recipient_address, o.recipient_user_id, o.txid,
        (SELECT count(*) FROM bitcoim.journals j
          WHERE j.order_id = o.id AND j.withdrawal_id IS NULL)::int AS transfers,
        (SELECT count(*) FROM bitcoim.withdrawals w WHERE w.order_id = o.id)::int AS withdrawals,
        (SELECT w.state FROM bitcoim.withdrawals w WHERE w.order_id = o.id LIMIT 1) AS wstate
      FROM bitcoim.payment_orders o`;
    const disagreeing: string[] = [];
    let doublePayments = 0;
    let unfinished = 0;
    let payments = 0;
    const paidTo = new Map<string, number>();
    for (const o of orders) {
      const at = `order ${o.code} (${o.status})`;
      if (o.status === "pending" || o.status === "executing") unfinished++;
      if (o.transfers > 1) doublePayments++;
      if (o.withdrawals > 1) doublePayments++;
      if (o.recipient_user_id !== null) {
        if ((o.status === "paid") !== (o.transfers === 1))
          disagreeing.push(`${at}: transfers ${o.transfers}`);
      } else if (o.recipient_address !== null) {
        const address = o.recipient_address as string;
        if (o.status === "paid") paidTo.set(address, (paidTo.get(address) ?? 0) + 1);
        const sent = o.wstate === "confirmed";
        if ((o.status === "paid") !== sent) {
          disagreeing.push(`${at}: withdrawal ${o.wstate}${await coreView(gw, o.txid)}`);
        }
      }
      if (o.status === "paid") payments++;
    }
    // Every confirmed send of the wallet pays exactly one paid order, once.
    const sentTo = new Map<string, number>();
    for (const e of sends) sentTo.set(e.address ?? "", (sentTo.get(e.address ?? "") ?? 0) + 1);
    let doubleSends = 0;
    for (const [address, n] of sentTo) {
      const expected = paidTo.get(address) ?? 0;
      if (n > expected) doubleSends += n - expected;
      if (n < expected) disagreeing.push(`${address}: ${expected} paid orders, ${n} sends`);
    }
    for (const [address, n] of paidTo) {
      if (!sentTo.has(address)) disagreeing.push(`${address}: ${n} paid orders, no send`);
    }
    const userBalances = BigInt(balances!.total as string);
    const wallet = (await gw.call("getbalances", [])) as { mine: { trusted: number } };
    return {
      userBalances,
      coreDeposits,
      coreSent,
      coreFees,
      feesCharged,
      walletTrusted: sats(wallet.mine.trusted),
      drift: userBalances + coreSent + feesCharged - coreDeposits,
      doublePayments,
      doubleSends,
      unfinished,
      disagreeing,
      payments,
      onChainSends: sends.length,
    };
  } finally {
    await sql.end();
  }
}

/** What Core says of a send the gateway has not seen through: the finding's first clue. */
async function coreView(gw: RpcBitcoinNode, txid: string | null): Promise<string> {
  if (!txid) return ", no txid";
  const tx = (await gw.call("gettransaction", [txid]).catch((e: Error) => e)) as
    | Error
    | { confirmations: number; walletconflicts: string[]; hex: string };
  if (tx instanceof Error) return `, ${txid}: ${tx.message}`;
  const inMempool = await gw.call("getmempoolentry", [txid]).then(
    () => "in mempool",
    async () => {
      const [test] = (await gw.call("testmempoolaccept", [[tx.hex]])) as {
        "reject-reason"?: string;
      }[];
      return `not in mempool (${test?.["reject-reason"] ?? "it would be accepted"})`;
    },
  );
  return `, ${txid}: ${tx.confirmations} confirmations, ${inMempool}, conflicts [${tx.walletconflicts.join(" ")}]`;
}

/** Orders not in a final state yet, and sends not confirmed yet: the run settles until there are none. */
export async function unsettled(dbUrl: string): Promise<number> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`
      SELECT (SELECT count(*) FROM bitcoim.payment_orders WHERE status IN ('pending', 'executing'))
        + (SELECT count(*) FROM bitcoim.withdrawals WHERE state IN ('intent', 'sent')) AS n`;
    return Number(row!.n);
  } finally {
    await sql.end();
  }
}

/**
 * Whether the deposit scan has reached the node's tip: the audit compares
 * the books with Core only then, so that a scan still catching up is told
 * apart from one that stopped.
 */
export async function scanCaughtUp(dbUrl: string, gw: RpcBitcoinNode): Promise<boolean> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const tip = (await gw.getBlockchainInfo()).bestBlockHash;
    const rows = await sql`SELECT block_hash FROM bitcoim.chain_cursor`;
    return rows.length > 0 && rows.every((r) => r.block_hash === tip);
  } finally {
    await sql.end();
  }
}
