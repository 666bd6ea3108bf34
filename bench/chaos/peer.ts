/**
 * A second `bitcoind -regtest` that the gateway's node keeps as its peer, as
 * any node on a real network has peers. A node killed with SIGKILL loses the
 * blocks it had not flushed (a node started for a run flushes none: it came
 * back at height 0); on a real network it downloads them again from its
 * peers. Without one, the run would test a chain that loses its history,
 * which no network does.
 */
import type { RpcBitcoinNode } from "@bitcoim/wallet";
import { createBitcoinNode } from "@bitcoim/wallet";
import { freePort, startBitcoind } from "@bitcoim/wallet/regtest";

export interface Peer {
  /** Connects `node` to the peer and waits until both are at the same tip. */
  sync(node: RpcBitcoinNode): Promise<void>;
  close(): Promise<void>;
}

export async function startPeer(binary: string): Promise<Peer> {
  const port = await freePort();
  // Later arguments win: this one listens, on loopback only.
  const bitcoind = await startBitcoind({
    binary,
    args: ["-listen=1", `-bind=127.0.0.1:${port}`],
  });
  const { url, user, password } = bitcoind;
  const peer = createBitcoinNode({ url, user, password });
  const tip = async (n: RpcBitcoinNode) => (await n.call("getbestblockhash", [])) as string;
  return {
    async sync(node) {
      await node.call("addnode", [`127.0.0.1:${port}`, "onetry"]);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [a, b] = await Promise.all([tip(node), tip(peer)]);
        const [ha, hb] = await Promise.all(
          [node, peer].map(async (n) => (await n.call("getblockcount", [])) as number),
        );
        if (a === b) return;
        if (Date.now() > deadline) {
          throw new Error(`the node did not catch up with its peer (height ${ha} of ${hb})`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => bitcoind.close(),
  };
}
