/**
 * The one wiring place of the gateway's XMPP side: it builds the component
 * (XEP-0114) on the configured domain, registers every IQ module on its
 * router, and takes the message and presence handlers (chat commands,
 * presence) as `handlers`. The application calls `createGateway` and then
 * `start()`.
 */
import { adhoc } from "./adhoc/index.js";
import { avatarPep } from "./avatar-pep.js";
import { entityCaps } from "./caps.js";
import { createGatewayComponent, type GatewayComponent } from "./component.js";
import { disco } from "./disco.js";
import { rootInfos } from "./disco-root.js";
import type { StanzaHandlers } from "./dispatch.js";
import { gatewayIq } from "./gateway-iq.js";
import { last } from "./last.js";
import type { Logger } from "./log.js";
import { ping } from "./ping.js";
import { createPrivileges } from "./privilege.js";
import type { ReconnectDelay } from "./reconnect.js";
import { register } from "./register.js";
import { createRosterItems, type RosterItems } from "./roster-items.js";
import { type Services, txLinker } from "./services.js";
import { vcard } from "./vcard.js";
import { version } from "./version.js";
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
   * Message (chat commands) and presence handlers, or a function making them
   * from the gateway's parts (they need its JID model and sender).
   */
  readonly handlers?: StanzaHandlers | ((gateway: GatewayParts) => StanzaHandlers);
  /** When the gateway started (ms since the epoch), for XEP-0012; now by default. */
  readonly startedAt?: number;
}

/** What message and presence handlers may be built from. */
export interface GatewayParts {
  readonly component: GatewayComponent;
  readonly services: Services;
  readonly log: Logger;
  /** Roster items without prompts where the server allows it (XEP-0356), for the chat commands. */
  readonly roster: RosterItems;
  sendAfterReply(stanzas: readonly Element[]): void;
}

export interface Gateway {
  readonly domain: string;
  readonly component: GatewayComponent;
  readonly services: Services;
  /** Roster items without prompts where the server allows it (XEP-0356). */
  readonly roster: RosterItems;
  /** Sends stanzas in order after the current IQ's reply has gone out; failures are logged. */
  sendAfterReply(stanzas: readonly Element[]): void;
  start(): Promise<void>;
  /** Refuses new commands and IQs and lets running ones finish and reply (at most `timeoutMs`). */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { connection, services, log, handlers = {} } = options;
  // The component takes its handlers when built; they may need the component,
  // so it gets stable wrappers that call them once they exist.
  let chosen: StanzaHandlers = {};
  const component = createGatewayComponent({
    ...connection,
    domain: services.config.domain,
    network: services.config.network,
    languages: services.config.languages,
    log,
    handlers: {
      message: (ctx) => chosen.message?.(ctx),
      presence: (ctx) => chosen.presence?.(ctx),
    },
  });
  const { iq } = component;

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

  const { accounts, directory, config } = services;
  const { jids } = component;
  const { languages } = config;
  // XEP-0356 §4.2: the grants come with each connection, and go with it.
  const privileges = createPrivileges();
  component.interceptIncoming(privileges.take);
  component.onStatus((status) => status === "offline" && privileges.forget());
  const roster = createRosterItems({ privileges, request: component.request, jids, log });
  register({ iq, accounts, jids, log, sendAfterReply, languages, roster });
  gatewayIq({ iq, accounts, jids, network: config.network, languages });
  vcard({ iq, accounts, config });
  avatarPep({ iq });
  const registration = { accounts, jids, log, languages, roster };
  const commands = services.sessions
    ? adhoc({
        iq,
        commands: {
          accounts,
          orders: services.orders,
          jids,
          wallet: services.wallet,
          txLink: txLinker(config.explorerTxUrl),
          roster,
        },
        sessions: services.sessions,
        directory,
        registration,
        sendAfterReply,
        log,
        languages,
      })
    : undefined;
  const roots = rootInfos({ iq });
  const caps = entityCaps({ roots, jids, accounts });
  component.decorateOutgoing(caps.decorate);
  disco({
    iq,
    accounts,
    directory,
    jids,
    languages,
    roots,
    nodes: [...(commands ? [commands] : []), caps],
  });
  chosen =
    typeof handlers === "function"
      ? handlers({ component, services, log, roster, sendAfterReply })
      : handlers;
  version({ iq });
  last({ iq, startedAt: options.startedAt ?? Date.now() });
  ping({ iq });

  return {
    domain: component.domain,
    component,
    services,
    roster,
    sendAfterReply,
    start: () => component.start(),
    drain: (timeoutMs) => component.drain(timeoutMs),
    stop: () => component.stop(),
  };
}
