/**
 * Telling users what happened to their money (docs/behaviour.md §6–7):
 * on every balance change — a deposit seen, credited or taken back, a
 * payment received, an on-chain payment confirmed, refunded or failed — a
 * chat message from the gateway says what and how much, and the gateway's
 * presence is resent with the new balance to a user who is online.
 */
import type { Balance, DepositNotice, User, UserWithBalance } from "@bitcoim/accounts";
import type { Order } from "@bitcoim/orders";
import type { Catalogue } from "./i18n/catalogue.js";
import { chooseLanguage, formatBtc } from "./i18n/language.js";
import type { JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import { type AccountsService, type OrdersService, withTxLink } from "./services.js";
import { type Element, xml } from "./xml.js";

export interface NotifyOptions {
  readonly accounts: AccountsService;
  readonly orders: Pick<OrdersService, "events">;
  readonly jids: JidModel;
  readonly send: (stanza: Element) => Promise<void>;
  /** Resends the gateway's presence to the user if online (presence.ts `refresh`), given what is known. */
  readonly refresh: (
    user: number | User,
    known?: { balance?: Balance; online?: boolean },
  ) => Promise<void>;
  readonly log: Logger;
  readonly languages?: readonly string[];
  /** A block-explorer link for a transaction, shown after a notice that names one. */
  readonly txLink?: (txid: string) => string | undefined;
  /** Counts each notification as running work, so that shutdown waits for it (component `track`). */
  readonly track?: <T>(work: Promise<T>) => Promise<T>;
}

/** The words for a user, who has `balance` now. */
type Say = (t: Catalogue, balance: Balance) => Promise<string> | string;

/** Subscribes to the accounts and orders events; returns the unsubscribe function. */
export function startNotifications(options: NotifyOptions): () => void {
  const { accounts, orders, jids, send, refresh, log } = options;

  /**
   * Tells a user (if `say`) and refreshes their presence; returns them. The
   * user and their new balance are read together, once, for both.
   */
  async function tell(
    who: number | UserWithBalance | undefined,
    say: Say | undefined,
    txid?: string,
  ): Promise<User | undefined> {
    // An id is read here; a user already read with their balance is used as is.
    const found = typeof who === "number" ? await accounts.withBalance(who) : who;
    if (!found || found.user.unregisteredAt) return found?.user;
    const { user, balance, online } = found;
    if (say) {
      const t = chooseLanguage({ userLang: user.language, configured: options.languages });
      const body = withTxLink(await say(t, balance), txid, options.txLink);
      await send(
        xml(
          "message",
          { from: jids.domain, to: user.jid, type: "chat", "xml:lang": t.lang },
          xml("body", {}, body),
        ),
      );
    }
    await refresh(user, { balance, online });
    return user;
  }

  /** Listeners run after commit and must not throw: failures (say, the stream is down) are logged. */
  const run = (event: string, work: () => Promise<unknown>) => {
    const started = work();
    (options.track?.(started) ?? started).catch((error: unknown) =>
      log.warn({ err: error, event }, "could not notify a user"),
    );
  };

  const deposit =
    (event: "depositSeen" | "depositCredited" | "depositReversed" | "depositDropped") =>
    (n: DepositNotice) =>
      run(event, () =>
        tell(
          n.userId,
          async (t, balance) => {
            const amount = formatBtc(t, n.amount);
            if (event === "depositSeen") return t.depositSeen({ ...n, amount });
            if (event === "depositDropped") {
              return t.depositDropped({ amount, address: n.address, txid: n.txid });
            }
            if (event === "depositReversed") {
              const shortfall = n.shortfall > 0n ? { shortfall: formatBtc(t, n.shortfall) } : {};
              return t.depositReversed({ amount, txid: n.txid, ...shortfall });
            }
            const confirmed = formatBtc(t, balance.confirmed);
            return t.depositCredited({
              amount,
              address: n.address,
              txid: n.txid,
              balance: confirmed,
            });
          },
          n.txid,
        ),
      );

  const toAddress = (t: Catalogue, order: Order) => ({
    amount: formatBtc(t, order.amount),
    address: order.recipientAddress ?? "?",
  });

  const unsubscribe = [
    accounts.events.on("depositSeen", deposit("depositSeen")),
    accounts.events.on("depositCredited", deposit("depositCredited")),
    accounts.events.on("depositReversed", deposit("depositReversed")),
    accounts.events.on("depositDropped", deposit("depositDropped")),
    orders.events.on("paymentCompleted", ({ order, recipientUserId }) =>
      run("paymentCompleted", async () => {
        // The payer heard it from `confirm`; their presence still changes.
        if (recipientUserId === null) {
          await tell(order.senderId, undefined);
          return;
        }
        // Both sides of a payment between users, read at once.
        const both = await accounts.withBalances([order.senderId, recipientUserId]);
        const side = (id: number) => both.find((found) => found.user.id === id);
        const sender = await tell(side(order.senderId), undefined);
        await tell(side(recipientUserId), async (t, balance) =>
          t.paymentReceived({
            amount: formatBtc(t, order.amount),
            from: sender?.username ?? "?",
            comment: order.comment,
            balance: formatBtc(t, balance.confirmed),
          }),
        );
      }),
    ),
    orders.events.on("paymentConfirmedOnChain", ({ order, txid, confirmations }) =>
      run("paymentConfirmedOnChain", () =>
        tell(
          order.senderId,
          (t) => t.paymentConfirmed({ ...toAddress(t, order), txid, confirmations }),
          txid,
        ),
      ),
    ),
    orders.events.on("paymentRefunded", ({ order, cause, txid }) =>
      run("paymentRefunded", () =>
        tell(
          order.senderId,
          (t) => t.paymentRefunded({ ...toAddress(t, order), cause, ...(txid ? { txid } : {}) }),
          txid,
        ),
      ),
    ),
    orders.events.on("paymentFailed", ({ order, reason }) =>
      run("paymentFailed", () =>
        tell(order.senderId, (t) => t.paymentFailed({ ...toAddress(t, order), reason })),
      ),
    ),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
