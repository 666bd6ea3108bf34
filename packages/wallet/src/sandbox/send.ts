/**
 * Building a wallet payment like Core's CreateTransaction, simplified: largest
 * coins first, fee from Core's worst-case size estimate at a fixed rate,
 * change dropped into the fee when it would be dust, real signatures.
 */
import { dustThreshold } from "./address.js";
import type { Chain } from "./chain.js";
import { spendableCoins } from "./coins.js";
import { RPC, RpcError } from "./errors.js";
import type { KeyRecord } from "./keys.js";
import { signTransaction } from "./sign.js";
import { type ChainTx, outpointKey, parseTx } from "./tx.js";
import type { Coin, Wallet } from "./wallet.js";

export interface Recipient {
  readonly script: string;
  readonly value: bigint;
  readonly subtractFee: boolean;
}

export interface PaymentRequest {
  readonly recipients: readonly Recipient[];
  /** Satoshis per 1000 virtual bytes. */
  readonly feeRatePerKvB: bigint;
  readonly replaceable: boolean;
  /** Unix seconds, recorded as the time the transaction was first seen. */
  readonly time: number;
  /** Coins to spend whatever else is chosen (Core's preset inputs), locked or not. */
  readonly preset?: readonly Coin[];
  /** With preset coins: whether others may be added (Core's `add_inputs`). */
  readonly addInputs?: boolean;
}

/** Weight of spending one input, with Core's worst-case 72-byte signatures. */
const INPUT_WEIGHT: Record<KeyRecord["type"], number> = {
  legacy: 148 * 4,
  "p2sh-segwit": 64 * 4 + 108,
  bech32: 41 * 4 + 108,
  bech32m: 41 * 4 + 66,
};
/** A script of each change type, for its size and dust threshold. */
const CHANGE_SHAPE: Record<KeyRecord["type"], string> = {
  legacy: `76a914${"00".repeat(20)}88ac`,
  "p2sh-segwit": `a914${"00".repeat(20)}87`,
  bech32: `0014${"00".repeat(20)}`,
  bech32m: `5120${"00".repeat(32)}`,
};

/**
 * Core's TransactionChangeType for a wallet with every descriptor type:
 * change looks like a recipient (taproot first, then P2WPKH, P2SH, P2PKH),
 * and is taproot when no recipient is one of these (P2WSH, say).
 */
function changeType(recipients: readonly Recipient[]): KeyRecord["type"] {
  const any = (pattern: RegExp) => recipients.some((r) => pattern.test(r.script));
  if (any(/^5120[0-9a-f]{64}$/)) return "bech32m";
  if (any(/^0014[0-9a-f]{40}$/)) return "bech32";
  if (any(/^a914[0-9a-f]{40}87$/)) return "p2sh-segwit";
  if (any(/^76a914[0-9a-f]{40}88ac$/)) return "legacy";
  return "bech32m";
}

const varIntBytes = (n: number) => (n < 253 ? 1 : n <= 0xffff ? 3 : 5);
const outputWeight = (scriptBytes: number) => (8 + varIntBytes(scriptBytes) + scriptBytes) * 4;

function feeFor(weight: number, ratePerKvB: bigint): bigint {
  const vsize = BigInt(Math.ceil(weight / 4));
  return (ratePerKvB * vsize + 999n) / 1000n;
}

/** What the payment does with the selected coins. */
interface Plan {
  /** Taken from the recipients that subtract the fee. */
  readonly deduct: bigint;
  readonly change: bigint;
}

/** A payment's coins and outputs before signing: what `fundrawtransaction` answers. */
export interface FundedPayment {
  readonly coins: readonly Coin[];
  readonly outputs: readonly { script: string; value: bigint }[];
  /** -1 without change. */
  readonly changePosition: number;
  readonly fee: bigint;
}

export function createPayment(chain: Chain, wallet: Wallet, req: PaymentRequest): ChainTx {
  const funded = fundPayment(chain, wallet, req);
  return sign(chain, wallet, funded.coins, funded.outputs, req);
}

/** Coin selection and change, as Core's CreateTransaction; locked coins are never chosen. */
export function fundPayment(chain: Chain, wallet: Wallet, req: PaymentRequest): FundedPayment {
  const total = req.recipients.reduce((s, r) => s + r.value, 0n);
  const subtracting = req.recipients.filter((r) => r.subtractFee).length;
  for (const r of req.recipients) {
    if (!r.subtractFee && r.value < dustThreshold(r.script)) {
      throw new RpcError(RPC.WALLET_INSUFFICIENT_FUNDS, "Transaction amount too small");
    }
  }
  const preset = req.preset ?? [];
  const presetKeys = new Set(preset.map((c) => outpointKey(c.txid, c.vout)));
  const others =
    preset.length > 0 && req.addInputs === false
      ? []
      : spendableCoins(chain, wallet, { includeUntrusted: false })
          .filter((c) => !wallet.lockedCoins.has(outpointKey(c.txid, c.vout)))
          .filter((c) => !presetKeys.has(outpointKey(c.txid, c.vout)))
          .sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  // Preset coins are all spent, as one step; then others, largest first.
  const steps: (readonly Coin[])[] = [
    ...(preset.length > 0 ? [preset] : []),
    ...others.map((c) => [c]),
  ];
  const outWeight = req.recipients.reduce((w, r) => w + outputWeight(r.script.length / 2), 0);
  const change = changeType(req.recipients);
  const changeDust = dustThreshold(CHANGE_SHAPE[change]);
  const selected: Coin[] = [];
  let inValue = 0n;
  let inWeight = 0;
  let segwit = false;
  let plan: Plan | undefined;
  for (const step of steps) {
    for (const coin of step) {
      selected.push(coin);
      inValue += coin.value;
      inWeight += INPUT_WEIGHT[coin.key.type];
      segwit ||= coin.key.type !== "legacy";
    }
    // Version, lock time, input and output counts, the segwit marker.
    const weight = (outputs: number) =>
      4 * (8 + varIntBytes(selected.length) + varIntBytes(outputs)) + (segwit ? 2 : 0) + inWeight;
    const n = req.recipients.length;
    const feeNoChange = feeFor(weight(n) + outWeight, req.feeRatePerKvB);
    const feeChange = feeFor(
      weight(n + 1) + outWeight + outputWeight(CHANGE_SHAPE[change].length / 2),
      req.feeRatePerKvB,
    );
    if (subtracting > 0) {
      if (inValue < total) continue;
      const excess = inValue - total;
      // Change too small to be worth its own output goes to the fee.
      plan =
        excess > changeDust + (feeChange - feeNoChange)
          ? { deduct: feeChange, change: excess }
          : { deduct: excess >= feeNoChange ? 0n : feeNoChange - excess, change: 0n };
    } else {
      if (inValue < total + feeNoChange) continue;
      const left = inValue - total - feeChange;
      // Change below dust goes to the fee, as Core does.
      plan = left > changeDust ? { deduct: 0n, change: left } : { deduct: 0n, change: 0n };
    }
    break;
  }
  if (!plan && preset.length > 0 && others.length === 0) {
    throw new RpcError(
      RPC.WALLET_INSUFFICIENT_FUNDS,
      "The preselected coins total amount does not cover the transaction target. Please allow other inputs to be automatically selected or include more coins manually",
    );
  }
  if (!plan) throw new RpcError(RPC.WALLET_INSUFFICIENT_FUNDS, "Insufficient funds");
  const outputs = req.recipients.map((r) => ({ script: r.script, value: r.value }));
  if (subtracting > 0) {
    // Core splits the fee evenly; the first subtracting recipient pays the remainder.
    const share = plan.deduct / BigInt(subtracting);
    let remainder = plan.deduct - share * BigInt(subtracting);
    req.recipients.forEach((r, i) => {
      if (!r.subtractFee) return;
      const out = outputs[i] as { script: string; value: bigint };
      out.value -= share + remainder;
      remainder = 0n;
      if (out.value < dustThreshold(out.script)) {
        throw new RpcError(
          RPC.WALLET_INSUFFICIENT_FUNDS,
          "The transaction amount is too small to pay the fee",
        );
      }
    });
  }
  let changePosition = -1;
  if (plan.change > 0n) {
    const changeKey = wallet.newKey(change, true);
    changePosition = Math.floor(Math.random() * (outputs.length + 1));
    outputs.splice(changePosition, 0, { script: changeKey.script, value: plan.change });
  }
  const fee = inValue - outputs.reduce((s, o) => s + o.value, 0n);
  return { coins: selected, outputs, changePosition, fee };
}

function sign(
  chain: Chain,
  wallet: Wallet,
  coins: readonly Coin[],
  outputs: readonly { script: string; value: bigint }[],
  req: PaymentRequest,
): ChainTx {
  const txHex = signTransaction({
    inputs: coins.map((c) => ({
      txid: c.txid,
      vout: c.vout,
      value: c.value,
      key: c.key,
      privateKey: wallet.keychain.privateKey(c.key),
      sequence: req.replaceable ? 0xfffffffd : 0xfffffffe,
    })),
    outputs,
    // Anti fee sniping, as Core does: lock to the current height.
    lockTime: chain.height(),
  });
  return parseTx(txHex, req.time);
}
