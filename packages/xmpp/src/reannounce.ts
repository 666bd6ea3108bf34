/**
 * After the XMPP stream comes back (docs/behaviour.md §9: reconnect, then
 * re-announce): while it was down no presence reached us, so who is online
 * is unknown. The announcement forgets it, probes every user and resends our
 * presences, at its usual pace.
 */
import type { ComponentStatus } from "./component.js";
import type { Logger } from "./log.js";

export function announceAfterReconnects({
  component,
  presence,
  log,
}: {
  component: { onStatus(listener: (status: ComponentStatus) => void): () => void };
  presence: { announce(): Promise<void> };
  log: Logger;
}): () => void {
  // Only a return after a loss counts: the first "online" is start-up's own.
  let lost = false;
  return component.onStatus((status) => {
    if (status === "offline") {
      lost = true;
      return;
    }
    if (!lost) return;
    lost = false;
    log.info({}, "XMPP stream back: announcing presence again");
    presence.announce().catch((error: unknown) => {
      log.warn({ err: error }, "re-announcement after reconnecting failed");
    });
  });
}
