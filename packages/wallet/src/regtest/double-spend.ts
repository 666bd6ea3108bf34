import type { RpcBitcoinNode } from "../node/index.js";

/**
 * Mines, in place of `txid` (a transaction of `wallet` still in the
 * mempool, its first input confirmed), a block holding another transaction
 * of `wallet` that spends that input to `outputs` — a double spend, as a
 * payer or a fee bump would make one. Uses standard RPCs only
 * (`generateblock`), so it works against Bitcoin Core too. Returns the new txid.
 */
export async function mineDoubleSpend(
  wallet: RpcBitcoinNode,
  txid: string,
  outputs: Record<string, string>[],
): Promise<string> {
  const { hex } = await wallet.getTransaction(txid);
  const [input] = (await wallet.decodeRawTransaction(hex)).inputs;
  const draft = await wallet.call("createrawtransaction", [[input], outputs]);
  const signed = await wallet.signRawTransactionWithWallet(draft as string);
  if (!signed.complete) throw new Error(`cannot sign a double spend of ${txid}: ${signed.errors}`);
  const [miner] = Object.keys(outputs[0] ?? {});
  await wallet.call("generateblock", [miner, [signed.hex]]);
  return (await wallet.decodeRawTransaction(signed.hex)).txid;
}
