/**
 * The one wiring place of the gateway's XMPP side: it builds the component
 * (XEP-0114) on the configured domain and the parts every feature shares —
 * the roster (XEP-0356), the presences, the follow-up sender — then
 * registers the IQ modules and each feature on it as a plugin. The
 * application calls `createGateway`, then `start()`; at shutdown `drain()`
 * and `stop()`.
 */

import { createGatewayComponent, type GatewayComponent } from "./component.js";
import type { Feature, FeatureHooks, GatewayParts } from "./feature.js";
import { featureHooks } from "./feature-hooks.js";
import { iqModules } from "./features/iq-modules.js";
import type { Logger } from "./log.js";
import { noPeers } from "./peers.js";
import { createPresence, type Presence, type PresenceOptions } from "./presence.js";
import { createPrivileges } from "./privilege.js";
import type { ReconnectDelay } from "./reconnect.js";
import { createRosterItems, type RosterItems } from "./roster-items.js";
import type { Services } from "./services.js";
import type { Element } from "./xml.js";

export interface GatewayOptions {
  /** Where and how the component connects (XEP-0114); domain and network come from `services.config`. */
  readonly connection: {
    readonly service: string;
    readonly password: string;
    readonly reconnectDelay?: ReconnectDelay;
  };
  readonly services: Services;
  readonly log: Logger;
  /**
   * What the gateway does beyond answering IQs, in order, e.g.
   * `[chatCommands(), presences(), notifications(), announcements()]`;
   * none by default.
   */
  readonly features?: readonly Feature[];
  /** Start-up pacing of the announcement (users per batch, pause between batches). */
  readonly announce?: Pick<PresenceOptions, "announceBatch" | "announcePauseMs">;
  /** When the gateway started (ms since the epoch), for XEP-0012; now by default. */
  readonly startedAt?: number;
}

export interface Gateway {
  readonly domain: string;
  readonly component: GatewayComponent;
  readonly services: Services;
  /** Roster items without prompts where the server allows it (XEP-0356). */
  readonly roster: RosterItems;
  readonly presence: Presence;
  /** Sends stanzas in order after the current IQ's reply has gone out; failures are logged. */
  sendAfterReply(stanzas: readonly Element[]): void;
  /** Connects, then starts the features (announcement, notifications). */
  start(): Promise<void>;
  /** Refuses new commands and IQs and lets running ones finish and reply (at most `timeoutMs`). */
  drain(timeoutMs: number): Promise<boolean>;
  /** The features' last words (goodbye presences), then closes the stream; once. */
  stop(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { connection, services, log } = options;
  const { config } = services;
  const component = createGatewayComponent({
    ...connection,
    domain: config.domain,
    network: config.network,
    languages: config.languages,
    log,
  });
  const { jids } = component;

  /**
   * An IQ handler returns its reply, which @xmpp/iq writes to the socket in
   * the same chain of microtasks; a macrotask (setImmediate) therefore runs
   * after the reply was written, so follow-up stanzas reach the user after it
   * (XEP-0100 §4.1.1 and §4.3.1: the result, then the presences).
   */
  function sendAfterReply(stanzas: readonly Element[]): void {
    // Counted from now, so that shutdown waits for it to go out.
    let go: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      go = resolve;
    });
    setImmediate(go);
    void component
      .track(
        (async () => {
          await turn;
          for (const stanza of stanzas) await component.send(stanza);
        })(),
      )
      .catch((error: unknown) => log.warn({ err: error }, "could not send after an IQ reply"));
  }

  // XEP-0356 §4.2: the grants come with each connection, and go with it.
  const privileges = createPrivileges();
  component.interceptIncoming(privileges.take);
  component.onStatus((status) => status === "offline" && privileges.forget());
  const roster = createRosterItems({ privileges, request: component.request, jids, log });
  const bitcoin = services.bitcoin;
  const presence = createPresence({
    accounts: services.accounts,
    jids,
    store: services.online,
    directory: services.directory,
    send: (stanza) => component.send(stanza),
    log,
    languages: config.languages ?? [],
    peers: services.peers ?? noPeers,
    ...(bitcoin ? { bitcoinAvailable: () => bitcoin.available() } : {}),
    ...options.announce,
  });

  const parts: GatewayParts = { component, services, log, roster, presence, sendAfterReply };
  const startedAt = options.startedAt ?? Date.now();
  const hooks: FeatureHooks[] = [];
  for (const feature of [iqModules({ startedAt }), ...(options.features ?? [])]) {
    const registered = feature(parts);
    if (registered) hooks.push(registered);
  }
  const run = featureHooks(hooks, log);
  let stopping: Promise<void> | undefined;
  // Once, however many callers (the application's shutdown, a test's clean-up).
  const stop = (lastWords = true) =>
    (stopping ??= (async () => {
      try {
        await run.stop({ lastWords });
      } finally {
        await component.stop();
      }
    })());

  return {
    domain: component.domain,
    component,
    services,
    roster,
    presence,
    sendAfterReply,
    async start() {
      await component.start();
      try {
        run.started();
      } catch (error) {
        // A feature that cannot start leaves no stream behind, and says no
        // goodbye for an announcement it never made.
        await stop(false).catch((closing: unknown) =>
          log.warn({ err: closing }, "could not close after a failed start"),
        );
        throw error;
      }
    },
    async drain(timeoutMs) {
      await run.draining();
      return component.drain(timeoutMs);
    },
    stop: () => stop(),
  };
}
