/** The chat commands by name (docs/behaviour.md §7), one module each. */
import type { CommandName } from "../i18n/catalogue.js";
import { address } from "./address.js";
import { audit } from "./audit.js";
import { balance } from "./balance.js";
import { cancel } from "./cancel.js";
import { confirm } from "./confirm.js";
import type { Command } from "./context.js";
import { help } from "./help.js";
import { history } from "./history.js";
import { pay } from "./pay.js";

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  pay,
  confirm,
  cancel,
  history,
  help,
  balance,
  address,
  audit,
};

export { bareAddress, type Pasted, pasted } from "./bare-address.js";
export { paidReply } from "./confirm.js";
export * from "./context.js";
export { ALL_COMMANDS as COMMAND_NAMES } from "./context.js";
export { describeError } from "./errors.js";
export {
  foldWord,
  isWord,
  namesConfirmAnywhere,
  type ParsedBody,
  parseBody,
  type Resolved,
  resolveCommand,
} from "./parse.js";
export { splitAmount } from "./pay.js";
export { type Lookup, lookUpTarget } from "./target.js";
