export { noPeers, type Peers } from "./announce.js";
export * from "./avatar.js";
export { bareJid, type ChatOptions, createChatHandler, NS_CORRECTION } from "./chat.js";
export {
  ChatError,
  COMMAND_NAMES,
  COMMANDS,
  type Command,
  type CommandContext,
  type CommandDeps,
  type CommandReply,
  describeError,
  parseBody,
  resolveCommand,
  splitAmount,
  type Target,
} from "./commands/index.js";
export * from "./component.js";
export * from "./disco.js";
export type { StanzaContext, StanzaHandler, StanzaHandlers } from "./dispatch.js";
export * from "./errors.js";
export * from "./escape.js";
export * from "./gateway.js";
export * from "./gateway-iq.js";
export * from "./i18n/catalogue.js";
export { en } from "./i18n/en.js";
export { fr } from "./i18n/fr.js";
export * from "./i18n/language.js";
export * from "./iq-router.js";
export * from "./jids.js";
export * from "./last.js";
export * from "./log.js";
export * from "./notify.js";
export * from "./ping.js";
export * from "./presence.js";
export * from "./presence-status.js";
export * from "./presence-store.js";
export * from "./rate-limit.js";
export { announceAfterReconnects } from "./reannounce.js";
export { type BackoffOptions, backoff, type ReconnectDelay } from "./reconnect.js";
export * from "./register.js";
export * from "./register-form.js";
export * from "./services.js";
export * from "./vcard.js";
export * from "./version.js";
export * from "./xml.js";
