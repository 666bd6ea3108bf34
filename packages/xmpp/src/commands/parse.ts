/**
 * Reading a chat body as a command (docs/behaviour.md §7): the first word is
 * the action, the rest its arguments. Actions may be any unique prefix of a
 * command word, in the user's language or in English; an exact word beats
 * a prefix, and prefixes of words that name the same command never clash.
 */
import type { Catalogue, CommandName } from "../i18n/catalogue.js";
import { en } from "../i18n/en.js";
import { CATALOGUES } from "../i18n/language.js";
import { commandsFor } from "./context.js";

export interface ParsedBody {
  /** The first word, as written. */
  readonly word: string;
  readonly args: readonly string[];
  /** Everything after the first word, trimmed (a reason keeps its spacing). */
  readonly rest: string;
}

/** Splits a body; undefined when there is nothing but white space. */
export function parseBody(body: string): ParsedBody | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  const match = /^(\S+)\s*([\s\S]*)$/u.exec(text);
  const word = match?.[1] ?? text;
  const rest = match?.[2]?.trim() ?? "";
  return { word, args: rest === "" ? [] : rest.split(/\s+/u), rest };
}

export type Resolved =
  | { readonly kind: "command"; readonly command: CommandName }
  | { readonly kind: "unknown" }
  | { readonly kind: "ambiguous"; readonly candidates: readonly string[] };

/** Case and compatibility forms do not matter when matching words. */
export const foldWord = (word: string) => word.normalize("NFKC").toLowerCase();

/** The words that name commands in `t`, then the English ones it lacks. */
function vocabulary(t: Catalogue, allowed: readonly CommandName[]) {
  const entries: Array<[string, CommandName]> = [];
  for (const catalogue of t === en ? [en] : [t, en]) {
    for (const command of allowed) {
      const word = foldWord(catalogue.words[command]);
      if (!entries.some(([w]) => w === word)) entries.push([word, command]);
    }
  }
  return entries;
}

/** Which of `allowed` a written word names. */
export function resolveCommand(
  written: string,
  t: Catalogue,
  allowed: readonly CommandName[],
): Resolved {
  const word = foldWord(written);
  const words = vocabulary(t, allowed);
  const exact = words.find(([w]) => w === word);
  if (exact) return { kind: "command", command: exact[1] };
  const matches = words.filter(([w]) => w.startsWith(word));
  const commands = [...new Set(matches.map(([, c]) => c))];
  if (commands.length === 1) return { kind: "command", command: commands[0]! };
  if (commands.length === 0) return { kind: "unknown" };
  // Name each candidate command once, by the word that matched, the user's own first.
  return {
    kind: "ambiguous",
    candidates: commands.map((c) => matches.find(([, m]) => m === c)![0]),
  };
}

/** Whether `written` names the sub-word (`new` / the language's own word), by prefix. */
export function isWord(written: string, t: Catalogue, pick: (c: Catalogue) => string): boolean {
  const word = foldWord(written);
  if (word === "") return false;
  return [pick(t), pick(en)].some((w) => foldWord(w).startsWith(word));
}

/**
 * Whether `written` names `confirm` in every language, for admins and
 * others alike: `confirm` may then run before the sender — and so their
 * language — is known.
 */
export function namesConfirmAnywhere(written: string): boolean {
  return Object.values(CATALOGUES).every((t) =>
    [false, true].every((admin) => {
      const resolved = resolveCommand(written, t, commandsFor(admin));
      return resolved.kind === "command" && resolved.command === "confirm";
    }),
  );
}
