/// <reference path="./xmpp-component.d.ts" />
/**
 * Staying connected to the XMPP server. @xmpp/reconnect retries every
 * second forever; this replaces it with a delay policy: by default a few
 * quick attempts, then an exponential backoff with jitter, so that many
 * gateways (or one gateway whose server is down for long) do not hammer the
 * server in lockstep. The quick attempts are for the common case, a server
 * restarted: doubling from the first second, a gateway came back 19–38 s
 * after an ejabberd restart that its users had already reconnected from.
 */
import type { Component } from "@xmpp/component";
import type { Logger } from "./log.js";

/** The delay in ms before reconnect attempt `attempt` (0 for the first after a loss). */
export type ReconnectDelay = (attempt: number) => number;

export interface BackoffOptions {
  /** First delay, ms. */
  readonly initial?: number;
  /** Upper bound, ms. */
  readonly max?: number;
  readonly factor?: number;
  /** Attempts made at the initial delay before it starts to grow (default 10; 1 doubles at once). */
  readonly steady?: number;
  /** Fraction of each delay drawn at random: delay × (1 − jitter × random()). */
  readonly jitter?: number;
  readonly random?: () => number;
}

export function backoff({
  initial = 1000,
  max = 60_000,
  factor = 2,
  steady = 10,
  jitter = 0.5,
  random = Math.random,
}: BackoffOptions = {}): ReconnectDelay {
  return (attempt) => {
    const grown = Math.max(0, attempt - steady + 1);
    const base = Math.min(max, initial * factor ** Math.min(grown, 64));
    return Math.round(base * (1 - jitter * random()));
  };
}

export interface KeepConnected {
  /** Start reconnecting after each loss of the connection. */
  enable(): void;
  /** Stop reconnecting and cancel a pending attempt. */
  disable(): void;
}

/** Takes over reconnection of `entity` (its own @xmpp/reconnect is stopped). */
export function keepConnected({
  entity,
  delay,
  log,
}: {
  entity: Component;
  delay: ReconnectDelay;
  log: Logger;
}): KeepConnected {
  entity.reconnect.stop();
  let enabled = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  async function reconnect(): Promise<void> {
    timer = undefined;
    if (!enabled || entity.status !== "disconnect") return;
    const { service, domain } = entity.options;
    try {
      await entity.connect(service);
      await entity.open({ domain });
    } catch (error) {
      log.debug({ err: error, attempt }, "XMPP reconnect attempt failed");
      // A connection that opened but never completed: drop it, which
      // brings us back to "disconnect" and the next attempt.
      if (entity.status !== "disconnect" && entity.status !== "offline") {
        await entity.disconnect().catch(() => {});
      }
    }
  }

  function onDisconnect(): void {
    if (!enabled || timer) return;
    const ms = delay(attempt++);
    log.warn({ attempt, delayMs: ms }, "XMPP connection lost; reconnecting");
    timer = setTimeout(reconnect, ms);
  }

  function onOnline(): void {
    if (attempt > 0) log.info({ attempts: attempt }, "XMPP connection re-established");
    attempt = 0;
  }

  entity.on("disconnect", onDisconnect);
  entity.on("online", onOnline);

  return {
    enable() {
      enabled = true;
    },
    disable() {
      enabled = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
