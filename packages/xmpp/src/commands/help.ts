/** `help [<command>]` (BEHAVIOUR.md §7): the commands that make sense here, or one command's usage. */
import { ALL_COMMANDS, ChatError, type Command, commandsAt } from "./context.js";
import { resolveCommand } from "./parse.js";

export const help: Command = async ({ target, args, t }) => {
  const here = commandsAt(target);
  const asked = args[0];
  if (asked !== undefined) {
    const found = resolveCommand(asked, t, ALL_COMMANDS);
    if (found.kind === "ambiguous") throw new ChatError(t.ambiguous(asked, found.candidates));
    if (found.kind === "unknown") throw new ChatError(t.unknownCommand(asked, t.words.help));
    const c = found.command;
    return { text: `${t.usage[c]}\n  ${t.describe[c]}` };
  }
  const lines = here.map((c) => `${t.usage[c]} — ${t.describe[c]}`);
  if (target.kind === "gateway") lines.push(t.helpBareAddress);
  return { text: [t.helpIntro, ...lines].join("\n") };
};
