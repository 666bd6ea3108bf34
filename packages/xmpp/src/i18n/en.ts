/**
 * Every English text of the gateway, in one file: chat, and by section the
 * other stanzas (sections.ts). English is the last fallback, and its
 * command words always work.
 */
import type { JidFacts } from "../jids.js";
import type { Catalogue } from "./catalogue.js";
import type { GatewayTexts, RegistrationTexts, StanzaTexts, VcardTexts } from "./sections.js";

const blocked = "your outgoing payments are blocked";

const networkList = (f: JidFacts) => (f.networks ?? []).join(", ") || "?";

const stanza: StanzaTexts = {
  lang: "en",
  users: "Users",
  addresses: "Addresses",
  yourAddresses: "Your addresses",
  realJid: "Real JID",
  noSuchUser: "No such user here",
  noNode: (node) => `There is no node "${node}" here`,
  onlyUserAndAdmins: "Only this user and the admins can see this",
  onlyAdminsList: "Only admins can list the users",
  notImplemented: (type, element, ns) =>
    `IQ ${type} of <${element}/> in ${ns} is not supported here`,
  notServed: (ns) => `The namespace "${ns}" is not served here`,
  internalError: "Something went wrong on our side",
  shuttingDown: "The gateway is restarting; please try again in a moment",
  badJid: (code, f) => {
    if (code === "JID_FOREIGN") return `${f.jid ?? "That JID"} is not on this gateway`;
    if (code === "JID_MALFORMED") return `"${f.jid ?? ""}" is not a JID`;
    if (code === "JID_BAD_ESCAPE") return `"${f.node ?? ""}" names no valid bare JID`;
    const why =
      f.address === "ADDRESS_WRONG_NETWORK"
        ? `it is an address of ${networkList(f)}, not of this gateway's network`
        : f.address === "ADDRESS_UNSUPPORTED"
          ? "it is a kind of address this gateway does not pay"
          : f.address === "ADDRESS_NODE_NON_CANONICAL"
            ? "an address has exactly one JID, and this is not its spelling"
            : "it is not a valid Bitcoin address";
    return `No such address here: ${why}`;
  },
};

const gateway: GatewayTexts = {
  lang: "en",
  onlyGateway: "Ask the gateway itself",
  description: "Enter a Bitcoin address or the username of a bitcoIM user.",
  prompt: "Bitcoin address or username",
  empty: "Enter a Bitcoin address or a username.",
  notFound: (entered) =>
    `"${entered}" is neither a Bitcoin address nor the username of a bitcoIM user.`,
  wrongNetwork: (address, theirs, ours) =>
    `${address} is an address for ${theirs.join("/")}, not ${ours}: this gateway cannot pay it.`,
  unsupported: (address) => `${address} is a segwit address of a kind that cannot be paid yet.`,
};

const registration: RegistrationTexts = {
  lang: "en",
  instructions:
    "Choose a username: other users can pay you by it. It cannot contain a dot or be a Bitcoin address.",
  title: "Register with bitcoIM",
  usernameLabel: "Username",
  languageLabel: "Language (optional, e.g. en or fr)",
  onlyGateway: "Register with the gateway itself",
  missing: "Please give a username (the username field is missing).",
  notSubmitted: (why) => `Not submitted: ${why}`,
  badLanguage: (tag) => `"${tag}" is not a language tag such as en or fr.`,
  welcome: (address) =>
    `Welcome to bitcoIM! This is your deposit address: send bitcoins to ${address} to fund your account.`,
  goodbye: "Goodbye! You are no longer registered with bitcoIM.",
  words: { register: "register", unregister: "unregister" },
  howToRegister: (register) =>
    `You are not registered with this gateway. To register, type: ${register} <username> — others pay you by that name (or register through your client's service discovery).`,
  chatUsage: (register) =>
    `Type ${register} followed by the username you want, for example: ${register} alice. You may add a language: ${register} alice fr.`,
  registered: (username, address) =>
    `Registered as ${username}. Your deposit address is ${address}: it is in your contacts now. Type help for the commands.`,
  renamed: (username) => `Your username is now ${username}.`,
  refusal(code, username) {
    switch (code) {
      case "USERNAME_EMPTY":
        return "The username is empty; please choose one.";
      case "USERNAME_HAS_DOT":
        return `"${username}" contains a dot; usernames cannot, so that they never look like a JID.`;
      case "USERNAME_TOO_LONG":
        return `"${username}" is too long; choose a shorter username.`;
      case "USERNAME_INVALID_CHARACTER":
        return `"${username}" contains a character a username cannot have.`;
      case "USERNAME_IS_ADDRESS":
        return `"${username}" is a Bitcoin address (or an address's contact name), so it cannot be a username.`;
      case "USERNAME_TAKEN":
        return `The username "${username}" is already taken; please choose another.`;
      case "JID_WITHOUT_DOT":
        return "Your JID cannot register here: it has no dot, so it could be confused with a username.";
      case "JID_INVALID":
        return "Your JID cannot register here: it is not a valid bare JID.";
      case "ALREADY_REGISTERED":
        return "You are registered already; send your new username to change it.";
      case "USER_NOT_FOUND":
        return "You are not registered (any more); register again to choose a username.";
      case "BALANCE_NOT_EMPTY":
        return "You still have money here: withdraw it (and wait for pending payments) before unregistering.";
      default:
        return "Your registration could not be changed.";
    }
  },
};

const vcard: VcardTexts = {
  lang: "en",
  gatewayDescription:
    "A Bitcoin wallet you use by chatting: pay and get paid by username or address.",
  noSuchUser: stanza.noSuchUser,
};

export const en: Catalogue = {
  lang: "en",
  locale: "en",
  words: {
    pay: "pay",
    confirm: "confirm",
    cancel: "cancel",
    history: "history",
    help: "help",
    balance: "balance",
    address: "address",
    audit: "audit",
  },
  newWord: "new",
  errorPrefix: "Error:",
  usage: {
    pay: "pay <amount> [reason…]",
    confirm: "confirm [<code>]",
    cancel: "cancel [<code>]",
    history: "history [<page>]",
    help: "help [<command>]",
    balance: "balance",
    address: "address [new]",
    audit: "audit",
  },
  describe: {
    pay: "queue a payment to this contact (amount in BTC, or with a unit: 0.001, 1,5 mBTC, 2000 sat); you get a code to confirm it",
    confirm: "with a code: execute that pending payment; without: list your pending payments",
    cancel: "with a code: drop that pending payment; without: list your pending payments",
    history: "your latest movements, 20 a page (here: only those with this contact)",
    help: "the commands you can use here, or how to use one",
    balance: "your balance, and deposits not confirmed yet",
    address: "your deposit addresses; `address new` makes another one",
    audit: "(admins) the ledger's check, and the wallet's balance against what users hold",
  },
  sendStates: {
    intent: "being sent",
    sent: "sent, not confirmed yet",
    confirmed: "confirmed",
    refunded: "refunded",
    failed: "failed",
  },

  editNotExecuted:
    "Edited messages are not executed, so that nothing runs twice. Send the command again as a new message.",
  registerFirst:
    "You are not registered with this gateway. Register first (your client's service discovery → register), then try again.",
  rateLimited: (limit) =>
    `Please slow down: at most ${limit} commands a minute. Try again in a moment.`,
  unknownCommand: (word, help) => `I do not know “${word}”. Type ${help} for the commands.`,
  ambiguous: (word, candidates) =>
    `“${word}” could be ${candidates.join(", ")}. Type a few more letters.`,
  noSuchUser: (name) => `There is no user ${name} here.`,
  internalError: "Something went wrong on our side. Please try again later.",

  helpIntro: "Commands here (any unique beginning of a word works):",
  helpBareAddress: "a Bitcoin address — opens a chat with that address, to pay it",
  notHere: (command) => `${command} works only when written to the gateway itself.`,
  payAtGateway:
    "To pay, write “pay <amount>” to a user's or an address's JID, not to the gateway. Send me a Bitcoin address to get its JID.",
  amountRequired: "How much? Write pay <amount> [reason…], e.g. pay 0.001 for the coffee.",
  badPage: (text) => `“${text}” is not a page number.`,
  queued: (q) =>
    [
      `Payment of ${q.amount} to ${q.recipient}${q.comment ? ` (“${q.comment}”)` : ""}.`,
      q.fee
        ? q.feeExact
          ? `Network fee: ${q.fee}, paid by you on top.`
          : `Estimated network fee: ${q.fee}, paid by you on top; the exact fee is shown before anything is paid.`
        : undefined,
      `Balance after it: ${q.balanceAfter}.`,
      q.insufficient
        ? "Warning: your balance does not cover it yet; confirming will fail until money arrives."
        : q.lowBalance
          ? "Warning: your balance will be low after this payment."
          : undefined,
      q.viaForm
        ? `Complete to pay, or cancel to drop it (valid ${q.minutes} min).`
        : `To pay, type: ${q.confirmWord} ${q.code}   (valid ${q.minutes} min; ${q.cancelWord} ${q.code} drops it)`,
    ]
      .filter(Boolean)
      .join("\n"),
  paidInternal: (p) => `Paid ${p.amount} to ${p.recipient}. Your balance: ${p.balance}.`,
  paidOnChain: (p) =>
    `Sent ${p.amount} to ${p.address}${p.fee ? ` (network fee ${p.fee})` : ""}. Transaction: ${p.txid}`,
  noPending: "You have no pending payments.",
  pendingHeader: (n, confirm) =>
    `Your pending payments (${n}) — type ${confirm} <code> to pay one:`,
  pendingLine: (l) =>
    `${l.code}  ${l.date}  ${l.amount} → ${l.recipient}${l.fee ? ` + network fee ${l.fee}` : ""}${l.comment ? `  “${l.comment}”` : ""}`,
  cancelled: (c) =>
    `Cancelled ${c.code}: ${c.amount} to ${c.recipient}.${c.elsewhere ? ` Note: that order was for ${c.recipient}, not for this contact.` : ""}`,
  historyEmpty: (page) => (page > 1 ? `Nothing on page ${page}.` : "No movements yet."),
  historyHeader: (page, withWhom) =>
    `History${withWhom ? ` with ${withWhom}` : ""}, page ${page} (latest first):`,
  historyLine: (l) => {
    const what = {
      transfer: l.amount.startsWith("-") ? `to ${l.counterpart}` : `from ${l.counterpart}`,
      deposit: `deposit, ${l.counterpart}`,
      deposit_reversal: `deposit taken back, ${l.counterpart}`,
      send: `sent to ${l.counterpart}`,
    }[l.kind];
    const extra = [
      l.confirmations !== undefined ? `${l.confirmations} confirmations` : undefined,
      l.kind === "send" && l.state ? l.state : undefined,
      l.fee ? `network fee ${l.fee}` : l.feeUpTo ? `network fee at most ${l.feeUpTo}` : undefined,
    ].filter(Boolean);
    return `${l.date}  ${l.amount}  ${what}${extra.length ? ` (${extra.join(", ")})` : ""}${l.comment ? `  “${l.comment}”` : ""}`;
  },
  historyMore: (command) => `More: ${command}`,
  balance: (b) =>
    [
      `Balance: ${b.confirmed}`,
      `Pending deposits (not confirmed yet): ${b.pending}`,
      b.inFlight ? `Being sent: ${b.inFlight}` : undefined,
      b.owed ? `Owed after a chain reorganisation: ${b.owed}` : undefined,
    ]
      .filter(Boolean)
      .join("\n"),
  addresses: (list, newCommand) =>
    [
      "Your deposit addresses:",
      ...list.map((a) => `${a.address}\n  ${a.uri}`),
      `Another one: ${newCommand}`,
    ].join("\n"),
  addressCreated: (a) =>
    `New deposit address: ${a.address}\n  ${a.uri}\nIt is added to your contacts.`,
  uriWithoutAmount: (p) =>
    `Payment link for ${p.address}${p.label ? ` (${p.label})` : ""}, without an amount. To pay it, type: ${p.payWord} <amount> [reason…]`,
  bareAddress: (address, pay) =>
    `This is ${address}. Write ${pay} <amount> [reason…] here to pay it.`,
  audit: (a) =>
    [
      !a.ledgerOk
        ? "Audit: PROBLEM. The ledger does not add up:"
        : a.wallet && !a.wallet.covered
          ? `Audit: PROBLEM. The wallet holds ${a.wallet.difference} less than users are owed.`
          : a.wallet
            ? "Audit: OK. The ledger adds up, and the wallet covers what users hold."
            : "Audit: the ledger adds up, but the wallet could not be compared.",
      ...a.problems.map((p) => `  ${p}`),
      a.moreProblems > 0 ? `  …and ${a.moreProblems} more` : undefined,
      `Owed to users: ${a.liabilities} (balances ${a.userBalances}, being sent ${a.inFlight})`,
      `Owed by users after reorganisations: ${a.owed}`,
      a.wallet
        ? `Wallet: ${a.wallet.trusted} confirmed, ${a.wallet.pending} pending; ${a.wallet.covered ? "surplus" : "shortfall"} ${a.wallet.difference}`
        : `Wallet: unavailable (${a.walletUnavailable ?? "no wallet configured"})`,
    ]
      .filter(Boolean)
      .join("\n"),

  adhoc: {
    names: {
      balance: "Balance",
      address: "Deposit addresses",
      "address-new": "New deposit address",
      history: "History",
      pending: "Pending payments",
      cancel: "Cancel a payment",
      help: "Help",
      audit: "Audit (admins)",
      directory: "User directory (admins)",
      "jabber:iq:register": "Register",
      unregister: "Unregister",
      pay: "Pay",
    },
    amountLabel: "Amount (BTC)",
    reasonLabel: "Reason (optional)",
    orderLabel: "Payment",
    payInstructions: (recipient) =>
      `Pay ${recipient}: the amount in BTC (for example 0.001), and what it is for. You see the fee before anything is paid.`,
    chooseOrder: "Which pending payment should be dropped?",
    unregisterInstructions:
      "Unregister from this gateway? Your balance must be zero: pay it out first. Your username becomes free for others.",
    directory: (members) =>
      members.length === 0
        ? "No registered users."
        : [
            `Registered users (${members.length}):`,
            ...members.map((m) => `${m.username}  ${m.jid}`),
          ].join("\n"),
    done: "Done.",
    sessionUnknown: "This command session is unknown or over. Start the command again.",
    sessionExpired: "This command session has expired. Start the command again.",
    badAction: (action) => `“${action}” is not possible at this step.`,
    noSuchCommand: "There is no such command here.",
  },

  gatewayStatus: (s) =>
    `hello ${s.username}, balance ${s.balance}${s.pending ? ` (+${s.pending} pending)` : ""}`,
  addressStatus: (s) => `your address: ${s.share} of what you have received arrived here`,
  userStatus: (s) => `${s.username}: balance ${s.balance}`,
  shuttingDown: "The gateway is shutting down; back soon.",
  bitcoinUnavailable:
    "the Bitcoin network is unreachable right now: new deposits are not seen and payments to addresses wait; payments between users work",
  newAddressGreeting: "Your new deposit address",

  depositSeen: (d) =>
    `Incoming: ${d.amount} on ${d.address} (transaction ${d.txid}, ${d.confirmations} confirmations). It counts once confirmed.`,
  depositDropped: (d) =>
    `The incoming ${d.amount} on ${d.address} (transaction ${d.txid}) will not arrive: another transaction spending the same coins was confirmed instead.`,
  depositCredited: (d) =>
    `Received ${d.amount} on ${d.address} (transaction ${d.txid}). Your balance: ${d.balance}.`,
  depositReversed: (d) =>
    `A deposit of ${d.amount} (transaction ${d.txid}) was taken back by the network.${d.shortfall ? ` You now owe ${d.shortfall}; ${blocked} until it is settled.` : ""}`,
  paymentReceived: (p) =>
    `${p.from} paid you ${p.amount}${p.comment ? ` (“${p.comment}”)` : ""}. Your balance: ${p.balance}.`,
  paymentConfirmed: (p) =>
    `Your payment of ${p.amount} to ${p.address} is confirmed (${p.confirmations} confirmations, transaction ${p.txid}).`,
  paymentRefunded: (p) =>
    p.cause === "conflicted"
      ? `Your payment of ${p.amount} to ${p.address} did not go out: another transaction spending the same coins was confirmed instead of ${p.txid ?? "it"}. The amount and the fee are back in your balance.`
      : `Your payment of ${p.amount} to ${p.address} did not go out: the Bitcoin node has no record of it. It is back in your balance.`,
  paymentFailed: (p) =>
    `Your payment of ${p.amount} to ${p.address} failed: ${p.reason}. Nothing was taken.`,

  errors: {
    accounts: {
      JID_INVALID: () => "that is not a valid JID.",
      JID_WITHOUT_DOT: () => "accounts on a server without a dot in its name cannot register.",
      USERNAME_EMPTY: () => "a username cannot be empty.",
      USERNAME_HAS_DOT: () => "a username cannot contain a dot.",
      USERNAME_TOO_LONG: () => "that username is too long.",
      USERNAME_INVALID_CHARACTER: () => "that username has a character that is not allowed.",
      USERNAME_IS_ADDRESS: () => "a username cannot be a Bitcoin address.",
      USERNAME_TAKEN: () => "that username is taken.",
      USER_NOT_FOUND: () => "no such user.",
      ALREADY_REGISTERED: () => "you are already registered.",
      BALANCE_NOT_EMPTY: () => "you still have money here; withdraw it first.",
      AMOUNT_NOT_POSITIVE: () => "the amount must be more than zero.",
      SAME_ACCOUNT: () => "you cannot pay yourself.",
      INSUFFICIENT_FUNDS: () => "your balance is too low for this payment.",
      PAYMENTS_BLOCKED: (f) => `${blocked}: ${f.reason ?? "ask an admin"}.`,
      WITHDRAWAL_NOT_FOUND: () => "no such withdrawal.",
      WITHDRAWAL_STATE: () => "that withdrawal cannot change any more.",
    },
    orders: {
      SENDER_NOT_FOUND: () => "you are not registered.",
      RECIPIENT_NOT_FOUND: () => "that user is not registered (any more).",
      PAY_YOURSELF: () => "you cannot pay yourself.",
      PAY_OWN_ADDRESS: () => "that is one of your own deposit addresses.",
      INVALID_ADDRESS: () => "that is not a valid Bitcoin address for this network.",
      AMOUNT_NOT_POSITIVE: () => "the amount must be more than zero.",
      AMOUNT_BELOW_DUST: (f) =>
        `an on-chain payment must be at least ${f.minimum ?? "546 sat"} (the dust limit).`,
      ORDER_NOT_FOUND: (f) => `you have no pending payment with the code ${f.code ?? ""}.`,
      ALREADY_PAID: (f) =>
        f.executing
          ? `payment ${f.code ?? ""} is being sent already.`
          : `payment ${f.code ?? ""} is already paid.`,
      WRONG_RECIPIENT: (f) =>
        `that code is for a payment to ${f.recipient ?? "another contact"}; confirm it there.`,
      INSUFFICIENT_FUNDS: () => "your balance is too low for this payment.",
      PAYMENTS_BLOCKED: (f) => `${blocked}: ${f.reason ?? "ask an admin"}.`,
      FEE_TOO_HIGH: (f) =>
        f.limit
          ? `this payment would cost ${f.estimate ?? "?"} in network fees (${f.rate ?? "?"} sat/vB), more than the limit of ${f.limit}. Nothing was paid; try again later.`
          : `the network fee is too high right now (${f.rate ?? "?"} sat/vB, about ${f.estimate ?? "?"}). Nothing was paid; try again later.`,
      FEE_CHANGED: (f) =>
        `this payment's network fee is now ${f.fee ?? "?"} (${f.quoted ? `you were shown ${f.quoted}` : "only an estimate was shown"}): the gateway's coins changed since. Nothing was paid. To pay it at ${f.fee ?? "?"} with its new code, type: ${f.confirmWord ?? "confirm"} ${f.code ?? ""}`,
      POOL_TOO_SMALL: () =>
        "payments are unavailable: the gateway's database is misconfigured. Nothing was paid; please tell the operator.",
      SENDS_BUSY: () =>
        "other payments are being sent and this one could not get its turn. Nothing was paid and your payment stays pending; try again in a moment.",
      WALLET_CANNOT_FUND: () =>
        "the gateway's wallet cannot fund this payment right now. Nothing was paid and your payment stays pending until it expires; try again in a moment.",
      NODE_UNAVAILABLE: () =>
        "the Bitcoin node is unavailable right now. Nothing was paid and your payment stays pending until it expires; try again in a moment.",
      SEND_REJECTED: (f) =>
        `the Bitcoin network refused this payment for now${f.reason ? ` (${f.reason})` : ""}. Nothing was paid and your payment stays pending; try again later, or cancel it.`,
      SEND_FAILED: (f) =>
        `the payment could not be sent${f.reason ? ` (${f.reason})` : ""}. Nothing was taken.`,
      SEND_OUTCOME_UNKNOWN: () =>
        "the Bitcoin node did not answer in time. The payment may or may not have gone out; you will be told which, and nothing is sent twice.",
    },
    uri: {
      BIP21_NOT_BITCOIN_URI: () => "that is not a bitcoin: payment link.",
      BIP21_ADDRESS_INVALID: () =>
        "the payment link's address is not a valid address on this network.",
      BIP21_AMOUNT_INVALID: () => "the payment link's amount is not a BTC amount.",
      BIP21_MALFORMED: () => "the payment link is malformed.",
      BIP21_DUPLICATE_PARAMETER: () => "the payment link gives the same detail twice.",
      BIP21_REQUIRED_PARAMETER_UNKNOWN: () =>
        "the payment link requires something this gateway cannot do.",
    },
    amount: {
      AMOUNT_EMPTY: () => "no amount given.",
      AMOUNT_NOT_A_NUMBER: (f) => `“${f.input ?? ""}” is not an amount.`,
      AMOUNT_NEGATIVE: () => "the amount cannot be negative.",
      AMOUNT_ZERO: () => "the amount must be more than zero.",
      AMOUNT_TOO_PRECISE: () => "that is finer than a satoshi (at most 8 decimals in BTC).",
      AMOUNT_EXPONENT: () => "write the amount without an exponent.",
      AMOUNT_HEX: () => "write the amount in decimal.",
      AMOUNT_TOO_LARGE: () => "that is more than 21 million BTC.",
      AMOUNT_TRAILING_GARBAGE: (f) => `“${f.input ?? ""}” is not an amount.`,
      AMOUNT_GROUPING: () => "no thousands separators, please: one “.” or “,” marks the decimals.",
      AMOUNT_UNKNOWN_UNIT: () => "unknown unit; use BTC, mBTC or sat.",
    },
  },
  gateway,
  registration,
  stanza,
  vcard,
};
