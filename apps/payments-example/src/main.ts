/**
 * Payments without XMPP: an application that only moves money uses
 * @bitcoim/orders, accounts, db and wallet — no XMPP library comes with them.
 * It runs on the embedded defaults: PGlite in memory and the sandbox chain.
 */
import { createAccounts } from "@bitcoim/accounts";
import { openDatabase } from "@bitcoim/db";
import { createOrders } from "@bitcoim/orders";
import { createBitcoinNode, formatAmount, parseAmount } from "@bitcoim/wallet";
import { startSandbox } from "@bitcoim/wallet/sandbox";

const chain = await startSandbox();
const database = await openDatabase("pglite:memory");
try {
  const rpc = (wallet: string) =>
    createBitcoinNode({ url: chain.url, user: chain.user, password: chain.password, wallet });
  const root = createBitcoinNode({ url: chain.url, user: chain.user, password: chain.password });
  await root.call("createwallet", ["gw"]);
  await root.call("createwallet", ["outside"]);
  const gw = rpc("gw");
  const outside = rpc("outside");
  const miner = await outside.getNewAddress("", "bech32");
  const mine = (n: number) => outside.call("generatetoaddress", [n, miner]);
  await mine(101);

  const accounts = createAccounts({ db: database.db, node: gw, network: "regtest" });
  const orders = createOrders({ db: database.db, accounts, node: gw, network: "regtest" });
  accounts.events.on("depositCredited", (d) =>
    console.log(`deposit credited: ${formatAmount(d.amount)} BTC to ${d.jid}`),
  );
  orders.events.on("paymentCompleted", (p) =>
    console.log(`payment ${p.order.code} completed${p.txid ? ` on-chain, txid ${p.txid}` : ""}`),
  );

  const { user: alice, addresses } = await accounts.register("alice@example.org", "alice");
  const { user: bob } = await accounts.register("bob@example.org", "bob");
  console.log(`alice deposits to ${addresses[0]!.address}`);
  await outside.sendToAddress({ address: addresses[0]!.address, amount: parseAmount("0.5") });
  await mine(1);
  await accounts.scanOnce({ node: gw, wallet: "gw", confirmations: 1 });

  const rent = await orders.queue(alice.id, { userId: bob.id }, parseAmount("0.1"), "rent");
  await orders.confirm(alice.id, rent.order.code);

  const shop = await outside.getNewAddress("shop", "bech32");
  const buy = await orders.queue(alice.id, { address: shop }, parseAmount("0.05"), "shopping");
  console.log(`estimated network fee: ${buy.fee?.estimate} sat at ${buy.fee?.rate} sat/vB`);
  await orders.confirm(alice.id, buy.order.code);
  await mine(1);
  await orders.trackSends();

  for (const user of [alice, bob]) {
    const balance = await accounts.balance(user.id);
    console.log(`${user.username}: ${formatAmount(balance.confirmed)} BTC`);
    for (const m of (await accounts.history(user.id)).items) {
      const who = m.counterpart?.username ?? m.address ?? "";
      console.log(`  ${m.kind} ${formatAmount(m.amount)} ${who} ${m.memo ?? ""}`.trimEnd());
    }
  }
  const audit = await accounts.audit();
  console.log(`ledger audit: ${audit.ok ? "ok" : audit.problems.join("; ")}`);
} finally {
  await database.close();
  await chain.close();
}
