/**
 * The wire format of ad-hoc commands (XEP-0050): actions, the `<command/>`
 * a stage answers with (§3.4), and the command-specific errors (§4.6).
 */
import { StanzaError } from "../errors.js";
import { type Element, xml } from "../xml.js";

export const NS_COMMANDS = "http://jabber.org/protocol/commands";

/** XEP-0050 §3.4: what a requester may ask of a stage; `execute` is the stage's default. */
export type Action = "execute" | "next" | "prev" | "complete" | "cancel";
const ACTIONS = new Set<string>(["execute", "next", "prev", "complete", "cancel"]);

export function actionOf(command: Element, malformed: (action: string) => string): Action {
  const action = command.attrs.action ?? "execute";
  if (!ACTIONS.has(action)) {
    throw commandError("bad-request", "malformed-action", malformed(action));
  }
  return action as Action;
}

export type NoteType = "info" | "warn" | "error";

/** One answer to a request: a stage still executing, or the end. */
export type Stage =
  | {
      readonly status: "executing";
      readonly form: Element;
      /** The actions offered besides `cancel`; the first is the default (`execute`). */
      readonly actions: readonly Exclude<Action, "execute" | "cancel">[];
      readonly note?: { readonly type: NoteType; readonly text: string };
    }
  | {
      readonly status: "completed" | "canceled";
      readonly note?: { readonly type: NoteType; readonly text: string };
      /** Stanzas to send once the reply is out (subscription requests, goodbyes). */
      readonly after?: readonly Element[];
    };

export function commandElement(
  node: string,
  sessionid: string,
  stage: Stage,
  lang: string,
): Element {
  const executing = stage.status === "executing";
  return xml(
    "command",
    { xmlns: NS_COMMANDS, node, sessionid, status: stage.status, "xml:lang": lang },
    executing
      ? xml("actions", { execute: stage.actions[0] }, ...stage.actions.map((a) => xml(a)))
      : null,
    stage.note ? xml("note", { type: stage.note.type }, stage.note.text) : null,
    executing ? stage.form : null,
  );
}

/** XEP-0050 §4.6: a general condition with the command-specific one beside it. */
export function commandError(
  condition: "bad-request" | "not-allowed" | "item-not-found" | "forbidden",
  specific: "malformed-action" | "bad-action" | "bad-sessionid" | "session-expired" | undefined,
  text: string,
  lang = "en",
): StanzaError {
  return new StanzaError(condition, text, {
    lang,
    ...(specific ? { application: xml(specific, { xmlns: NS_COMMANDS }) } : {}),
  });
}
