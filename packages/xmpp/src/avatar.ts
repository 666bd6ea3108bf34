/**
 * An address's avatar: the PNG QR code of its `bitcoin:` URI (BIP21), as
 * its vCard PHOTO (XEP-0054) and, by the SHA-1 of those bytes, advertised
 * in its presences (XEP-0153 §3.1, §4.1) so clients show it without asking.
 * Computed on demand: the PNG is a pure function of the address.
 */
import { createHash } from "node:crypto";
import { buildBip21, qrPng } from "@bitcoim/wallet";
import { type Element, xml } from "./xml.js";

export const NS_VCARD_UPDATE = "vcard-temp:x:update";

export interface Avatar {
  readonly type: "image/png";
  readonly data: Buffer;
  /** SHA-1 of `data`, lower-case hex (XEP-0153 §4.1). */
  readonly sha1: string;
}

/** The BIP21 URI an address's QR code encodes. */
export function addressUri(address: string): string {
  return buildBip21({ address });
}

export async function addressAvatar(address: string): Promise<Avatar> {
  const data = await qrPng(addressUri(address));
  return { type: "image/png", data, sha1: createHash("sha1").update(data).digest("hex") };
}

/** `<x xmlns='vcard-temp:x:update'><photo>hash</photo></x>`, to put into an address's presences. */
export function avatarUpdate({ sha1 }: Avatar): Element {
  return xml("x", { xmlns: NS_VCARD_UPDATE }, xml("photo", {}, sha1));
}
