/**
 * `createBitcoinNode`: the `BitcoinNode` over Bitcoin Core's JSON-RPC (or the
 * sandbox, which speaks the same). Arguments are checked before the call,
 * replies after it; amounts go out as exact BTC strings (`btcFromSats`) and
 * come back as `bigint` sats (`satsFromBtc`). Sends are never retried.
 */
import { btcFromSats } from "../amount.js";
import { sendFailure } from "./classify.js";
import { BitcoinNodeError } from "./errors.js";
import { parseBlockchainInfo, parseFeeEstimate, parseNetworkInfo } from "./parse-chain.js";
import { parseDecoded, parseFunded, parseSigned } from "./parse-raw.js";
import {
  parseAddressInfo,
  parseBalances,
  parseLabelled,
  parseSinceBlock,
  parseTransaction,
  parseTxid,
  parseValidation,
} from "./parse-wallet.js";
import { readString } from "./reply.js";
import { type BitcoinNodeOptions, createRpcCall } from "./transport.js";
import type { AddressType, BitcoinNode, NetworkInfo, SendToAddressRequest } from "./types.js";

/** A `BitcoinNode` plus the raw call, for set-up and tools (results unchecked, errors typed). */
export interface RpcBitcoinNode extends BitcoinNode {
  call(method: string, params?: readonly unknown[]): Promise<unknown>;
}

const ADDRESS_TYPES: ReadonlySet<string> = new Set(["legacy", "p2sh-segwit", "bech32", "bech32m"]);

export function createBitcoinNode(options: BitcoinNodeOptions): RpcBitcoinNode {
  const call = createRpcCall(options);

  async function getNetworkInfo(): Promise<NetworkInfo> {
    return parseNetworkInfo(await call("getnetworkinfo"));
  }

  return {
    call,
    async getNewAddress(label: string, addressType?: AddressType) {
      if (addressType !== undefined && !ADDRESS_TYPES.has(addressType)) {
        throw invalid(`Unknown address type "${addressType}"`);
      }
      return readString(
        await call("getnewaddress", [text(label, "label"), addressType]),
        "getnewaddress",
      );
    },
    async getAddressInfo(address) {
      return parseAddressInfo(await call("getaddressinfo", [text(address, "address")]));
    },
    async validateAddress(address) {
      return parseValidation(await call("validateaddress", [text(address, "address")]));
    },
    async getAddressesByLabel(label) {
      return parseLabelled(await call("getaddressesbylabel", [text(label, "label")]));
    },
    async listSinceBlock({
      blockHash,
      targetConfirmations = 1,
      includeWatchOnly = false,
      includeRemoved = true,
    }) {
      if (blockHash !== null && !isHash(blockHash))
        throw invalid(`"${blockHash}" is not a block hash`);
      count(targetConfirmations, "targetConfirmations");
      const params = [blockHash, targetConfirmations, includeWatchOnly, includeRemoved];
      return parseSinceBlock(await call("listsinceblock", params), includeRemoved);
    },
    async getTransaction(txid) {
      if (!isHash(txid)) throw invalid(`"${txid}" is not a txid`);
      return parseTransaction(await call("gettransaction", [txid]));
    },
    async sendToAddress(request) {
      const result = await call("sendtoaddress", sendParams(request));
      try {
        return parseTxid(result, "sendtoaddress");
      } catch (error) {
        // The node may well have broadcast: the caller must reconcile, not resend.
        throw sendFailure(error, "sendtoaddress");
      }
    },
    async fundTransaction(request) {
      const outputs = request.outputs.map((o) => ({
        [text(o.address, "address")]: btcFromSats(sats(o.amount)),
      }));
      if (outputs.length === 0) throw invalid("a transaction needs at least one output");
      const draft = readString(
        await call("createrawtransaction", [[], outputs]),
        "createrawtransaction",
      );
      const options = {
        fee_rate: feeRateOf(request.feeRate),
        lockUnspents: request.lockUnspents ?? false,
        ...(request.replaceable === undefined ? {} : { replaceable: request.replaceable }),
      };
      // iswitness false: a draft without inputs must not be read as a segwit marker.
      return parseFunded(await call("fundrawtransaction", [draft, options, false]));
    },
    async signRawTransactionWithWallet(hex) {
      return parseSigned(await call("signrawtransactionwithwallet", [text(hex, "hex")]));
    },
    async decodeRawTransaction(hex) {
      return parseDecoded(await call("decoderawtransaction", [text(hex, "hex")]));
    },
    async sendRawTransaction(hex, options = {}) {
      const { maxFeeRate } = options;
      if (maxFeeRate !== undefined && (typeof maxFeeRate !== "bigint" || maxFeeRate < 0n)) {
        throw invalid(`maxFeeRate must be a non-negative bigint sat/vB, got ${String(maxFeeRate)}`);
      }
      // Core's maxfeerate is BTC per kvB: sat/vB × 1000 sat per kvB.
      const params = [
        text(hex, "hex"),
        maxFeeRate === undefined ? null : btcFromSats(maxFeeRate * 1000n),
      ];
      const result = await call("sendrawtransaction", params);
      try {
        return parseTxid(result, "sendrawtransaction");
      } catch (error) {
        throw sendFailure(error, "sendrawtransaction");
      }
    },
    async lockUnspent(unlock, outpoints) {
      const list = outpoints?.map((o) => {
        if (!isHash(o.txid) || !Number.isSafeInteger(o.vout) || o.vout < 0) {
          throw invalid(`"${o.txid}:${o.vout}" is not an outpoint`);
        }
        return { txid: o.txid, vout: o.vout };
      });
      const result = await call("lockunspent", list === undefined ? [unlock] : [unlock, list]);
      if (result !== true)
        throw new BitcoinNodeError("NODE_MALFORMED_REPLY", "lockunspent did not answer true");
    },
    async estimateSmartFee(confTarget) {
      return parseFeeEstimate(await call("estimatesmartfee", [count(confTarget, "confTarget")]));
    },
    async getBalances() {
      return parseBalances(await call("getbalances"));
    },
    async getBlockchainInfo() {
      return parseBlockchainInfo(await call("getblockchaininfo"));
    },
    getNetworkInfo,
    async checkVersion(minVersion) {
      count(minVersion, "minVersion");
      const info = await getNetworkInfo();
      if (info.version < minVersion) {
        throw new BitcoinNodeError(
          "NODE_TOO_OLD",
          `Bitcoin node ${info.subversion} (${info.version}) is older than the required ${minVersion}`,
        );
      }
      return info;
    },
    async walletPassphrase(passphrase, seconds) {
      const result = await call("walletpassphrase", [
        text(passphrase, "passphrase"),
        count(seconds, "seconds"),
      ]);
      if (result !== null)
        throw new BitcoinNodeError("NODE_MALFORMED_REPLY", "walletpassphrase answered a value");
    },
  };
}

function sats(amount: unknown): bigint {
  if (typeof amount !== "bigint") {
    throw new BitcoinNodeError(
      "NODE_INVALID_AMOUNT",
      `Amount must be bigint satoshis, got ${typeof amount}`,
    );
  }
  return amount;
}

/** A positive sat/vB rate, as the number Core reads. */
function feeRateOf(feeRate: bigint | number): number {
  const rate = Number(feeRate);
  const ok =
    rate > 0 &&
    rate <= Number.MAX_SAFE_INTEGER &&
    (typeof feeRate === "bigint" || Number.isFinite(rate));
  if (!ok) throw invalid(`feeRate must be a positive sat/vB value, got ${String(feeRate)}`);
  return rate;
}

function sendParams(request: SendToAddressRequest): unknown[] {
  const { feeRate } = request;
  const amount = sats(request.amount);
  // sendtoaddress positional: address amount comment comment_to subtractfeefromamount
  // replaceable conf_target estimate_mode avoid_reuse fee_rate (sat/vB).
  return [
    text(request.address, "address"),
    btcFromSats(amount),
    request.comment ?? null,
    request.commentTo ?? null,
    request.subtractFeeFromAmount ?? null,
    request.replaceable ?? null,
    null,
    null,
    null,
    feeRate === undefined ? null : feeRateOf(feeRate),
  ];
}

function text(value: string, name: string): string {
  if (typeof value !== "string") throw invalid(`${name} must be a string`);
  return value;
}

function count(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalid(`${name} must be a positive integer, got ${value}`);
  return value;
}

function isHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/i.test(value);
}

function invalid(message: string): BitcoinNodeError {
  return new BitcoinNodeError("NODE_INVALID_ARGUMENT", message);
}
