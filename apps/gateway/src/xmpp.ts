/**
 * The XMPP side of `bitcoim start`: the configuration mapped onto
 * @bitcoim/xmpp's gateway, with every feature plugged in — chat commands,
 * presence with online resources in PostgreSQL, notifications on every
 * balance change, the announcements — on the running core services.
 */
import { createCommandSessions, createOnlineResources } from "@bitcoim/accounts";
import {
  announcements,
  chatCommands,
  createAvailability,
  createGateway,
  createRateLimit,
  type GatewayConfig,
  notifications,
  presences,
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
  const bitcoin = createAvailability();
  const gateway = createGateway({
    connection: { service: `xmpp://${xmpp.host}:${xmpp.port}`, password: xmpp.secret },
    services: {
      accounts,
      orders,
      directory: accounts,
      config: xmppConfig(config),
      sessions: createCommandSessions({ db: database.db }),
      wallet: node,
      online: createOnlineResources({ db: database.db }),
      peers,
      bitcoin,
    },
    log: log.child({ part: "xmpp" }),
    features: [
      chatCommands({ rateLimit: createRateLimit({ limit: settings.commandsPerMinute }) }),
      presences(),
      notifications(),
      announcements(),
    ],
  });
  await gateway.start();
  log.info({ domain: xmpp.jid }, "XMPP component online");
  return {
    bitcoinHealth(available) {
      log.warn({ available }, available ? "Bitcoin node back" : "Bitcoin node unavailable");
      bitcoin.set(available);
    },
    async stop() {
      // Commands already running finish and reply before users are told goodbye.
      if (!(await gateway.drain(DRAIN_MS))) {
        log.warn({ waitedMs: DRAIN_MS }, "stopping with commands still running");
      }
      await gateway.stop();
    },
  };
};
