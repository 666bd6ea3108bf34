/**
 * The gateway's announcements as a feature (docs/behaviour.md §6, §9): its
 * presence to every user at start-up and again after the stream comes back
 * (only the leading process when several share a database), and the
 * goodbye presences at shutdown.
 */
import type { Feature } from "../feature.js";
import { announceAfterReconnects } from "../reannounce.js";

export function announcements(): Feature {
  return ({ component, presence, log }) => {
    let stopReannouncing: (() => void) | undefined;
    return {
      started() {
        // Rate-limited: with many users it takes a while, so it runs on its own.
        presence
          .announce()
          .catch((error: unknown) => log.warn({ err: error }, "start-up announcement failed"));
        stopReannouncing ??= announceAfterReconnects({ component, presence, log });
      },
      // A reconnection while draining must not forget who is online: the
      // goodbye needs them.
      draining: () => stopReannouncing?.(),
      async stopping() {
        stopReannouncing?.();
        await presence
          .goodbye()
          .catch((error: unknown) => log.warn({ err: error }, "goodbye failed"));
      },
    };
  };
}
