/** Keys, addresses and labels: getnewaddress, getaddressinfo, getaddressesbylabel, listlabels, … */
import { hex } from "@scure/base";
import { p2wpkh } from "@scure/btc-signer";
import {
  ADDRESS_TYPES,
  type AddressType,
  decodeAddress,
  REGTEST,
  scriptFacts,
} from "../address.js";
import { RPC, RpcError } from "../errors.js";
import type { KeyRecord } from "../keys.js";
import type { Wallet } from "../wallet.js";
import { type MethodTable, opt, req } from "./types.js";

/** Core's LabelFromValue. */
export function labelFromValue(label: string): string {
  if (label === "*") throw new RpcError(RPC.WALLET_INVALID_LABEL_NAME, "Invalid label name");
  return label;
}

function addressType(value: string | undefined): AddressType {
  if (value === undefined) return "bech32";
  if (!(ADDRESS_TYPES as readonly string[]).includes(value)) {
    throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Unknown address type '${value}'`);
  }
  return value as AddressType;
}

function ownKeyInfo(w: Wallet, k: KeyRecord): Record<string, unknown> {
  const facts = scriptFacts(k.script);
  const base: Record<string, unknown> = {
    desc: w.keychain.desc(k),
    parent_desc: w.keychain.parentDesc(k),
    iswatchonly: false,
    ...facts,
  };
  if (k.type === "p2sh-segwit") {
    const inner = p2wpkh(hex.decode(k.pubkey), REGTEST);
    const innerScript = hex.encode(inner.script);
    Object.assign(base, {
      script: "witness_v0_keyhash",
      hex: innerScript,
      pubkey: k.pubkey,
      embedded: {
        ...scriptFacts(innerScript),
        pubkey: k.pubkey,
        address: inner.address,
        scriptPubKey: innerScript,
      },
    });
  } else if (k.type !== "bech32m") {
    base.pubkey = k.pubkey;
    if (k.type === "legacy") base.iscompressed = true;
  }
  return {
    ...base,
    ischange: k.label === undefined,
    timestamp: k.time,
    hdkeypath: w.keychain.hdKeyPath(k),
    hdseedid: "0".repeat(40),
    hdmasterfingerprint: w.keychain.fingerprint,
    labels: k.label === undefined ? [] : [k.label],
  };
}

export const addressMethods: MethodTable = {
  getnewaddress: {
    params: [opt("label", "string"), opt("address_type", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      const label = labelFromValue(args.str(0, ""));
      const key = w.newKey(addressType(args.optStr(1)), false, label);
      ctx.node.changed();
      return key.address;
    },
  },
  getrawchangeaddress: {
    params: [opt("address_type", "string")],
    run(ctx, args) {
      const key = ctx.wallet().newKey(addressType(args.optStr(0)), true);
      ctx.node.changed();
      return key.address;
    },
  },
  getaddressinfo: {
    params: [req("address", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      const address = args.str(0);
      const decoded = decodeAddress(address);
      if (!decoded.ok) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, decoded.error);
      const key = w.byScript(decoded.script);
      const head = {
        address,
        scriptPubKey: decoded.script,
        ismine: key !== undefined,
        solvable: key !== undefined,
      };
      if (key) return { ...head, ...ownKeyInfo(w, key) };
      return {
        ...head,
        iswatchonly: false,
        ...scriptFacts(decoded.script),
        ischange: false,
        labels: [],
      };
    },
  },
  getaddressesbylabel: {
    params: [req("label", "string")],
    run(ctx, args) {
      const label = labelFromValue(args.str(0));
      const addresses = ctx.wallet().labels.get(label);
      if (!addresses || addresses.size === 0) {
        throw new RpcError(RPC.WALLET_INVALID_LABEL_NAME, `No addresses with label ${label}`);
      }
      const out: Record<string, { purpose: string }> = {};
      for (const a of addresses) out[a] = { purpose: "receive" };
      return out;
    },
  },
  listlabels: {
    params: [opt("purpose", "string")],
    run(ctx, args) {
      const purpose = args.optStr(0);
      if (purpose !== undefined && purpose !== "receive") return [];
      return [...ctx.wallet().labels.entries()]
        .filter(([, set]) => set.size > 0)
        .map(([label]) => label)
        .sort();
    },
  },
  setlabel: {
    params: [req("address", "string"), req("label", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      const decoded = decodeAddress(args.str(0));
      if (!decoded.ok) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Invalid Bitcoin address");
      const key = w.byScript(decoded.script);
      if (!key) {
        throw new RpcError(
          RPC.WALLET_ERROR,
          "The bitcoim sandbox only labels the wallet's own addresses",
        );
      }
      w.setLabel(key, labelFromValue(args.str(1)));
      ctx.node.changed();
      return null;
    },
  },
};
