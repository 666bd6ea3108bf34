/**
 * HD keys of one wallet, laid out like Core's descriptor wallets:
 * m/{44,49,84,86}h/1h/0h/{0 receive,1 change}/i, with Core-style descriptors.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { HDKey } from "@scure/bip32";
import { p2pkh, p2sh, p2tr, p2wpkh } from "@scure/btc-signer";
import type { AddressType } from "./address.js";
import { REGTEST } from "./address.js";
import { withChecksum } from "./descriptor.js";

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const TPRV_VERSIONS = { private: 0x04358394, public: 0x043587cf };
const PURPOSE: Record<AddressType, number> = {
  legacy: 44,
  "p2sh-segwit": 49,
  bech32: 84,
  bech32m: 86,
};

export interface KeyRecord {
  readonly address: string;
  readonly script: string;
  readonly type: AddressType;
  readonly change: boolean;
  readonly index: number;
  /** Compressed public key (hex); x-only for bech32m. */
  readonly pubkey: string;
  readonly time: number;
  /** In the address book (a receive address) when set, "" included. */
  label?: string | undefined;
}

export type KeyChain = ReturnType<typeof createKeyChain>;

export function createKeyChain(seedHex: string) {
  const master = HDKey.fromMasterSeed(hex.decode(seedHex), TPRV_VERSIONS);
  const fingerprint = master.fingerprint.toString(16).padStart(8, "0");
  const accounts = new Map<AddressType, HDKey>();
  const branches = new Map<string, HDKey>();
  const parentDescs = new Map<string, string>();

  const account = (type: AddressType): HDKey => {
    let acct = accounts.get(type);
    if (!acct) {
      acct = master.derive(`m/${PURPOSE[type]}'/1'/0'`);
      accounts.set(type, acct);
    }
    return acct;
  };
  const branch = (type: AddressType, change: boolean): HDKey => {
    const id = `${type}/${change ? 1 : 0}`;
    let b = branches.get(id);
    if (!b) {
      b = account(type).deriveChild(change ? 1 : 0);
      branches.set(id, b);
    }
    return b;
  };
  const origin = (type: AddressType) => `${fingerprint}/${PURPOSE[type]}h/1h/0h`;
  const wrap = (type: AddressType, inner: string): string => {
    switch (type) {
      case "legacy":
        return `pkh(${inner})`;
      case "p2sh-segwit":
        return `sh(wpkh(${inner}))`;
      case "bech32":
        return `wpkh(${inner})`;
      case "bech32m":
        return `tr(${inner})`;
    }
  };

  return {
    fingerprint,
    derive(type: AddressType, change: boolean, index: number, time: number): KeyRecord {
      const key = branch(type, change).deriveChild(index);
      const pub = key.publicKey as Uint8Array;
      const payment =
        type === "legacy"
          ? p2pkh(pub, REGTEST)
          : type === "p2sh-segwit"
            ? p2sh(p2wpkh(pub, REGTEST), REGTEST)
            : type === "bech32"
              ? p2wpkh(pub, REGTEST)
              : p2tr(pub.slice(1), undefined, REGTEST);
      return {
        address: payment.address as string,
        script: hex.encode(payment.script),
        type,
        change,
        index,
        pubkey: hex.encode(type === "bech32m" ? pub.slice(1) : pub),
        time,
      };
    },
    /**
     * BIP 32 CKDpriv without computing the child's public key (the costly
     * part of HDKey.deriveChild): signing 1,000 inputs stays fast.
     */
    privateKey(k: KeyRecord): Uint8Array {
      const parent = branch(k.type, k.change);
      const data = new Uint8Array(37);
      data.set(parent.publicKey as Uint8Array, 0);
      new DataView(data.buffer).setUint32(33, k.index, false);
      const i = hmac(sha512, parent.chainCode as Uint8Array, data);
      const child =
        (BigInt(`0x${hex.encode(i.slice(0, 32))}`) +
          BigInt(`0x${hex.encode(parent.privateKey as Uint8Array)}`)) %
        CURVE_ORDER;
      return hex.decode(child.toString(16).padStart(64, "0"));
    },
    hdKeyPath: (k: KeyRecord) => `m/${PURPOSE[k.type]}h/1h/0h/${k.change ? 1 : 0}/${k.index}`,
    desc: (k: KeyRecord) =>
      withChecksum(wrap(k.type, `[${origin(k.type)}/${k.change ? 1 : 0}/${k.index}]${k.pubkey}`)),
    parentDesc(k: KeyRecord): string {
      const id = `${k.type}/${k.change ? 1 : 0}`;
      let d = parentDescs.get(id);
      if (!d) {
        const xpub = account(k.type).publicExtendedKey;
        d = withChecksum(wrap(k.type, `[${origin(k.type)}]${xpub}/${k.change ? 1 : 0}/*`));
        parentDescs.set(id, d);
      }
      return d;
    },
  };
}
