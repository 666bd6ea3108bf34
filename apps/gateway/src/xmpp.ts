/**
 * The XMPP side of `bitcoim start`: @bitcoim/xmpp's gateway on the running
 * core services — IQ modules, chat commands, presence with online
 * resources in PostgreSQL, notifications on every balance change — then
 * the start-up announcement; at shutdown the goodbye presences first.
 */
import { createCommandSessions, createOnlineResources } from "@bitcoim/accounts";
import {
  announceAfterReconnects,
  createChatHandler,
  createGateway,
  createPresence,
  createRateLimit,
  type GatewayConfig,
  type Presence,
  startNotifications,
  txLinker,
} from "@bitcoim/xmpp";
import type { Config } from "./config/index.js";
import type { StartComponent } from "./lifecycle/start.js";

/**
 * The XMPP side's view of the configuration. The explorer templates are
 * already resolved per network by the configuration; null there means the
 * operator turned links off (`""`), so no default may come back here.
 */
export function xmppConfig({ xmpp, bitcoin, gateway }: Config): GatewayConfig {
  return {
    domain: xmpp.jid,
    network: bitcoin.network,
    explorerUrl: gateway.explorer.address ?? undefined,
    explorerTxUrl: gateway.explorer.tx ?? undefined,
    languages: gateway.languages,
  };
}

/** How long shutdown waits for running commands (a `confirm` may be in a node call). */
const DRAIN_MS = 15_000;

export const startXmpp: StartComponent = async ({
  config,
  log,
  database,
  node,
  accounts,
  orders,
  peers,
}) => {
  const { xmpp, gateway: settings } = config;
  const languages = settings.languages;
  let presence: Presence | undefined;
  const txLink = txLinker(xmppConfig(config).explorerTxUrl);
  let bitcoinAvailable = true;
  const gateway = createGateway({
    connection: { service: `xmpp://${xmpp.host}:${xmpp.port}`, password: xmpp.secret },
    services: {
      accounts,
      orders,
      directory: accounts,
      config: xmppConfig(config),
      sessions: createCommandSessions({ db: database.db }),
      wallet: node,
    },
    log: log.child({ part: "xmpp" }),
    handlers: ({ component, services, log: xmppLog, roster }) => {
      presence = createPresence({
        accounts: services.accounts,
        jids: component.jids,
        store: createOnlineResources({ db: database.db }),
        directory: services.directory,
        send: component.send,
        log: xmppLog,
        languages,
        bitcoinAvailable: () => bitcoinAvailable,
        peers,
      });
      return {
        message: createChatHandler({
          accounts: services.accounts,
          orders: services.orders,
          wallet: node,
          txLink,
          jids: component.jids,
          network: services.config.network,
          log: xmppLog,
          languages,
          rateLimit: createRateLimit({ limit: settings.commandsPerMinute }),
          roster,
        }),
        presence: presence.handler,
      };
    },
  });
  const stopNotifications = startNotifications({
    accounts,
    orders,
    jids: gateway.component.jids,
    send: (stanza) => gateway.component.send(stanza),
    refresh: (user, known) => presence?.refresh(user, known) ?? Promise.resolve(),
    log,
    languages,
    track: (work) => gateway.component.track(work),
    txLink,
  });
  await gateway.start();
  // Rate-limited (docs/behaviour.md §6): with many users it takes a while, so it runs on its own.
  presence
    ?.announce()
    .catch((error: unknown) => log.warn({ err: error }, "start-up announcement failed"));
  const stopReannouncing = presence
    ? announceAfterReconnects({ component: gateway.component, presence, log })
    : () => {};
  log.info({ domain: xmpp.jid }, "XMPP component online");
  return {
    bitcoinHealth(available) {
      bitcoinAvailable = available;
      log.warn({ available }, available ? "Bitcoin node back" : "Bitcoin node unavailable");
      presence
        ?.refreshAll()
        .catch((error: unknown) => log.warn({ err: error }, "presence refresh failed"));
    },
    async stop() {
      stopReannouncing();
      // Commands already running finish and reply before users are told goodbye.
      if (!(await gateway.drain(DRAIN_MS))) {
        log.warn({ waitedMs: DRAIN_MS }, "stopping with commands still running");
      }
      await presence
        ?.goodbye()
        .catch((error: unknown) => log.warn({ err: error }, "goodbye failed"));
      stopNotifications();
      await gateway.stop();
    },
  };
};
