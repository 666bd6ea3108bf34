/**
 * Notifications as a feature (docs/behaviour.md §8): each balance change is
 * told to its user and refreshes their presences. They start once the
 * component is online; their sends count as running work for shutdown.
 */
import type { Feature } from "../feature.js";
import { startNotifications } from "../notify.js";
import { txLinker } from "../services.js";

export function notifications(): Feature {
  return ({ component, services, presence, log }) => {
    let stop: (() => void) | undefined;
    return {
      started() {
        stop ??= startNotifications({
          accounts: services.accounts,
          orders: services.orders,
          jids: component.jids,
          send: (stanza) => component.send(stanza),
          refresh: (user, known) => presence.refresh(user, known),
          log,
          languages: services.config.languages ?? [],
          track: (work) => component.track(work),
          txLink: txLinker(services.config.explorerTxUrl),
        });
      },
      stopped: () => stop?.(),
    };
  };
}
