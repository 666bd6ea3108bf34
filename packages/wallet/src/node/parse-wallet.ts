/** Typed views of Core's wallet RPC results (shapes as recorded from v30). */
import { malformed, type Reader, readHash, readObject } from "./reply.js";
import type {
  AddressInfo,
  AddressValidation,
  Balances,
  LabelledAddress,
  SinceBlock,
  TransactionDetail,
  WalletCategory,
  WalletEntry,
  WalletTransaction,
} from "./types.js";

const CATEGORIES: ReadonlySet<string> = new Set([
  "send",
  "receive",
  "generate",
  "immature",
  "orphan",
]);

function category(r: Reader, where: string): WalletCategory {
  const value = r.str("category");
  if (!CATEGORIES.has(value)) throw malformed(`${where}.category`, `is unknown ("${value}")`);
  return value as WalletCategory;
}

function detail(r: Reader, where: string): TransactionDetail {
  const out: TransactionDetail = {
    category: category(r, where),
    amount: r.sats("amount"),
    vout: r.int("vout"),
  };
  const address = r.optStr("address");
  if (address !== undefined) out.address = address;
  const label = r.optStr("label");
  if (label !== undefined) out.label = label;
  const fee = r.optSats("fee");
  if (fee !== undefined) out.fee = fee;
  const abandoned = r.optBool("abandoned");
  if (abandoned !== undefined) out.abandoned = abandoned;
  return out;
}

function entry(r: Reader, where: string): WalletEntry {
  const out: WalletEntry = {
    txid: readHash(r.raw.txid, `${where}.txid`),
    ...detail(r, where),
    confirmations: r.int("confirmations"),
    time: r.int("time"),
  };
  const blockHash = r.optStr("blockhash");
  if (blockHash !== undefined) out.blockHash = readHash(blockHash, `${where}.blockhash`);
  const blockHeight = r.optInt("blockheight");
  if (blockHeight !== undefined) out.blockHeight = blockHeight;
  const comment = r.optStr("comment");
  if (comment !== undefined) out.comment = comment;
  return out;
}

/** `withRemoved`: Core was asked for `removed` (include_removed), so it must be there. */
export function parseSinceBlock(result: unknown, withRemoved = true): SinceBlock {
  const r = readObject(result, "listsinceblock");
  return {
    transactions: r
      .list("transactions")
      .map((e, i) => entry(e, `listsinceblock.transactions[${i}]`)),
    // Core leaves `removed` out when asked with include_removed = false.
    removed:
      !withRemoved && r.raw.removed === undefined
        ? []
        : r.list("removed").map((e, i) => entry(e, `listsinceblock.removed[${i}]`)),
    lastBlock: readHash(r.raw.lastblock, "listsinceblock.lastblock"),
  };
}

export function parseTransaction(result: unknown): WalletTransaction {
  const r = readObject(result, "gettransaction");
  const out: WalletTransaction = {
    txid: readHash(r.raw.txid, "gettransaction.txid"),
    amount: r.sats("amount"),
    confirmations: r.int("confirmations"),
    time: r.int("time"),
    walletConflicts: r.strings("walletconflicts"),
    details: r.list("details").map((d, i) => detail(d, `gettransaction.details[${i}]`)),
    hex: r.str("hex"),
  };
  const fee = r.optSats("fee");
  if (fee !== undefined) out.fee = fee;
  const trusted = r.optBool("trusted");
  if (trusted !== undefined) out.trusted = trusted;
  const blockHash = r.optStr("blockhash");
  if (blockHash !== undefined) out.blockHash = readHash(blockHash, "gettransaction.blockhash");
  const blockHeight = r.optInt("blockheight");
  if (blockHeight !== undefined) out.blockHeight = blockHeight;
  const replaceable = r.optStr("bip125-replaceable");
  if (replaceable === "yes" || replaceable === "no" || replaceable === "unknown") {
    out.replaceable = replaceable;
  }
  const comment = r.optStr("comment");
  if (comment !== undefined) out.comment = comment;
  const commentTo = r.optStr("to");
  if (commentTo !== undefined) out.commentTo = commentTo;
  return out;
}

export function parseAddressInfo(result: unknown): AddressInfo {
  const r = readObject(result, "getaddressinfo");
  const out: AddressInfo = {
    address: r.str("address"),
    scriptPubKey: r.str("scriptPubKey"),
    isMine: r.bool("ismine"),
    isChange: r.optBool("ischange") ?? false,
    labels: r.raw.labels === undefined ? [] : r.strings("labels"),
  };
  const path = r.optStr("hdkeypath");
  if (path !== undefined) out.hdKeyPath = path;
  return out;
}

export function parseValidation(result: unknown): AddressValidation {
  const r = readObject(result, "validateaddress");
  const out: AddressValidation = { isValid: r.bool("isvalid") };
  const address = r.optStr("address");
  if (address !== undefined) out.address = address;
  const script = r.optStr("scriptPubKey");
  if (script !== undefined) out.scriptPubKey = script;
  const error = r.optStr("error");
  if (error !== undefined) out.error = error;
  return out;
}

export function parseLabelled(result: unknown): LabelledAddress[] {
  const r = readObject(result, "getaddressesbylabel");
  return Object.keys(r.raw)
    .sort()
    .map((address) => ({ address, purpose: r.obj(address).str("purpose") }));
}

export function parseBalances(result: unknown): Balances {
  const mine = readObject(result, "getbalances").obj("mine");
  return {
    trusted: mine.sats("trusted"),
    untrustedPending: mine.sats("untrusted_pending"),
    immature: mine.sats("immature"),
  };
}

/** sendtoaddress answers a txid (or, with verbose=true, an object we never ask for). */
export function parseTxid(result: unknown, where: string): string {
  return readHash(result, where);
}
