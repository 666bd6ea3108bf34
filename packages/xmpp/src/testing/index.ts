/**
 * `@bitcoim/xmpp/testing`: a local Prosody and real XMPP users, for tests
 * and the demo. Needs the Debian `prosody` package, and `@xmpp/client`
 * (an optional peer dependency).
 */
export * from "./client.js";
export * from "./ejabberd.js";
export * from "./prosody.js";
export * from "./server.js";
