/**
 * `@bitcoim/xmpp`: the gateway as an XMPP component (XEP-0114) and the
 * features an application plugs into it: chat commands, presence,
 * notifications, the announcements. These names are the package's public
 * surface. Everything else is internal and may change in any release.
 */

export { type Availability, createAvailability } from "./availability.js";
export type { GatewayComponent } from "./component.js";
export type { StanzaContext, StanzaHandler, StanzaHandlers } from "./dispatch.js";
export { type Condition, StanzaError, type StanzaErrorOptions } from "./errors.js";
export type { Feature, FeatureHooks, GatewayParts } from "./feature.js";
export { announcements } from "./features/announcements.js";
export { chatCommands } from "./features/chat.js";
export { notifications } from "./features/notifications.js";
export { presences } from "./features/presences.js";
export { createGateway, type Gateway, type GatewayOptions } from "./gateway.js";
export type { Catalogue } from "./i18n/catalogue.js";
export { type Logger, silentLogger } from "./log.js";
export { noPeers, type Peers } from "./peers.js";
export type { Presence } from "./presence.js";
export { createPresenceStore, type PresenceStore } from "./presence-store.js";
export { createRateLimit, type RateLimit, type RateLimitOptions } from "./rate-limit.js";
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
