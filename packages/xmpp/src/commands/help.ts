/** `help [<command>]` (docs/behaviour.md §7): the commands that make sense here, or one command's usage. */
import { ChatError, type Command, commandsAt, commandsFor } from "./context.js";
import { resolveCommand } from "./parse.js";

export const help: Command = async ({ target, admin, args, t }) => {
  const here = commandsAt(target, admin);
  const asked = args[0];
  if (asked !== undefined) {
    const found = resolveCommand(asked, t, commandsFor(admin));
    if (found.kind === "ambiguous") throw new ChatError(t.ambiguous(asked, found.candidates));
    if (found.kind === "unknown") throw new ChatError(t.unknownCommand(asked, t.words.help));
    const c = found.command;
    return { text: `${t.usage[c]}\n  ${t.describe[c]}` };
  }
  const lines = here.map((c) => `${t.usage[c]} — ${t.describe[c]}`);
  if (target.kind === "gateway") lines.push(t.helpBareAddress);
  return { text: [t.helpIntro, ...lines].join("\n") };
};
