/**
 * `BitcoinNode`: what bitcoIM needs from a Bitcoin Core wallet node, typed.
 *
 * Conventions: field names are camelCase versions of Core's (`blockhash` →
 * `blockHash`, `bip125-replaceable` → `replaceable`); every amount, fee and
 * balance is integer satoshis as `bigint` (fees keep Core's sign: negative
 * on the sending side); fee rates are sat/vB. Optional fields are absent
 * when Core omits them (e.g. `blockHash` of an unconfirmed transaction).
 * Every method fails only with a `BitcoinNodeError`.
 */
import type { Sats } from "../amount.js";

export type AddressType = "legacy" | "p2sh-segwit" | "bech32" | "bech32m";

/** Core's wallet entry categories (`generate`/`immature`/`orphan` are coinbase). */
export type WalletCategory = "send" | "receive" | "generate" | "immature" | "orphan";

/** One output line of `listsinceblock` / `gettransaction` details. */
export interface WalletEntry {
  txid: string;
  vout: number;
  /** Absent when the script has no address form. */
  address?: string;
  category: WalletCategory;
  /** Positive for receives, negative for sends. */
  amount: Sats;
  /** Sends only, negative. */
  fee?: Sats;
  label?: string;
  /** Negative: conflicted (a double spend made it this deep). */
  confirmations: number;
  blockHash?: string;
  blockHeight?: number;
  time: number;
  abandoned?: boolean;
  /** The sending wallet's `comment` (sends only): how a send is found again after a crash. */
  comment?: string;
}

export interface SinceBlock {
  transactions: WalletEntry[];
  /** Entries of blocks that left the active chain since the given block. */
  removed: WalletEntry[];
  /** Pass back as `blockHash` next time (Core's `lastblock`). */
  lastBlock: string;
}

export interface ListSinceBlockOptions {
  /** null: from genesis. */
  blockHash: string | null;
  targetConfirmations?: number;
  includeWatchOnly?: boolean;
  includeRemoved?: boolean;
}

export interface TransactionDetail {
  address?: string;
  category: WalletCategory;
  amount: Sats;
  label?: string;
  vout: number;
  fee?: Sats;
  abandoned?: boolean;
}

export interface WalletTransaction {
  txid: string;
  /** Net effect on this wallet, excluding the fee. */
  amount: Sats;
  fee?: Sats;
  confirmations: number;
  /**
   * Unconfirmed only: whether Core counts on it — for our own send, that it
   * is in the node's mempool. False: dropped (a reorg made it non-final, a
   * restart lost the mempool, or it was abandoned) and sent to no one.
   */
  trusted?: boolean;
  blockHash?: string;
  blockHeight?: number;
  time: number;
  walletConflicts: string[];
  replaceable?: "yes" | "no" | "unknown";
  /** The sender-side wallet comments (`comment`, `to`). */
  comment?: string;
  commentTo?: string;
  details: TransactionDetail[];
  hex: string;
}

export interface SendToAddressRequest {
  address: string;
  amount: Sats;
  /** Stored in the sending wallet only; use it as the idempotency key of the send. */
  comment?: string;
  commentTo?: string;
  /** sat/vB; when absent Core estimates. */
  feeRate?: bigint | number;
  subtractFeeFromAmount?: boolean;
  replaceable?: boolean;
}

export interface Outpoint {
  txid: string;
  vout: number;
}

/** `createrawtransaction` + `fundrawtransaction`: a payment built but not signed or sent. */
export interface FundTransactionRequest {
  /** One output per address, in this order; the wallet adds change. */
  outputs: { address: string; amount: Sats }[];
  /**
   * Spend exactly these coins and no others (Core's preset inputs with
   * `add_inputs` false), locked or not: the same coins, outputs and rate
   * give the same fee, so a fee quoted from one funding can be met by the
   * next. Core funds coins already spent as well, when its wallet knows
   * them: ask `getTxOut` first.
   */
  inputs?: readonly Outpoint[];
  /** sat/vB, explicit: the fee is this rate times the signed size Core estimates. */
  feeRate: bigint | number;
  /** Keep the chosen coins out of other sends until this one is broadcast or unlocked. */
  lockUnspents?: boolean;
  replaceable?: boolean;
  /**
   * Block height before which the transaction may not be mined: the chain's
   * tip, as Core's own wallet sets it against fee sniping (and so that these
   * sends do not stand out). Absent: 0.
   */
  lockTime?: number;
}

/** `gettxout`: an unspent output. */
export interface TxOut {
  value: Sats;
  /** 0 while the transaction that made it is in the mempool. */
  confirmations: number;
}

export interface FundedTransaction {
  /** Unsigned. */
  hex: string;
  /** What the transaction pays in fees once signed. */
  fee: Sats;
  /** -1 when there is no change output. */
  changePosition: number;
}

export interface SignedTransaction {
  hex: string;
  /** False when an input could not be signed; `errors` says which and why. */
  complete: boolean;
  errors: string[];
}

export interface DecodedTransaction {
  /** Fixed once signed: a segwit signature does not change it. */
  txid: string;
  vsize: number;
  inputs: Outpoint[];
  outputs: { n: number; amount: Sats; address?: string }[];
}

export interface SendRawTransactionOptions {
  /** sat/vB; Core refuses the transaction above it (its default is 10,000). */
  maxFeeRate?: bigint;
}

export interface AddressInfo {
  address: string;
  scriptPubKey: string;
  isMine: boolean;
  isChange: boolean;
  labels: string[];
  hdKeyPath?: string;
}

export interface AddressValidation {
  isValid: boolean;
  address?: string;
  scriptPubKey?: string;
  /** Core's explanation when invalid. */
  error?: string;
}

export interface LabelledAddress {
  address: string;
  purpose: string;
}

export interface Balances {
  trusted: Sats;
  untrustedPending: Sats;
  immature: Sats;
}

export interface BlockchainInfo {
  chain: string;
  blocks: number;
  headers: number;
  bestBlockHash: string;
  initialBlockDownload: boolean;
  verificationProgress: number;
  pruned: boolean;
}

export interface NetworkInfo {
  /** Core's integer version: 300000 for v30.0.0. */
  version: number;
  subversion: string;
  protocolVersion: number;
  /** Minimum relay fee, sat per kvB. */
  relayFee: Sats;
  warnings: string[];
}

export interface BitcoinNode {
  getNewAddress(label: string, addressType?: AddressType): Promise<string>;
  getAddressInfo(address: string): Promise<AddressInfo>;
  validateAddress(address: string): Promise<AddressValidation>;
  /** Throws NODE_INVALID_LABEL when no address carries the label (Core's -11). */
  getAddressesByLabel(label: string): Promise<LabelledAddress[]>;
  listSinceBlock(options: ListSinceBlockOptions): Promise<SinceBlock>;
  getTransaction(txid: string): Promise<WalletTransaction>;
  /** Never retried; a possibly-executed failure is NODE_SEND_OUTCOME_UNKNOWN. Resolves to the txid. */
  sendToAddress(request: SendToAddressRequest): Promise<string>;
  /** Builds and funds a payment without signing or sending it: its fee is known before anything happens. */
  fundTransaction(request: FundTransactionRequest): Promise<FundedTransaction>;
  signRawTransactionWithWallet(hex: string): Promise<SignedTransaction>;
  decodeRawTransaction(hex: string): Promise<DecodedTransaction>;
  /** Never retried; a possibly-executed failure is NODE_SEND_OUTCOME_UNKNOWN. Resolves to the txid. */
  sendRawTransaction(hex: string, options?: SendRawTransactionOptions): Promise<string>;
  /** The output if it is unspent, counting spends in the mempool; null otherwise. */
  getTxOut(outpoint: Outpoint): Promise<TxOut | null>;
  /** Locks (`unlock` false) or unlocks outputs; unlocking with no list unlocks all. */
  lockUnspent(unlock: boolean, outpoints?: readonly Outpoint[]): Promise<void>;
  /** The outputs locked now (in memory, or persistently). */
  listLockUnspent(): Promise<Outpoint[]>;
  /** sat/vB rounded up, or null when the node has no estimate yet. */
  estimateSmartFee(confTarget: number): Promise<bigint | null>;
  getBalances(): Promise<Balances>;
  getBlockchainInfo(): Promise<BlockchainInfo>;
  getNetworkInfo(): Promise<NetworkInfo>;
  /** Resolves with the node's info, or throws NODE_TOO_OLD when `version < minVersion` (Core's integer form). */
  checkVersion(minVersion: number): Promise<NetworkInfo>;
  walletPassphrase(passphrase: string, seconds: number): Promise<void>;
}

/** What building a payment in steps needs of a node. */
export type RawTransactionNode = Pick<
  BitcoinNode,
  | "fundTransaction"
  | "signRawTransactionWithWallet"
  | "decodeRawTransaction"
  | "sendRawTransaction"
  | "getTxOut"
  | "lockUnspent"
  | "listLockUnspent"
>;
