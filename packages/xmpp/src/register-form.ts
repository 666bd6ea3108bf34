/**
 * The XEP-0077 registration query and its XEP-0004 data form: what a `get`
 * is answered with, and the username a `set` carries — as the legacy
 * `<username/>` field (XEP-0077 §3.1) or as a submitted data form with
 * FORM_TYPE `jabber:iq:register` (XEP-0077 §6, XEP-0068).
 */
import { type Element, xml } from "./xml.js";

export const NS_REGISTER = "jabber:iq:register";
export const NS_DATA = "jabber:x:data";

export interface RegistrationQuery {
  readonly instructions: string;
  /** The form's title (XEP-0004 §3.1). */
  readonly title: string;
  /** The label of the username field. */
  readonly label: string;
  /** The label of the optional language field. */
  readonly languageLabel: string;
  /** The current username, when the requester is registered (XEP-0077 §3.2 `<registered/>`). */
  readonly username?: string | undefined;
  /** The stored language, shown as the field's value to a registered user. */
  readonly language?: string | null | undefined;
}

/** `<query xmlns='jabber:iq:register'>` for a `get`: legacy fields, then the same as a data form. */
export function registrationQuery(q: RegistrationQuery): Element {
  const registered = q.username !== undefined;
  return xml(
    "query",
    { xmlns: NS_REGISTER },
    xml("instructions", {}, q.instructions),
    registered && xml("registered"),
    xml("username", {}, q.username ?? ""),
    xml(
      "x",
      { xmlns: NS_DATA, type: "form" },
      xml("title", {}, q.title),
      xml("instructions", {}, q.instructions),
      xml("field", { type: "hidden", var: "FORM_TYPE" }, xml("value", {}, NS_REGISTER)),
      xml(
        "field",
        { type: "text-single", var: "username", label: q.label },
        xml("required"),
        registered && xml("value", {}, q.username),
      ),
      // docs/behaviour.md §7: the stored language is settable at registration, and
      // changed by submitting the form again (XEP-0077 §3.2).
      xml(
        "field",
        { type: "text-single", var: "language", label: q.languageLabel },
        q.language ? xml("value", {}, q.language) : null,
      ),
    ),
  );
}

/** What a `set` asks for. */
export type RegistrationRequest =
  | { readonly kind: "remove" }
  | {
      readonly kind: "username";
      readonly username: string;
      /** A language tag, when the form gave one. */
      readonly language?: string;
    }
  | { readonly kind: "missing" }
  /** A data form that is cancelled (XEP-0004 §3.1 type `cancel`) or of another FORM_TYPE. */
  | { readonly kind: "bad-form"; readonly why: string };

export function readRegistration(query: Element): RegistrationRequest {
  if (query.getChild("remove")) return { kind: "remove" };
  const form = query.getChild("x", NS_DATA);
  if (form) return readForm(form);
  const field = query.getChild("username");
  return field ? { kind: "username", username: field.text() } : { kind: "missing" };
}

function readForm(form: Element): RegistrationRequest {
  if (form.attrs.type !== "submit") {
    return {
      kind: "bad-form",
      why: `a data form of type "${form.attrs.type ?? ""}" submits nothing`,
    };
  }
  const fields = new Map(
    form
      .getChildren("field")
      .map((field) => [field.attrs.var ?? "", field.getChildText("value") ?? ""] as const),
  );
  const formType = fields.get("FORM_TYPE");
  if (formType !== undefined && formType !== NS_REGISTER) {
    return { kind: "bad-form", why: `a form of type "${formType}" is not a registration form` };
  }
  const username = fields.get("username");
  if (username === undefined) return { kind: "missing" };
  const language = fields.get("language")?.trim();
  return language ? { kind: "username", username, language } : { kind: "username", username };
}
