/**
 * XEP-0106 (JID Escaping) for JID localparts.
 *
 * §3.2: the ten characters space " & ' / : < > @ \ become `\` + two hex
 * digits; a backslash is escaped only where it would otherwise be read as
 * the start of an escape sequence, so `c:\net` becomes `c\3a\net`.
 * §3.3: unescaping turns exactly those ten sequences back and leaves any
 * other backslash alone. Localparts are case-insensitive, so `\2F` is read
 * as `\2f` (and therefore a literal `\2F` must be escaped too).
 * §3.2 also forbids `\20` at the start or end of an escaped localpart:
 * leading or trailing spaces cannot be represented.
 */

export type EscapeErrorCode = "ESCAPE_EMPTY" | "ESCAPE_EDGE_SPACE";

export class EscapeError extends Error {
  override readonly name = "EscapeError";
  constructor(
    readonly code: EscapeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  " ": "20",
  '"': "22",
  "&": "26",
  "'": "27",
  "/": "2f",
  ":": "3a",
  "<": "3c",
  ">": "3e",
  "@": "40",
  "\\": "5c",
};

const UNESCAPES: ReadonlyMap<string, string> = new Map(
  Object.entries(ESCAPES).map(([char, hex]) => [hex, char]),
);

/** Whether `text[index]` is a backslash starting one of the ten sequences. */
function startsSequence(text: string, index: number): boolean {
  return text[index] === "\\" && UNESCAPES.has(text.slice(index + 1, index + 3).toLowerCase());
}

/** Escapes a string for use as a JID localpart (XEP-0106 §3.2). */
export function escapeNode(text: string): string {
  if (text === "") throw new EscapeError("ESCAPE_EMPTY", "an empty string has no localpart");
  if (text.startsWith(" ") || text.endsWith(" ")) {
    throw new EscapeError("ESCAPE_EDGE_SPACE", "a localpart cannot start or end with a space");
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const hex = ESCAPES[char];
    if (hex === undefined || (char === "\\" && !startsSequence(text, i))) out += char;
    else out += `\\${hex}`;
  }
  return out;
}

/** Unescapes a JID localpart (XEP-0106 §3.3). Never throws. */
export function unescapeNode(node: string): string {
  let out = "";
  for (let i = 0; i < node.length; i++) {
    if (startsSequence(node, i)) {
      out += UNESCAPES.get(node.slice(i + 1, i + 3).toLowerCase());
      i += 2;
    } else {
      out += node[i];
    }
  }
  return out;
}

/**
 * Whether `node` is written the way `escapeNode` would write what it names
 * (lower-case sequences, no needless `\5c`, no space at either end).
 */
export function isCanonicalNode(node: string): boolean {
  const text = unescapeNode(node);
  if (text === "" || text.startsWith(" ") || text.endsWith(" ")) return false;
  return escapeNode(text) === node;
}
