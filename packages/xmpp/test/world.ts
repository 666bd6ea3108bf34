/**
 * An end-to-end world for the XMPP tests: a real Prosody (one dotted host
 * for users, the dotless `localhost` for refusal tests), the accounts world
 * (PGlite, sandbox chain) with orders, and the gateway connected to Prosody
 * as its component. `user(localpart)` gives a connected real client.
 */
import { createCommandSessions } from "@bitcoim/accounts";
import { createWorld, type World } from "@bitcoim/accounts/testing";
import { createOrders, type Orders, type OrdersOptions } from "@bitcoim/orders";
import type { Availability } from "../src/availability.js";
import type { Feature } from "../src/feature.js";
import { createGateway, type Gateway } from "../src/gateway.js";
import { createPresence, type Presence, type PresenceOptions } from "../src/presence.js";
import { createPresenceStore } from "../src/presence-store.js";
import type { Directory, Services } from "../src/services.js";
import { connectUser, type User, xml } from "./client.js";
import { type MemoryLogger, memoryLogger } from "./helpers.js";
import { createProsody, type Prosody, type ProsodyOptions } from "./prosody.js";

/** The users' host: it has a dot, so its users may register. */
export const HOST = "example.localhost";
/** A host without a dot: its users are refused (docs/behaviour.md §2). */
export const DOTLESS_HOST = "localhost";

export interface XmppWorldOptions {
  /** Bare JIDs of the admins, e.g. `admin@example.localhost`. */
  readonly admins?: readonly string[];
  /** The gateway's features beyond its IQ modules (chat, presence, ...); none by default. */
  readonly features?: readonly Feature[];
  /** Options for the world's orders service, e.g. a settable clock `now`. */
  readonly orders?: Partial<Omit<OrdersOptions, "db" | "accounts" | "node" | "network">>;
  /** Block-explorer template for address vCards. */
  readonly explorerUrl?: string;
  /** Block-explorer template for transactions, shown after txids. */
  readonly explorerTxUrl?: string;
  /** Whether the Bitcoin node answers, as the gateway's services carry it. */
  readonly bitcoin?: Availability;
  /** Roster access Prosody grants the gateway (XEP-0356, mod_privilege); none by default. */
  readonly privilege?: ProsodyOptions["privilege"];
}

export interface XmppWorld {
  readonly prosody: Prosody;
  /** The accounts world: database, sandbox chain, wallets, accounts, mine/pay/scan. */
  readonly world: World;
  readonly orders: Orders;
  readonly services: Services;
  readonly gateway: Gateway;
  /** The component's domain. */
  readonly domain: string;
  readonly log: MemoryLogger;
  /** A connected client `localpart@host` (created in Prosody on first use); one connection per name. */
  user(localpart: string, host?: string): Promise<User>;
  close(): Promise<void>;
}

export async function createXmppWorld(options: XmppWorldOptions = {}): Promise<XmppWorld> {
  const prosody = await createProsody({
    hosts: [HOST, DOTLESS_HOST],
    ...(options.privilege ? { privilege: options.privilege } : {}),
  });
  const domain = prosody.componentDomain;
  const world = await createWorld("pglite", { admins: options.admins ?? [] });
  const users = new Map<string, Promise<User>>();
  let gateway: Gateway | undefined;
  try {
    await prosody.start();
    const orders = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      node: world.gw,
      network: "regtest",
      ...options.orders,
    });
    const directory: Directory = {
      async members() {
        const rows = await world.database.db.query.users.findMany({
          where: (u, { isNull }) => isNull(u.unregisteredAt),
          orderBy: (u, { asc }) => asc(u.id),
        });
        return rows.map(({ jid, username }) => ({ jid, username }));
      },
    };
    const services: Services = {
      accounts: world.accounts,
      orders,
      directory,
      config: {
        domain,
        network: "regtest",
        explorerUrl: options.explorerUrl,
        explorerTxUrl: options.explorerTxUrl,
      },
      sessions: createCommandSessions({ db: world.database.db }),
      wallet: world.gw,
      online: createPresenceStore({ db: world.database.db }),
      bitcoin: options.bitcoin,
    };
    const log = memoryLogger();
    gateway = createGateway({
      connection: { service: prosody.componentService, password: prosody.componentSecret },
      services,
      log,
      ...(options.features ? { features: options.features } : {}),
    });
    await gateway.start();
    const started = gateway;

    function user(localpart: string, host = HOST): Promise<User> {
      const key = `${localpart}@${host}`;
      let connecting = users.get(key);
      if (!connecting) {
        const password = `${localpart}-pw`;
        connecting = prosody.register(localpart, host, password).then(() =>
          connectUser({
            service: prosody.c2sService,
            domain: host,
            username: localpart,
            password,
          }),
        );
        users.set(key, connecting);
      }
      return connecting;
    }

    return {
      prosody,
      world,
      orders,
      services,
      gateway: started,
      domain,
      log,
      user,
      async close() {
        const connected = await Promise.allSettled(users.values());
        for (const result of connected)
          if (result.status === "fulfilled") await result.value.stop();
        await started.stop();
        await world.close();
        await prosody.close();
      },
    };
  } catch (error) {
    await gateway?.stop();
    await world.close();
    await prosody.close();
    throw error;
  }
}

/**
 * Sends the user's initial presence (RFC 6121 §4.2) and waits for its echo:
 * until then, their server keeps presences to the bare JID (subscription
 * requests, directed presence) from them.
 */
export async function goOnline(user: User): Promise<void> {
  const echo = user.waitFor(
    (s) => s.is("presence") && s.attrs.from === user.jid && s.attrs.type === undefined,
    "the echo of the initial presence",
  );
  await user.send(xml("presence"));
  await echo;
}

/**
 * The presence module on a world's gateway, as the application wires it:
 * its accounts, JIDs, directory, sender and log; the store in its database
 * unless given, and any pacing asked for.
 */
export function presenceIn(
  world: XmppWorld,
  options: Partial<
    Pick<PresenceOptions, "store" | "announceBatch" | "announcePauseMs" | "peers">
  > = {},
): Presence {
  return createPresence({
    accounts: world.world.accounts,
    jids: world.gateway.component.jids,
    store: options.store ?? createPresenceStore({ db: world.world.database.db }),
    directory: world.services.directory,
    send: (s) => world.gateway.component.send(s),
    log: world.log,
    ...(options.announceBatch !== undefined ? { announceBatch: options.announceBatch } : {}),
    ...(options.announcePauseMs !== undefined ? { announcePauseMs: options.announcePauseMs } : {}),
    ...(options.peers ? { peers: options.peers } : {}),
  });
}
