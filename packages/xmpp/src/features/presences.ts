/**
 * Presence as a feature (docs/behaviour.md §6): the gateway answers
 * subscriptions, probes and arrivals, and resends every status when the
 * Bitcoin node goes away or comes back (§9).
 */
import type { Feature } from "../feature.js";

export function presences(): Feature {
  return ({ component, services, presence, log }) => {
    component.handle("presence", presence.handler);
    const unsubscribe = services.bitcoin?.onChange(() => {
      presence
        .refreshAll()
        .catch((error: unknown) => log.warn({ err: error }, "presence refresh failed"));
    });
    return { stopped: () => unsubscribe?.() };
  };
}
