/**
 * A bare Bitcoin address or a `bitcoin:` payment link (BIP21) pasted into a
 * chat (docs/behaviour.md §7): the answer comes from that address's JID, so
 * the user goes on there. A link with an amount starts the payment at once —
 * the same summary and code as `pay` written to that JID, its message (else
 * its label) as the reason; without an amount it says how to pay.
 */
import { formatAmount, isAddress, type Network, parseBip21 } from "@bitcoim/wallet";
import type { Catalogue } from "../i18n/catalogue.js";
import type { JidModel } from "../jids.js";
import type { CommandReply } from "./context.js";

export type Pasted =
  | { readonly kind: "reply"; readonly reply: CommandReply }
  /** `pay <rest>`, written to the address's JID `from`. */
  | {
      readonly kind: "pay";
      readonly address: string;
      readonly from: string;
      readonly rest: string;
    };

interface PasteDeps {
  readonly jids: JidModel;
  readonly network: Network;
  readonly t: Catalogue;
}

/** The reply when `body` is a single valid address for the network; undefined otherwise. */
export function bareAddress(
  body: string,
  { jids, network, t }: PasteDeps,
): CommandReply | undefined {
  const text = body.trim();
  if (/\s/u.test(text) || !isAddress(text, network)) return undefined;
  return { text: t.bareAddress(text, t.words.pay), from: jids.addressJid(text) };
}

/**
 * What a body that is one address or one `bitcoin:` URI asks for; undefined
 * for any other body. A URI that cannot be paid throws its Bip21Error.
 */
export function pasted(body: string, deps: PasteDeps): Pasted | undefined {
  const text = body.trim();
  if (/\s/u.test(text)) return undefined;
  if (!/^bitcoin:/iu.test(text)) {
    const reply = bareAddress(text, deps);
    return reply ? { kind: "reply", reply } : undefined;
  }
  const { jids, network, t } = deps;
  const request = parseBip21(text, network);
  const from = jids.addressJid(request.address);
  if (request.amount === undefined) {
    const label = request.label ? { label: request.label } : {};
    const words = { address: request.address, payWord: t.words.pay, ...label };
    return { kind: "reply", reply: { text: t.uriWithoutAmount(words), from } };
  }
  const reason = request.message ?? request.label ?? "";
  // With its unit, so that a reason starting with "sat" or with digits is not read as part of the amount.
  const rest = `${formatAmount(request.amount)} BTC ${reason}`.trim();
  return { kind: "pay", address: request.address, from, rest };
}
