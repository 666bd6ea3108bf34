/**
 * `@bitcoim/xmpp`: the gateway as an XMPP component (XEP-0114) and the
 * features an application wires onto it: chat commands, presence,
 * notifications, the start-up announcement. These names are the package's
 * public surface. Everything else is internal and may change in any release.
 */
export { noPeers, type Peers } from "./announce.js";
export { type ChatOptions, createChatHandler } from "./chat.js";
export type { GatewayComponent } from "./component.js";
export type { StanzaContext, StanzaHandler, StanzaHandlers } from "./dispatch.js";
export { type Condition, StanzaError, type StanzaErrorOptions } from "./errors.js";
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayParts,
} from "./gateway.js";
export type { Catalogue } from "./i18n/catalogue.js";
export { type Logger, silentLogger } from "./log.js";
export { type NotifyOptions, startNotifications } from "./notify.js";
export { createPresence, type Presence, type PresenceOptions } from "./presence.js";
export { createPresenceStore, type PresenceStore } from "./presence-store.js";
export { createRateLimit, type RateLimit, type RateLimitOptions } from "./rate-limit.js";
export { announceAfterReconnects } from "./reannounce.js";
export type { BackoffOptions, ReconnectDelay } from "./reconnect.js";
export type { RosterItems } from "./roster-items.js";
export {
  type AccountsService,
  type Directory,
  defaultExplorerUrl,
  explorerLink,
  type GatewayConfig,
  type Member,
  type OrdersService,
  type Services,
  txLinker,
} from "./services.js";
