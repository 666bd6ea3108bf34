/**
 * The gateway's start-up announcement and its shutdown goodbye
 * (docs/behaviour.md §6), which speak to every user at once: rate-limited,
 * and aware of other gateway processes serving the same domain (`Peers`),
 * which keep count of who is online and serve the users when this one leaves.
 */
import type { Logger } from "./log.js";
import { interruptiblePause } from "./pause.js";
import { noPeers, type Peers } from "./peers.js";
import type { Statuses } from "./presence-status.js";
import type { PresenceStore } from "./presence-store.js";
import type { AccountsService, Directory } from "./services.js";
import { type Element, xml } from "./xml.js";

export interface AnnouncerOptions {
  readonly accounts: Pick<AccountsService, "byJid">;
  readonly domain: string;
  readonly store: PresenceStore;
  readonly directory: Directory;
  readonly statuses: Statuses;
  readonly send: (stanza: Element) => Promise<void>;
  readonly log: Logger;
  readonly peers?: Peers;
  /** Users per batch, and the pause between batches (default 20 and 1 s). */
  readonly announceBatch?: number;
  readonly announcePauseMs?: number;
}

export function createAnnouncer(options: AnnouncerOptions) {
  const { accounts, domain, store, statuses, send, log } = options;
  const peers = options.peers ?? noPeers;
  // Set by goodbye(): an announcement still under way stops there.
  let closing = false;
  let announcing: Promise<void> | undefined;
  let generation = 0;
  const pause = interruptiblePause();

  async function sendAll(stanzas: readonly Element[]): Promise<void> {
    for (const stanza of stanzas) await send(stanza);
  }

  return {
    /**
     * Start-up, and after a reconnection: forgets stale resources (unless
     * another process is keeping count); then, if this process leads the
     * others (`Peers.leads`), probes every registered user
     * and sends them the gateway's and their addresses' presences, a batch
     * at a time so that a large membership does not flood the server. A new
     * announcement replaces one still running.
     */
    announce(): Promise<void> {
      const mine = ++generation;
      pause.interrupt(); // an older one notices at once that it is replaced
      const over = () => closing || generation !== mine;
      announcing = (async () => {
        if (over()) return;
        // Not knowing whether others keep count, keep what they may have counted.
        const alone = await peers.alone().catch((error: unknown) => {
          log.warn({ err: error }, "could not tell whether other gateway processes run");
          return false;
        });
        if (alone) await store.clear();
        // Not knowing who leads, speak: a second announcement beats none.
        const leads = await peers.leads().catch((error: unknown) => {
          log.warn({ err: error }, "could not tell which gateway process announces");
          return true;
        });
        if (!leads) {
          log.info({}, "another gateway process announces the gateway to its users");
          return;
        }
        const members = await options.directory.members();
        const batch = options.announceBatch ?? 20;
        for (let i = 0; i < members.length && !over(); i += batch) {
          if (i > 0) await pause.wait(options.announcePauseMs ?? 1000);
          for (const member of members.slice(i, i + batch)) {
            if (over()) break;
            const user = await accounts.byJid(member.jid);
            if (!user) continue;
            await send(xml("presence", { from: domain, to: user.jid, type: "probe" }));
            await sendAll(await statuses.all(user, user.jid));
          }
        }
      })();
      return announcing;
    },

    /**
     * Shutdown: stops the announcement (it would meet a closed database),
     * then, if no other process stays to serve them, `unavailable` with a
     * shutting-down status from the gateway and every address.
     */
    async goodbye(): Promise<void> {
      closing = true;
      pause.interrupt();
      await announcing?.catch(() => {}); // its caller hears of its failures
      await peers.leave(async () => {
        for (const jid of await store.online()) {
          const user = await accounts.byJid(jid);
          if (!user) continue;
          const t = statuses.language(user);
          await sendAll(await statuses.all(user, jid, t.shuttingDown)).catch((error: unknown) =>
            log.warn({ err: error, jid }, "could not say goodbye"),
          );
        }
      });
    },
  };
}
