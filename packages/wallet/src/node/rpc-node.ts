/**
 * `createBitcoinNode`: the `BitcoinNode` over Bitcoin Core's JSON-RPC (or the
 * sandbox, which speaks the same). Arguments are checked before the call,
 * replies after it; amounts go out as exact BTC strings (`btcFromSats`) and
 * come back as `bigint` sats (`satsFromBtc`). Sends are never retried.
 */
import { btcFromSats } from "../amount.js";
import { count, feeRateOf, invalid, isHash, sats, text } from "./args.js";
import { sendFailure } from "./classify.js";
import { BitcoinNodeError } from "./errors.js";
import { parseBlockchainInfo, parseFeeEstimate, parseNetworkInfo } from "./parse-chain.js";
import {
  parseAddressInfo,
  parseBalances,
  parseLabelled,
  parseSinceBlock,
  parseTransaction,
  parseTxid,
  parseValidation,
} from "./parse-wallet.js";
import { rawTransactionMethods } from "./raw-methods.js";
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
    ...rawTransactionMethods(call),
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
