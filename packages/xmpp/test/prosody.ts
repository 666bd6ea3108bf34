// Moved to src/testing (exported as @bitcoim/xmpp/testing); kept for the tests that import it here.
export * from "../src/testing/prosody.js";
