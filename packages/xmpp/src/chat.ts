/**
 * The message handler (docs/behaviour.md §7): a chat body written to the
 * gateway, an address or a user JID is a command. Empty bodies are ignored;
 * a correction (XEP-0308) is never executed, nor a reaction (XEP-0444), and
 * reply quotes are not part of the command (fallback.ts); a receipt is
 * sent where asked (receipts.ts); `register` and `unregister` work by chat
 * (chat-register.ts), and any other message from an unregistered sender is
 * answered with how to register; each user may
 * run a limited number of commands a minute. The one reply is a `chat`
 * message from the JID written to, and failures start with "Error:".
 */
import type { Network } from "@bitcoim/wallet";
import { chatRegistration } from "./chat-register.js";
import {
  ChatError,
  COMMANDS,
  type CommandDeps,
  type CommandReply,
  commandsFor,
  describeError,
  paidReply,
  parseBody,
  pasted,
  resolveCommand,
} from "./commands/index.js";
import { senderAndTarget } from "./commands/target.js";
import { confirmAtOnce } from "./confirm-at-once.js";
import type { StanzaContext, StanzaHandler } from "./dispatch.js";
import { writtenBody } from "./fallback.js";
import type { Catalogue } from "./i18n/catalogue.js";
import { chooseLanguage } from "./i18n/language.js";
import { splitJid } from "./jids.js";
import type { Logger } from "./log.js";
import { createRateLimit, type RateLimit } from "./rate-limit.js";
import { receiptFor } from "./receipts.js";
import { registrationTexts } from "./register-texts.js";
import { type Element, xml } from "./xml.js";

/** XEP-0308 §4: a message that corrects an earlier one. */
export const NS_CORRECTION = "urn:xmpp:message-correct:0";

export interface ChatOptions extends CommandDeps {
  readonly network: Network;
  readonly log: Logger;
  /** The configured language order; English is always the last fallback. */
  readonly languages?: readonly string[];
  /** Per-user command limit (in memory; see rate-limit.ts); 30 a minute by default. */
  readonly rateLimit?: RateLimit;
}

export function createChatHandler(options: ChatOptions): StanzaHandler {
  const { accounts, jids, network, log, languages = [] } = options;
  const limiter = options.rateLimit ?? createRateLimit();
  const { roster } = options;
  const registrationDeps = { accounts, jids, log, languages, roster };
  const deps: CommandDeps = {
    accounts,
    orders: options.orders,
    jids,
    wallet: options.wallet,
    txLink: options.txLink,
    roster,
  };

  return async (ctx) => {
    const { stanza } = ctx;
    const type = stanza.attrs.type ?? "normal";
    if (type !== "chat" && type !== "normal") return undefined; // errors, groupchat, headlines
    const full = stanza.getChildText("body");
    if (full === null) return undefined;
    const body = writtenBody(stanza, full);
    if (body === undefined) return undefined; // a reaction, a quote alone, or blank

    const bare = bareJid(ctx.from);
    const correction = stanza.getChild("replace", NS_CORRECTION) !== undefined;
    // Corrections never run, so they spend none of the sender's allowance.
    const allowed = correction || limiter.take(bare);
    // The contact written to is looked up alongside the sender, not after
    // (one round trip less for every command to a user's JID; one
    // statement for both when it names a username), unless the command
    // will not run anyway.
    const run = allowed && !correction;
    const named = run && ctx.entity.kind === "username" ? ctx.entity.username : undefined;
    const parsed = parseBody(body)!;
    const quick = run
      ? await confirmAtOnce(
          { orders: options.orders, log },
          { entity: ctx.entity, bare, parsed, named },
        )
      : undefined;
    const found = senderAndTarget(accounts, { entity: ctx.entity, bare, run, named, quick });
    const targetLookup = found.target;
    targetLookup.catch(() => {}); // awaited below, unless the sender is turned away first
    const user = await found.sender;
    const t = chooseLanguage({
      stanzaLang: ctx.lang,
      userLang: user?.language,
      configured: languages,
    });
    // Receipts are for registered users only (XEP-0184 §8).
    const receipt = user ? receiptFor(stanza) : undefined;
    const reply = (r: CommandReply, failed = false) => [
      ...(receipt ? [receipt] : []),
      message(ctx, t, failed ? `${t.errorPrefix} ${r.text}` : r.text, r.from),
      ...(r.after ?? []),
    ];
    if (correction) return reply({ text: t.editNotExecuted });
    if (!allowed) return reply({ text: t.rateLimited(limiter.limit) });
    const registration = await chatRegistration(registrationDeps, ctx, { bare, body, user });
    if (registration) return reply(registration, registration.failed);
    // A chat reply, never an error stanza: some clients show those only as "delivery failed".
    if (!user) return reply({ text: howToRegister(ctx, languages) });

    const written = { code: parsed.args[0]?.toLowerCase() ?? "", input: parsed.args[0] ?? "" };
    const admin = accounts.isAdmin(user.jid);
    const base = { deps, user, t };
    try {
      const target = (await targetLookup)!;
      if (target.kind === "nobody") throw new ChatError(t.noSuchUser(target.name));
      const outcome = quick?.outcome;
      if (outcome && "refused" in outcome) throw outcome.refused;
      if (outcome) {
        const payee = { kind: "user", user: outcome.payee } as const;
        return reply(await paidReply({ ...base, target: payee }, outcome.paid));
      }
      // A pasted link works where it is pasted; a bare address only at the gateway.
      const link = /^\s*bitcoin:/iu.test(body);
      if (target.kind === "gateway" || (link && target.kind === "address")) {
        const paste = pasted(body, { jids, network, t });
        if (paste?.kind === "reply") return reply(paste.reply);
        if (paste?.kind === "pay") {
          const at = { kind: "address", address: paste.address } as const;
          const words = paste.rest.split(/\s+/u);
          const ctx = { ...base, admin, target: at, to: paste.from, args: words, rest: paste.rest };
          return reply({ ...(await COMMANDS.pay(ctx)), from: paste.from });
        }
      }
      const found = resolveCommand(parsed.word, t, commandsFor(admin));
      if (found.kind === "unknown") {
        throw new ChatError(t.unknownCommand(quoted(parsed.word), t.words.help));
      }
      if (found.kind === "ambiguous")
        throw new ChatError(t.ambiguous(parsed.word, found.candidates));
      const run = COMMANDS[found.command];
      const tried = quick ? { byCodeTried: true } : {};
      const command = { ...base, ...tried, admin, target, to: ctx.to };
      return reply(await run({ ...command, args: parsed.args, rest: parsed.rest }));
    } catch (error) {
      const text = await describeError(error, base, written);
      if (text === undefined) {
        log.error({ err: error, from: ctx.from, to: ctx.to }, "chat command failed");
        return reply({ text: t.internalError }, true);
      }
      return reply({ text }, true);
    }
  };
}

/** How to register, by chat or by the client's form, in the sender's language. */
function howToRegister(ctx: StanzaContext, configured: readonly string[]): string {
  const t = registrationTexts({ stanzaLang: ctx.lang, configured });
  return t.howToRegister(t.words.register);
}

/** A full JID without its resource (RFC 7622 §3.1). */
export function bareJid(jid: string): string {
  const { local, domain } = splitJid(jid);
  return local ? `${local}@${domain}` : domain;
}

/** One `chat` reply, from the JID written to unless said otherwise. */
function message(ctx: StanzaContext, t: Catalogue, text: string, from?: string): Element {
  return xml(
    "message",
    { from: from ?? ctx.to, to: ctx.from, type: "chat", "xml:lang": t.lang },
    xml("body", {}, text),
  );
}

/**
 * What a reply may quote of the user's input: a reply must stay far below
 * the server's stanza limit, or the server drops the gateway's stream
 * (Prosody: 512 KiB for components, and `>` is written `&gt;`).
 */
export function quoted(word: string, max = 40): string {
  const chars = [...word];
  return chars.length <= max ? word : `${chars.slice(0, max).join("")}…`;
}
