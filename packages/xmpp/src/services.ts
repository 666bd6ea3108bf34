/**
 * What the XMPP side needs from the rest of bitcoIM, as narrow types: the
 * parts of the accounts and orders services it calls, a member directory
 * for the admins' disco listing, who is online, the other gateway
 * processes, whether the Bitcoin node answers, and its own configuration.
 * The application passes the real services; tests pass a world built the
 * same way.
 */
import type { Accounts, CommandSessions, User } from "@bitcoim/accounts";
import type { Orders } from "@bitcoim/orders";
import type { BitcoinNode, Network } from "@bitcoim/wallet";
import type { Availability } from "./availability.js";
import { catalogueFor } from "./i18n/language.js";
import { type Entity, splitJid } from "./jids.js";
import type { Peers } from "./peers.js";
import type { PresenceStore } from "./presence-store.js";

export type AccountsService = Pick<
  Accounts,
  | "register"
  | "rename"
  | "setLanguage"
  | "unregister"
  | "byJid"
  | "byJidAndUsername"
  | "byUsername"
  | "byAddress"
  | "byId"
  | "isAdmin"
  | "addresses"
  | "newAddress"
  | "ownerOfAddress"
  | "balance"
  | "withBalance"
  | "withBalances"
  | "history"
  | "audit"
  | "events"
>;

export type OrdersService = Pick<
  Orders,
  "queue" | "listPending" | "find" | "cancel" | "confirm" | "events"
> &
  /** When offered, a chat `confirm` paying a user takes one round trip (chat.ts). */
  Partial<Pick<Orders, "confirmAs">>;

/** A registered user as the admins' directory lists them. */
export interface Member {
  readonly jid: string;
  readonly username: string;
}

/** Every registered user, for admins (XEP-0030 `users` node); accounts has no listing of its own. */
export interface Directory {
  members(): Promise<readonly Member[]>;
}

export interface GatewayConfig {
  /** The component's domain, e.g. `bitcoin.example.org`. */
  readonly domain: string;
  readonly network: Network;
  /**
   * A block-explorer link for an address vCard, `{address}` replaced by the
   * address, e.g. `https://mempool.space/address/{address}`; none when unset.
   */
  readonly explorerUrl?: string | undefined;
  /** Likewise for a transaction, `{txid}` replaced, e.g. `https://mempool.space/tx/{txid}`. */
  readonly explorerTxUrl?: string | undefined;
  /** The configured language order (registration, gateway and vCard texts); English always comes last. */
  readonly languages?: readonly string[] | undefined;
}

export interface Services {
  readonly accounts: AccountsService;
  readonly orders: OrdersService;
  readonly directory: Directory;
  readonly config: GatewayConfig;
  /** Shared ad-hoc command sessions (XEP-0050); without them the gateway offers no ad-hoc commands. */
  readonly sessions?: CommandSessions | undefined;
  /** The gateway's wallet, for the admins' `audit`; without it the audit checks the ledger only. */
  readonly wallet?: Pick<BitcoinNode, "getBalances"> | undefined;
  /** Who is online and what each address received, shared by every process (docs/behaviour.md §6). */
  readonly online: PresenceStore;
  /** The other gateway processes on this database; alone by default. */
  readonly peers?: Peers | undefined;
  /** Whether the Bitcoin node answers; always by default. */
  readonly bitcoin?: Availability | undefined;
}

/** The explorer link for `address`, or undefined when no template is configured. */
export function explorerLink(config: GatewayConfig, address: string): string | undefined {
  return config.explorerUrl?.replaceAll("{address}", encodeURIComponent(address));
}

/** A link to look transaction `txid` up, from a template with `{txid}`; undefined without one. */
export function txLinker(template: string | undefined): (txid: string) => string | undefined {
  return (txid) => template?.replaceAll("{txid}", encodeURIComponent(txid));
}

/** `text`, then on a line of its own the explorer link for `txid`, when `txLink` gives one. */
export function withTxLink(
  text: string,
  txid: string | undefined,
  txLink: ((txid: string) => string | undefined) | undefined,
): string {
  const link = txid === undefined ? undefined : txLink?.(txid);
  return link ? `${text}\n${link}` : text;
}

/** The default explorer template per network: none for regtest, which no public explorer knows. */
export function defaultExplorerUrl(network: Network): string | undefined {
  switch (network) {
    case "mainnet":
      return "https://mempool.space/address/{address}";
    case "testnet":
      return "https://mempool.space/testnet/address/{address}";
    case "signet":
      return "https://mempool.space/signet/address/{address}";
    default:
      return undefined;
  }
}

/** Who sent a request: their bare JID, their account if registered, whether they are an admin. */
export interface Requester {
  readonly bare: string;
  readonly user: User | undefined;
  readonly admin: boolean;
}

/** The bare JID of a (full) JID as the server stamped it. */
export function bareJidOf(jid: string): string {
  const { local, domain } = splitJid(jid);
  return local ? `${local}@${domain}` : domain;
}

export async function requester(
  accounts: Pick<AccountsService, "byJid" | "isAdmin">,
  from: string,
): Promise<Requester> {
  const bare = bareJidOf(from);
  return { bare, user: await accounts.byJid(bare), admin: accounts.isAdmin(bare) };
}

/**
 * The requester's stored language, looked up only when it can matter: the
 * stanza's `xml:lang` wins whenever we speak it (docs/behaviour.md §7).
 */
export async function storedLanguage(
  accounts: Pick<AccountsService, "byJid">,
  from: string,
  stanzaLang: string | undefined,
): Promise<string | null | undefined> {
  if (catalogueFor(stanzaLang)) return undefined;
  return (await accounts.byJid(bareJidOf(from)))?.language;
}

/** The registered user a username or real-JID entity names, if any. */
export async function userOf(
  accounts: Pick<AccountsService, "byJid" | "byUsername">,
  entity: Entity,
): Promise<User | undefined> {
  const user =
    entity.kind === "username"
      ? await accounts.byUsername(entity.username)
      : entity.kind === "real-jid"
        ? await accounts.byJid(entity.jid)
        : undefined;
  return user && !user.unregisteredAt ? user : undefined;
}

/**
 * What a requester may learn about a user entity (docs/behaviour.md §4, §5):
 * "self" and "admin" see everything; a "stranger" may learn that a username
 * exists (it is public: others pay by it) but nothing else, and never
 * whether a real JID is registered.
 */
export type Viewer = "self" | "admin" | "stranger";

export function viewerOf(who: Requester, user: User): Viewer {
  if (who.user?.id === user.id) return "self";
  return who.admin ? "admin" : "stranger";
}
