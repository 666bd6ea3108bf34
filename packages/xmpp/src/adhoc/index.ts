/**
 * Ad-hoc commands (XEP-0050), for clients that show them as menus or
 * buttons (Gajim, Cheogram, Movim). Every stage but the last is kept in a
 * shared session (accounts' `command_sessions`), so that with several
 * gateway processes any one can take the next step, and a second answer to
 * a step — a double-tap on `complete`, a stale or foreign session id — is
 * refused and moves nothing. The session id stays the same across steps
 * (§3.4), which some clients require.
 */
import { randomBytes } from "node:crypto";
import type { CommandSessions } from "@bitcoim/accounts";
import { COMMANDS, type CommandDeps, describeError } from "../commands/index.js";
import { recipientName } from "../commands/names.js";
import type { IqRouter } from "../iq-router.js";
import type { Logger } from "../log.js";
import type { RegistrationDeps } from "../registration.js";
import type { Directory } from "../services.js";
import type { Element } from "../xml.js";
import { type CommandNodes, commandNodes } from "./discovery.js";
import type { Run } from "./flow.js";
import { submitted } from "./forms.js";
import { nodeTable } from "./nodes.js";
import { actionOf, commandElement, commandError, NS_COMMANDS, type Stage } from "./protocol.js";
import { createRequester } from "./requester.js";

export type { CommandNodes, NodeRequest } from "./discovery.js";
export { NS_COMMANDS } from "./protocol.js";

export interface AdhocDeps {
  readonly iq: IqRouter;
  readonly commands: CommandDeps;
  readonly sessions: CommandSessions;
  readonly directory: Directory;
  readonly registration: RegistrationDeps;
  readonly sendAfterReply: (stanzas: readonly Element[]) => void;
  readonly log: Logger;
  readonly languages?: readonly string[] | undefined;
  /** How long a session waits for its next step; 10 minutes by default. */
  readonly sessionTtlMs?: number;
}

export function adhoc(deps: AdhocDeps): CommandNodes {
  const { iq, commands, sessions, sendAfterReply, log, languages } = deps;
  const { accounts } = commands;
  const ttlMs = deps.sessionTtlMs ?? 10 * 60_000;
  const table = nodeTable(deps);

  const requester = createRequester({ accounts, languages, table });

  iq.set(NS_COMMANDS, "command", async ({ element, from, to, entity, lang }) => {
    const asker = await requester({ entity, from, lang });
    const { t, target, user } = asker;
    const def = asker.nodes.find((d) => d.node === element.attrs.node);
    if (!def || target.kind === "nobody") {
      throw commandError("item-not-found", undefined, t.adhoc.noSuchCommand, t.lang);
    }
    const action = actionOf(element, t.adhoc.badAction);
    const base = { deps: commands, user: user!, t };
    const run: Run = {
      bare: asker.bare,
      to,
      user,
      admin: asker.admin,
      target,
      t,
      lang,
      command: (name, args, rest) =>
        COMMANDS[name]({
          ...base,
          admin: asker.admin,
          target,
          to,
          args,
          rest: rest ?? args.join(" "),
          viaForm: true,
        }),
      async pending() {
        const orders = await commands.orders.listPending(user!.id);
        return Promise.all(
          orders.map(async (o) => ({
            code: o.code,
            amount: o.amount,
            createdAt: o.createdAt,
            recipient: await recipientName(commands, {
              userId: o.recipientUserId,
              address: o.recipientAddress,
            }),
          })),
        );
      },
      async refusal(error, written = "") {
        const text = await describeError(error, base, {
          code: written.toLowerCase(),
          input: written,
        });
        if (text !== undefined) return text;
        log.error({ err: error, from, to, node: def.node }, "ad-hoc command failed");
        return t.internalError;
      },
    };
    const answer = (sessionid: string, stage: Stage) => {
      if (stage.status !== "executing" && stage.after) sendAfterReply(stage.after);
      return commandElement(def.node, sessionid, stage, t.lang);
    };

    const sessionid = element.attrs.sessionid;
    if (sessionid === undefined) {
      if (action === "cancel") return answer(freshId(), { status: "canceled" });
      const { stage, state } = await def.flow.start(run);
      if (stage.status !== "executing") return answer(freshId(), stage);
      const opened = await sessions.open({
        jid: asker.bare,
        node: def.node,
        target: to,
        state: state ?? {},
        ttlMs,
      });
      return answer(opened.id, stage);
    }

    const found = await sessions.find(sessionid, asker.bare);
    if (found.kind === "expired") {
      throw commandError("not-allowed", "session-expired", t.adhoc.sessionExpired, t.lang);
    }
    if (found.kind !== "live" || found.session.node !== def.node || found.session.target !== to) {
      throw commandError("bad-request", "bad-sessionid", t.adhoc.sessionUnknown, t.lang);
    }
    let step = found.session.step;
    const stage = await def.flow.next(run, {
      action,
      values: submitted(element),
      state: found.session.state,
      async take(state, end = false) {
        const taken = await sessions.advance({
          id: sessionid,
          jid: asker.bare,
          from: step,
          state,
          ttlMs,
          end,
        });
        if (!taken)
          throw commandError("bad-request", "bad-sessionid", t.adhoc.sessionUnknown, t.lang);
        step = taken.step;
      },
    });
    return answer(sessionid, stage);
  });

  return commandNodes({ table, requester });
}

/** The id of a session that ends at its first stage: never stored, so never continued. */
const freshId = () => randomBytes(12).toString("base64url");
