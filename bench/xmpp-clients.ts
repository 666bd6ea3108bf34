/**
 * The XMPP bench's users (bench/xmpp.ts), in a process of their own: real
 * @xmpp/client users, as on people's phones, so that their parsing and
 * waiting does not share an event loop (or a CPU account) with the
 * component they talk to. (A worker thread would do, but Node 20 does not
 * run tsx's loader in workers.)
 *
 * Messages from the bench: `connect` (then `ready`), `run` one workload
 * (then `done` with each command's latency in ms), `stop` (then `stopped`).
 */
import { connectUser, type Element, type User, xml } from "@bitcoim/xmpp/testing";

export type ToClients =
  | {
      type: "connect";
      service: string;
      host: string;
      names: string[];
      /** Where the workloads write: the echo component, the gateway. */
      echo: string;
      gateway: string;
    }
  | { type: "run"; workload: Workload; count: number; users: number }
  | { type: "stop" };

export type FromClients =
  | { type: "ready" }
  | { type: "done"; latencies: number[] }
  | { type: "failed"; message: string }
  | { type: "stopped" };

export type Workload = "echo" | "help" | "pay" | "confirm";

/** A client that has at most one command in flight: the next chat reply from `to` settles it. */
function chatter(user: User) {
  let pending:
    | { to: string; resolve: (body: string) => void; reject: (e: Error) => void }
    | undefined;
  user.xmpp.on("stanza", (stanza: Element) => {
    if (!pending || !stanza.is("message") || stanza.attrs.from !== pending.to) return;
    const p = pending;
    pending = undefined;
    if (stanza.attrs.type === "error") p.reject(new Error(`error reply: ${stanza.toString()}`));
    else p.resolve(stanza.getChildText("body") ?? "");
  });
  return {
    user,
    async ask(to: string, body: string): Promise<string> {
      if (pending) throw new Error("one command at a time");
      const reply = new Promise<string>((resolve, reject) => {
        pending = { to, resolve, reject };
      });
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no reply to “${body}” from ${to}`)), 30_000).unref(),
      );
      await user.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
      return Promise.race([reply, timeout]);
    },
  };
}
type Chatter = ReturnType<typeof chatter>;

const send = process.send?.bind(process);
if (!send) throw new Error("bench/xmpp-clients.ts runs as a child process of bench/xmpp.ts");
let chatters: Chatter[] = [];
let names: string[] = [];
let to = { echo: "", gateway: "" };

const expect = (body: string, start: string) => {
  if (!body.startsWith(start)) throw new Error(`expected “${start}…”, got: ${body}`);
};

/** Each user's codes from `pay`, oldest first, for `confirm` to take. */
const codes = new Map<Chatter, string[]>();

/** One user's turn at a workload, timing each command. */
async function play(workload: Workload, c: Chatter, i: number, count: number, out: number[]) {
  const time = async (body: string, where: string) => {
    const t = performance.now();
    const reply = await c.ask(where, body);
    out.push(performance.now() - t);
    return reply;
  };
  for (let k = 0; k < count; k++) {
    if (workload === "echo") {
      if ((await time(`ping ${k}`, to.echo)) !== `ping ${k}`) throw new Error("bad echo");
    } else if (workload === "help") {
      expect(await time("help", to.gateway), "Commands");
    } else {
      // User i pays user i+1 by their username JID; `confirm` later confirms
      // the codes from the replies, in order, where they were written.
      const payee = `${names[(i + 1) % names.length]}@${to.gateway}`;
      const mine = codes.get(c) ?? [];
      codes.set(c, mine);
      if (workload === "pay") {
        const summary = await time("pay 1000 sat bench", payee);
        const code = /confirm ([a-z0-9]{4})\b/.exec(summary)?.[1];
        if (!code) throw new Error(`no code in: ${summary}`);
        mine.push(code);
      } else {
        const code = mine.shift();
        if (!code) throw new Error("confirm without a pending code: run pay first");
        expect(await time(`confirm ${code}`, payee), "Paid");
      }
    }
  }
}

process.on("message", async (message: ToClients) => {
  const reply = (m: FromClients) => send(m);
  try {
    if (message.type === "connect") {
      names = message.names;
      to = { echo: message.echo, gateway: message.gateway };
      chatters = await Promise.all(
        names.map(async (name) =>
          chatter(
            await connectUser({
              service: message.service,
              domain: message.host,
              username: name,
              password: `${name}-pw`,
            }),
          ),
        ),
      );
      reply({ type: "ready" });
    } else if (message.type === "run") {
      const latencies: number[] = [];
      const users = chatters.slice(0, message.users);
      await Promise.all(
        users.map((c, i) => play(message.workload, c, i, message.count, latencies)),
      );
      reply({ type: "done", latencies });
    } else {
      await Promise.all(chatters.map((c) => c.user.stop()));
      reply({ type: "stopped" });
      process.disconnect();
    }
  } catch (error) {
    reply({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});
