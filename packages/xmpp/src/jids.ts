/**
 * The names on the gateway's domain (docs/behaviour.md §1): the gateway
 * itself, Bitcoin addresses (their JID node as @bitcoim/wallet writes it),
 * users by username, and users by their real JID, XEP-0106-escaped. A
 * username never contains a dot, so an unescaped node with a dot is a
 * real JID.
 */
import {
  AddressError,
  type AddressErrorCode,
  addressToNode,
  MIN_ADDRESS_LENGTH,
  type Network,
  nodeToAddress,
} from "@bitcoim/wallet";
import { escapeNode, unescapeNode } from "./escape.js";

export type Entity =
  | { readonly kind: "gateway" }
  | { readonly kind: "address"; readonly node: string; readonly address: string }
  | { readonly kind: "username"; readonly node: string; readonly username: string }
  | { readonly kind: "real-jid"; readonly node: string; readonly jid: string };

export type JidErrorCode =
  /** Not a JID on the gateway's domain. */
  | "JID_FOREIGN"
  /** Not a JID at all (empty part, resource where none may be). */
  | "JID_MALFORMED"
  /** An address node for the wrong network, of an unsupported type, or not written canonically. */
  | "JID_BAD_ADDRESS"
  /** A node whose XEP-0106 escaping names nothing we can serve. */
  | "JID_BAD_ESCAPE";

/** What a JID error names, for its text in the requester's language. */
export interface JidFacts {
  readonly jid?: string;
  readonly node?: string;
  /** JID_BAD_ADDRESS: why the node is no address of ours. */
  readonly address?: AddressErrorCode;
  /** ADDRESS_WRONG_NETWORK: the networks the address belongs to. */
  readonly networks?: readonly Network[];
}

export class JidError extends Error {
  override readonly name = "JidError";
  constructor(
    readonly code: JidErrorCode,
    message: string,
    readonly facts: JidFacts = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
  }
}

export interface JidParts {
  readonly local: string;
  readonly domain: string;
  readonly resource: string;
}

/** Splits a JID (RFC 7622 §3.1); localpart and domain are lower-cased. */
export function splitJid(jid: string): JidParts {
  const slash = jid.indexOf("/");
  const bare = slash === -1 ? jid : jid.slice(0, slash);
  const resource = slash === -1 ? "" : jid.slice(slash + 1);
  const at = bare.indexOf("@");
  const local = at === -1 ? "" : bare.slice(0, at);
  const domain = bare.slice(at + 1);
  if (!domain || (at !== -1 && !local) || (slash !== -1 && !resource) || domain.includes("@")) {
    throw new JidError("JID_MALFORMED", `"${jid}" is not a JID`, { jid });
  }
  return { local: local.toLowerCase(), domain: domain.toLowerCase(), resource };
}

export interface JidModel {
  readonly domain: string;
  /** What a JID on our domain names (its resource is ignored); throws JidError. */
  classify(jid: string): Entity;
  /** The JID of a Bitcoin address; throws the wallet's AddressError for a bad one. */
  addressJid(address: string): string;
  /** The JID of a user by username. */
  usernameJid(username: string): string;
  /** The JID naming a user by their real (bare) JID, for admins. */
  realJidJid(realJid: string): string;
}

export function createJidModel({
  domain,
  network,
}: {
  domain: string;
  network: Network;
}): JidModel {
  const ours = domain.toLowerCase();

  function classify(jid: string): Entity {
    const { local, domain: jidDomain } = splitJid(jid);
    if (jidDomain !== ours) throw new JidError("JID_FOREIGN", `${jid} is not on ${ours}`, { jid });
    if (!local) return { kind: "gateway" };
    const text = unescapeNode(local);
    if (text.startsWith(" ") || text.endsWith(" ")) {
      throw new JidError("JID_BAD_ESCAPE", `"${local}" starts or ends with an escaped space`, {
        node: local,
      });
    }
    if (text.includes(".")) return classifyRealJid(local, text);
    if (text !== local) return { kind: "username", node: local, username: text };
    // An address node is at least as long as its address: skip decoding,
    // and the error it would build, for the short nodes of usernames.
    if (local.length < MIN_ADDRESS_LENGTH) return { kind: "username", node: local, username: text };
    try {
      return { kind: "address", node: local, address: nodeToAddress(local, network) };
    } catch (error) {
      if (error instanceof AddressError && error.code === "ADDRESS_NODE_INVALID") {
        return { kind: "username", node: local, username: text };
      }
      const why = error instanceof Error ? error.message : String(error);
      const facts: JidFacts =
        error instanceof AddressError
          ? { node: local, address: error.code, networks: error.networks }
          : { node: local };
      throw new JidError("JID_BAD_ADDRESS", `No such address here: ${why}`, facts, {
        cause: error,
      });
    }
  }

  function classifyRealJid(node: string, text: string): Entity {
    let parts: JidParts;
    try {
      parts = splitJid(text);
    } catch (cause) {
      throw new JidError("JID_BAD_ESCAPE", `"${node}" names no JID`, { node }, { cause });
    }
    if (parts.resource) {
      throw new JidError("JID_BAD_ESCAPE", `"${node}" names a full JID, not a bare one`, { node });
    }
    const jid = parts.local ? `${parts.local}@${parts.domain}` : parts.domain;
    // What no XMPP address can hold (RFC 7622 §3.3.1, §3.2): it names nobody here.
    if (/[\s\p{Cc}]/u.test(jid)) {
      throw new JidError("JID_BAD_ESCAPE", `"${node}" names no valid JID`, { node });
    }
    return { kind: "real-jid", node, jid };
  }

  return {
    domain: ours,
    classify,
    addressJid: (address) => `${addressToNode(address)}@${ours}`,
    usernameJid: (username) => `${escapeNode(username).toLowerCase()}@${ours}`,
    realJidJid: (realJid) => `${escapeNode(realJid).toLowerCase()}@${ours}`,
  };
}
