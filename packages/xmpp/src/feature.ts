/**
 * A feature is a plugin of the gateway, in the xmpp.js manner: a function
 * given the gateway's parts that registers its handlers on the component
 * and may return hooks for start and shutdown. `createGateway` calls each
 * once, in order, after the IQ modules.
 */
import type { GatewayComponent } from "./component.js";
import type { Logger } from "./log.js";
import type { Presence } from "./presence.js";
import type { RosterItems } from "./roster-items.js";
import type { Services } from "./services.js";
import type { Element } from "./xml.js";

/** What a feature is built from. */
export interface GatewayParts {
  readonly component: GatewayComponent;
  readonly services: Services;
  readonly log: Logger;
  /** Roster items without prompts where the server allows it (XEP-0356). */
  readonly roster: RosterItems;
  /** The gateway's presences and the online store behind them (docs/behaviour.md §6). */
  readonly presence: Presence;
  /** Sends stanzas in order after the current IQ's reply has gone out; failures are logged. */
  sendAfterReply(stanzas: readonly Element[]): void;
}

export interface FeatureHooks {
  /** The component is online for the first time (start-up work, subscriptions). */
  started?(): void;
  /** Shutdown, first step: the gateway stops taking commands (stop what would start new work). */
  draining?(): void;
  /** Shutdown, after running commands finished and before the stream closes: last words. */
  stopping?(): Promise<void>;
  /** Shutdown, last step before the stream closes: let go of subscriptions. */
  stopped?(): void;
}

export type Feature = (parts: GatewayParts) => FeatureHooks | undefined;
