/** What the local XMPP servers for tests share: their shape, free ports, readiness. */
import { connect } from "node:net";

/** A local XMPP server for tests and the demo (Prosody or ejabberd). */
export interface LocalXmppServer {
  readonly dir: string;
  readonly configPath: string;
  /** `xmpp://127.0.0.1:<c2s port>` for @xmpp/client. */
  readonly c2sService: string;
  /** `xmpp://127.0.0.1:<component port>` for the gateway. */
  readonly componentService: string;
  readonly componentDomain: string;
  readonly componentSecret: string;
  register(username: string, host: string, password: string): Promise<void>;
  /** Starts (again, on the same ports and data) and waits until both ports accept. */
  start(): Promise<void>;
  /** SIGTERM by PID and wait for the exit. */
  stop(): Promise<void>;
  /** Stops and removes the directory. */
  close(): Promise<void>;
  log(): Promise<string>;
}

// One copy for the workspace's test support, in the wallet's: the db package's is its own, as db may depend on nothing.
export { freePort } from "@bitcoim/wallet/regtest";

/** Resolves once `port` accepts a connection, retrying refused ones; rejects if `exited` fires first. */
export async function waitForPort(
  port: number,
  exited: Promise<never>,
  deadline: number,
): Promise<void> {
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`the XMPP server did not listen on ${port} in time`);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10))]);
  }
}
