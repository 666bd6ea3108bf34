/**
 * User avatars (XEP-0084) for address JIDs, the way clients that no longer
 * read vCard photos (Monal) find them: the same PNG QR code as the vCard
 * PHOTO (avatar.ts), so the same SHA-1 id, served PEP-style from the
 * address's JID. Nothing is stored: both nodes are computed from the
 * address, and only ever read.
 *
 * - `items` of `urn:xmpp:avatar:metadata` (XEP-0084 §4.2 item, §4.3
 *   retrieval of the metadata) and of `urn:xmpp:avatar:data` (§4.1, §4.3);
 * - the metadata as a pubsub event (XEP-0163 §4.3.2, last published item)
 *   to a user whose addresses come online for them, so that clients fetch
 *   the data without asking first.
 */
import { type Avatar, addressAvatar } from "./avatar.js";
import { StanzaError } from "./errors.js";
import type { IqRouter } from "./iq-router.js";
import type { JidModel } from "./jids.js";
import { type Element, xml } from "./xml.js";

export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
export const NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event";
export const NS_PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors";
export const NS_AVATAR_DATA = "urn:xmpp:avatar:data";
export const NS_AVATAR_METADATA = "urn:xmpp:avatar:metadata";

/** Width and height from a PNG's IHDR chunk (PNG §11.2.2), which is always first. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** `<metadata/>` with one `<info/>` (XEP-0084 §4.2.1). */
export function avatarMetadata(avatar: Avatar): Element {
  const { width, height } = pngSize(avatar.data);
  const info = {
    bytes: String(avatar.data.length),
    id: avatar.sha1,
    type: avatar.type,
    width: String(width),
    height: String(height),
  };
  return xml("metadata", { xmlns: NS_AVATAR_METADATA }, xml("info", info));
}

const item = (avatar: Avatar, payload: Element) => xml("item", { id: avatar.sha1 }, payload);

/** The payload item of `node`, or undefined for a node no address has. */
function nodeItem(node: string | undefined, avatar: Avatar): Element | undefined {
  if (node === NS_AVATAR_METADATA) return item(avatar, avatarMetadata(avatar));
  if (node === NS_AVATAR_DATA) {
    const data = xml("data", { xmlns: NS_AVATAR_DATA }, avatar.data.toString("base64"));
    return item(avatar, data);
  }
  return undefined;
}

/** The metadata event for `to`, from the address's JID (XEP-0084 §4.2, XEP-0163 §4.3.2). */
export function avatarEvent(jids: JidModel, address: string, to: string, avatar: Avatar): Element {
  const items = xml("items", { node: NS_AVATAR_METADATA }, item(avatar, avatarMetadata(avatar)));
  return xml(
    "message",
    { from: jids.addressJid(address), to, type: "headline" },
    xml("event", { xmlns: NS_PUBSUB_EVENT }, items),
  );
}

export function avatarPep({ iq }: { iq: IqRouter }): void {
  // XEP-0060 §6.5.9.11: a node that does not exist is item-not-found; only addresses have avatars.
  const noNode = (what: string) => new StanzaError("item-not-found", what);

  iq.get(NS_PUBSUB, "pubsub", async ({ entity, element }) => {
    const items = element.getChild("items");
    if (!items) {
      // XEP-0060 §6.5.9.5 style: pubsub requests other than retrieving items are not offered.
      const unsupported = xml("unsupported", {
        xmlns: NS_PUBSUB_ERRORS,
        feature: "retrieve-items",
      });
      throw new StanzaError("feature-not-implemented", "only the avatar nodes can be read here", {
        application: unsupported,
      });
    }
    const node = items.attrs.node;
    if (entity.kind !== "address") throw noNode(`no pubsub node ${node ?? ""} here`);
    const avatar = await addressAvatar(entity.address);
    const found = nodeItem(node, avatar);
    if (!found) throw noNode(`no pubsub node ${node ?? ""} on an address`);
    // XEP-0060 §6.5.8: asking for items by id; the one item has the avatar's hash as id.
    const asked = items.getChildren("item").map((i) => i.attrs.id);
    if (asked.length > 0 && !asked.includes(avatar.sha1)) {
      throw new StanzaError("item-not-found", `no avatar ${asked.join(", ")} on this address`);
    }
    return xml("pubsub", { xmlns: NS_PUBSUB }, xml("items", { node }, found));
  });
}
