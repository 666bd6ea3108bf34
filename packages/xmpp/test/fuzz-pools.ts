/**
 * The fuzz test's raw material: odd amounts, injection attempts, confusable
 * and invisible text, XEP-0106 oddities and bad address masks in JIDs,
 * senders and targets a server could deliver (and some it never would), and
 * usernames accounts must refuse.
 */

/** The JIDs a run knows about (all on or around the gateway's domain). */
export interface FuzzJids {
  readonly domain: string;
  /** A registered user with zero balance (full JID). */
  readonly registered: string;
  /** A registered admin with zero balance (full JID): admins may name users by real JID. */
  readonly admin: string;
  /** Another registered user's username (a payee). */
  readonly payee: string;
  /** A deposit address of the registered user (bech32) and a legacy address outside. */
  readonly ownAddress: string;
  readonly legacyAddress: string;
  /** JIDs of those addresses on the domain. */
  readonly ownAddressJid: string;
  readonly legacyAddressJid: string;
}

export const BAD_AMOUNTS = [
  "1e309",
  "1E5",
  "-0",
  "-1",
  "0",
  "0.000000001",
  "0,000000001",
  "NaN",
  "nan",
  "Infinity",
  "-Infinity",
  "0x10",
  "0X1F",
  "1,000.5",
  "1.000,5",
  "1 000",
  "1_000",
  "1'000",
  "+5",
  "٣",
  "１０",
  "21000001",
  "99999999999999999999999999",
  "0.1.2",
  ".",
  ",",
  "5 bananas",
  "5mbtcx",
  "1e-8",
  "0.00000000000000000001",
  "0b101",
  "1/2",
  "½",
  "Ⅻ",
  "'; DROP TABLE bitcoim.users; --",
];

export const SQL = [
  "'; DROP TABLE bitcoim.users; --",
  "' OR '1'='1",
  '"; DELETE FROM bitcoim.payment_orders; --',
  "1; UPDATE bitcoim.journal_entries SET amount = 0",
  "%",
  "_",
  "\\",
  "$1",
  "E'\\x00'",
  "/* */",
];

export const ODD_TEXT = [
  "",
  " ",
  "   \t  ",
  "\n\n",
  "\r\n",
  "\u00a0",
  "\u2003",
  "\u200b",
  "\u200e\u200f",
  "\u202eyap",
  "\ufeff",
  "\u0085",
  "\u009b31m",
  "\u007f",
  "ÿ",
  "ｐａｙ",
  "раy",
  "ΡΑΥ",
  "pаy",
  "ⓟⓐⓨ",
  "𝐩𝐚𝐲",
  "ﬀ",
  "İ",
  "ß",
  "a\u0301\u0301\u0301\u0301",
  "💸💸💸",
  "👨‍👩‍👧",
  "🏳️‍🌈",
  "<body/>",
  "&amp;&lt;",
  "]]>",
  "<![CDATA[x]]>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection attempt, on purpose
  "${process.exit()}",
  "{{7*7}}",
  "%s%s%n",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "toString",
];

/** Not allowed in XML 1.0: a server would refuse them before we see them. */
export const UNDELIVERABLE_TEXT = [
  "\u0000",
  "\u0001\u0002",
  "\u001b[31m",
  "\ud800",
  "x\udfffy",
  "\uffff",
  "\u000b",
];

export const WORDS = [
  "help",
  "HELP",
  "h",
  "?",
  "balance",
  "bal",
  "b",
  "pay",
  "p",
  "PaY",
  "payer",
  "cancel",
  "c",
  "annuler",
  "confirm",
  "conf",
  "confirmer",
  "history",
  "hist",
  "historique",
  "address",
  "adresse",
  "aide",
  "solde",
  "a",
  "pending",
  "ping",
  "/help",
  "!pay",
  "pay:",
];

export const CODES = [
  "",
  "abcd",
  "ABCD",
  "zzzz",
  "0000",
  "aaaa",
  "a",
  "abcde",
  "%",
  "____",
  "'--",
  "l1o0",
  "🙂🙂🙂🙂",
];

/** XEP-0106 oddities, bad address masks and JIDs that are no JIDs at all. */
export function targets(jids: FuzzJids): { deliverable: string[]; undeliverable: string[] } {
  const d = jids.domain;
  const legacyNode = jids.legacyAddressJid.split("@")[0]!;
  const [lowered = "", mask = ""] = legacyNode.split("-");
  return {
    deliverable: [
      d,
      d.toUpperCase(),
      `${d}/resource`,
      `${d}/${"r".repeat(1000)}`,
      `${jids.payee}@${d}`,
      `${jids.payee.toUpperCase()}@${d}/x`,
      `nobody@${d}`,
      jids.ownAddressJid,
      jids.legacyAddressJid,
      `${lowered}@${d}`,
      `${lowered}-0@${d}`,
      `${lowered}-0${mask}@${d}`,
      `${lowered}-${"z".repeat(40)}@${d}`,
      `${lowered}-${mask}${mask}@${d}`,
      `${lowered}--${mask}@${d}`,
      `${lowered}-@${d}`,
      `${jids.ownAddress}-1@${d}`,
      `bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq@${d}`,
      `tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx@${d}`,
      `bcrt1q${"q".repeat(58)}@${d}`,
      `\\20${jids.payee}@${d}`,
      `${jids.payee}\\20@${d}`,
      `\\20@${d}`,
      `\\5c@${d}`,
      `\\5c5c@${d}`,
      `\\zz@${d}`,
      `\\@${d}`,
      `a\\@${d}`,
      `\\2e@${d}`,
      `a\\2eb@${d}`,
      `alice\\40example.localhost@${d}`,
      `ALICE\\40EXAMPLE.LOCALHOST@${d}`,
      `\\40example.localhost@${d}`,
      `alice\\40@${d}`,
      `a\\40b\\40c.d@${d}`,
      `x\\2fy.z@${d}`,
      `a\\40b.c\\2fres@${d}`,
      // Real JIDs that unescape to something no server would call a JID.
      `\\27\\20or\\201\\3d1\\40x.y@${d}`,
      `a\\20b\\40example.localhost@${d}`,
      `\\3cscript\\3e\\40x.y@${d}`,
      `\\22\\26\\27\\3a\\3c\\3e\\5c.x@${d}`,
      `a\\40x.y\\40z@${d}`,
      `x.\\20@${d}`,
      `\\5cx.y@${d}`,
      `zed\\40example.localhost@${d}`,
      `boss\\40example.localhost@${d}`,
      `\\27\\3b\\20DROP@${d}`,
      `${"a".repeat(1023)}@${d}`,
      `раyее@${d}`,
      `💸@${d}`,
    ],
    // The server routes only our domain's JIDs to us; the rest are no JIDs at all.
    undeliverable: [
      "someone@other.example",
      "other.example",
      "example.localhost",
      "",
      "@",
      `@${d}`,
      `x@`,
      `a@b@${d}`,
      `/res`,
      `${d}/`,
      `x@${d}/`,
      "\u0000@x",
      `u\u0001@${d}`,
    ],
  };
}

export function senders(jids: FuzzJids): { deliverable: string[]; undeliverable: string[] } {
  return {
    deliverable: [
      jids.registered,
      jids.registered.split("/")[0]!,
      jids.admin,
      `${jids.registered.split("/")[0]!}/${"r".repeat(1023)}`,
      `${jids.registered.split("/")[0]!}/💸 '; DROP TABLE bitcoim.online_resources; --`,
      `${jids.admin.split("/")[0]!}/\u202e`,
      `${jids.registered.split("/")[0]!.toUpperCase()}/Other`,
      "stranger@example.localhost/r",
      "mallory@evil.example/💸",
      "root@localhost/dotless",
      "example.localhost",
      "example.localhost/res",
      `${jids.domain}`,
      `x@${jids.domain}/loop`,
      // Our own entities as senders: a reply to them must not start a loop.
      jids.ownAddressJid,
      `${jids.payee}@${jids.domain}/x`,
      // RFC 7622 §3.3.1: no space or apostrophe in a localpart, but a resource may have both.
      `1=1;--drop_table@example.localhost/'; DROP TABLE bitcoim.users; --`,
      `${"s".repeat(1023)}@example.localhost/${"r".repeat(1023)}`,
      "аlice@example.localhost/r",
    ],
    undeliverable: [
      "",
      "@",
      "user@",
      "a@b@c/d",
      "/res",
      "x@y/",
      "\u0000@example.localhost",
      "'; drop table bitcoim.users; --@example.localhost/r",
      "a b@example.localhost/r",
    ],
  };
}

export const UNKNOWN_NS = [
  "urn:example:nothing",
  "",
  "jabber:client",
  "http://jabber.org/protocol/commands",
  "jabber:iq:roster",
  "urn:xmpp:time",
];

/** Usernames accounts must refuse (docs/behaviour.md §2): empty, dotted, too long, an address, taken, controls. */
export function invalidUsernames(jids: FuzzJids): string[] {
  return [
    "",
    " \t ",
    "a.b",
    ".",
    "x".repeat(65),
    jids.ownAddress,
    jids.legacyAddress,
    jids.legacyAddressJid.split("@")[0]!,
    jids.payee,
    ` ${jids.payee.toUpperCase()} `,
    "\u202eevil",
    "\u0085x",
    "zero\u200bwidth",
    "bidi\u200e",
    "\ue000private",
    "'; DROP TABLE bitcoim.users; --",
  ];
}
