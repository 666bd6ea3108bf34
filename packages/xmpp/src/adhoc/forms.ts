/**
 * The data forms of ad-hoc commands (XEP-0004): the forms a stage shows,
 * with XEP-0122 datatypes where a field expects a number, and the values a
 * client submits.
 */
import { NS_DATA } from "../register-form.js";
import { type Element, xml } from "../xml.js";

/** XEP-0122 §3: a field's datatype and how to validate it. */
export const NS_DATA_VALIDATE = "http://jabber.org/protocol/xdata-validate";

export interface Field {
  readonly var: string;
  readonly type: "text-single" | "list-single" | "hidden";
  readonly label?: string;
  readonly required?: boolean;
  readonly value?: string | undefined;
  /** XEP-0122 §3.1: `xs:decimal` for an amount. */
  readonly datatype?: "xs:decimal";
  readonly options?: readonly { readonly label: string; readonly value: string }[];
}

export function dataForm(form: {
  title: string;
  instructions?: string | undefined;
  fields?: readonly Field[];
}): Element {
  return xml(
    "x",
    { xmlns: NS_DATA, type: "form" },
    xml("title", {}, form.title),
    form.instructions ? xml("instructions", {}, form.instructions) : null,
    ...(form.fields ?? []).map(field),
  );
}

function field(f: Field): Element {
  return xml(
    "field",
    { var: f.var, type: f.type, label: f.label },
    f.datatype
      ? xml("validate", { xmlns: NS_DATA_VALIDATE, datatype: f.datatype }, xml("basic"))
      : null,
    f.required ? xml("required") : null,
    f.value !== undefined ? xml("value", {}, f.value) : null,
    ...(f.options ?? []).map((o) => xml("option", { label: o.label }, xml("value", {}, o.value))),
  );
}

/**
 * The values of a submitted form (XEP-0004 §3.3, type `submit`), trimmed;
 * an empty map when the command carries none, so that a missing field reads
 * like an empty one.
 */
export function submitted(command: Element): Map<string, string> {
  const form = command.getChild("x", NS_DATA);
  if (form?.attrs.type !== "submit") return new Map();
  return new Map(
    form
      .getChildren("field")
      .map((f) => [f.attrs.var ?? "", (f.getChildText("value") ?? "").trim()] as const),
  );
}
