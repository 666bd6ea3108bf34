/**
 * Every French text of the gateway, in one file: chat, and by section the
 * other stanzas (sections.ts). French has its own command words; the
 * English ones work too.
 */
import type { JidFacts } from "../jids.js";
import type { Catalogue } from "./catalogue.js";
import type { GatewayTexts, RegistrationTexts, StanzaTexts, VcardTexts } from "./sections.js";

const bloque = "vos paiements sortants sont bloqués";

const networkList = (f: JidFacts) => (f.networks ?? []).join(", ") || "?";

const stanza: StanzaTexts = {
  lang: "fr",
  users: "Utilisateurs",
  addresses: "Adresses",
  yourAddresses: "Vos adresses",
  realJid: "JID réel",
  noSuchUser: "Aucun utilisateur de ce nom ici",
  noNode: (node) => `Il n'y a pas de nœud « ${node} » ici`,
  onlyUserAndAdmins: "Seuls cet utilisateur et les administrateurs peuvent voir ceci",
  onlyAdminsList: "Seuls les administrateurs peuvent voir la liste des utilisateurs",
  notImplemented: (type, element, ns) =>
    `Une requête IQ ${type} de <${element}/> dans ${ns} n'est pas prise en charge ici`,
  notServed: (ns) => `L'espace de noms « ${ns} » n'est pas pris en charge ici`,
  internalError: "Un problème est survenu de notre côté",
  shuttingDown: "La passerelle redémarre ; réessayez dans un instant",
  badJid: (code, f) => {
    if (code === "JID_FOREIGN") return `${f.jid ?? "Ce JID"} n'est pas sur cette passerelle`;
    if (code === "JID_MALFORMED") return `« ${f.jid ?? ""} » n'est pas un JID`;
    if (code === "JID_BAD_ESCAPE") return `« ${f.node ?? ""} » ne désigne aucun JID nu valide`;
    const why =
      f.address === "ADDRESS_WRONG_NETWORK"
        ? `c'est une adresse de ${networkList(f)}, pas du réseau de cette passerelle`
        : f.address === "ADDRESS_UNSUPPORTED"
          ? "c'est un type d'adresse que cette passerelle ne paie pas"
          : f.address === "ADDRESS_NODE_NON_CANONICAL"
            ? "une adresse a un seul JID, et ce n'est pas celui-ci"
            : "ce n'est pas une adresse Bitcoin valide";
    return `Aucune adresse de ce nom ici : ${why}`;
  },
};

const gateway: GatewayTexts = {
  lang: "fr",
  onlyGateway: "Adressez-vous à la passerelle elle-même",
  description: "Saisissez une adresse Bitcoin ou le nom d'un utilisateur de bitcoIM.",
  prompt: "Adresse Bitcoin ou nom d'utilisateur",
  empty: "Saisissez une adresse Bitcoin ou un nom d'utilisateur.",
  notFound: (entered) =>
    `« ${entered} » n'est ni une adresse Bitcoin ni le nom d'un utilisateur de bitcoIM.`,
  wrongNetwork: (address, theirs, ours) =>
    `${address} est une adresse du réseau ${theirs.join("/")}, pas du réseau ${ours} : cette passerelle ne peut pas la payer.`,
  unsupported: (address) =>
    `${address} est une adresse segwit d'un type qu'on ne peut pas encore payer.`,
};

const registration: RegistrationTexts = {
  lang: "fr",
  instructions:
    "Choisissez un nom d'utilisateur : les autres pourront vous payer par ce nom. Il ne peut contenir de point ni être une adresse Bitcoin.",
  title: "Inscription à bitcoIM",
  usernameLabel: "Nom d'utilisateur",
  languageLabel: "Langue (facultatif, par exemple fr ou en)",
  onlyGateway: "Inscrivez-vous auprès de la passerelle elle-même",
  missing: "Donnez un nom d'utilisateur (le champ est absent).",
  notSubmitted: (why) => `Formulaire non soumis : ${why}`,
  badLanguage: (tag) => `« ${tag} » n'est pas une langue comme fr ou en.`,
  welcome: (address) =>
    `Bienvenue sur bitcoIM ! Voici votre adresse de dépôt : envoyez des bitcoins à ${address} pour approvisionner votre compte.`,
  goodbye: "Au revoir ! Vous n'êtes plus inscrit à bitcoIM.",
  words: { register: "inscrire", unregister: "désinscrire" },
  howToRegister: (register) =>
    `Vous n'êtes pas inscrit auprès de cette passerelle. Pour vous inscrire, tapez : ${register} <nom> — les autres vous paient par ce nom (ou inscrivez-vous par la découverte de services de votre client).`,
  chatUsage: (register) =>
    `Tapez ${register} suivi du nom voulu, par exemple : ${register} alice. Vous pouvez ajouter une langue : ${register} alice en.`,
  registered: (username, address) =>
    `Inscrit sous le nom ${username}. Votre adresse de dépôt est ${address} : elle est dans vos contacts. Tapez aide pour les commandes.`,
  renamed: (username) => `Votre nom d'utilisateur est maintenant ${username}.`,
  refusal(code, username) {
    switch (code) {
      case "USERNAME_EMPTY":
        return "Le nom d'utilisateur est vide ; choisissez-en un.";
      case "USERNAME_HAS_DOT":
        return `« ${username} » contient un point ; un nom d'utilisateur n'en a pas, pour ne jamais ressembler à un JID.`;
      case "USERNAME_TOO_LONG":
        return `« ${username} » est trop long ; choisissez un nom plus court.`;
      case "USERNAME_INVALID_CHARACTER":
        return `« ${username} » contient un caractère interdit dans un nom d'utilisateur.`;
      case "USERNAME_IS_ADDRESS":
        return `« ${username} » est une adresse Bitcoin (ou le nom de contact d'une adresse) : ce ne peut être un nom d'utilisateur.`;
      case "USERNAME_TAKEN":
        return `Le nom « ${username} » est déjà pris ; choisissez-en un autre.`;
      case "JID_WITHOUT_DOT":
        return "Votre JID ne peut s'inscrire ici : sans point, il pourrait être confondu avec un nom d'utilisateur.";
      case "JID_INVALID":
        return "Votre JID ne peut s'inscrire ici : ce n'est pas un JID nu valide.";
      case "ALREADY_REGISTERED":
        return "Vous êtes déjà inscrit ; envoyez votre nouveau nom pour le changer.";
      case "USER_NOT_FOUND":
        return "Vous n'êtes pas (plus) inscrit ; inscrivez-vous pour choisir un nom.";
      case "BALANCE_NOT_EMPTY":
        return "Il vous reste de l'argent ici : retirez-le (et attendez les paiements en cours) avant de vous désinscrire.";
      default:
        return "Votre inscription n'a pas pu être modifiée.";
    }
  },
};

const vcard: VcardTexts = {
  lang: "fr",
  gatewayDescription:
    "Un portefeuille Bitcoin qui s'utilise en discutant : payez et faites-vous payer par nom d'utilisateur ou par adresse.",
  noSuchUser: stanza.noSuchUser,
};

export const fr: Catalogue = {
  lang: "fr",
  locale: "fr",
  words: {
    pay: "payer",
    confirm: "confirmer",
    cancel: "annuler",
    history: "historique",
    help: "aide",
    balance: "solde",
    address: "adresse",
    audit: "audit",
  },
  newWord: "nouvelle",
  errorPrefix: "Erreur :",
  usage: {
    pay: "payer <montant> [motif…]",
    confirm: "confirmer [<code>]",
    cancel: "annuler [<code>]",
    history: "historique [<page>]",
    help: "aide [<commande>]",
    balance: "solde",
    address: "adresse [nouvelle]",
    audit: "audit",
  },
  describe: {
    pay: "prépare un paiement à ce contact (montant en BTC, ou avec une unité : 0,001, 1,5 mBTC, 2000 sat) ; vous recevez un code pour le confirmer",
    confirm:
      "avec un code : exécute ce paiement en attente ; sans : liste vos paiements en attente",
    cancel:
      "avec un code : abandonne ce paiement en attente ; sans : liste vos paiements en attente",
    history: "vos derniers mouvements, 20 par page (ici : seulement ceux avec ce contact)",
    help: "les commandes utilisables ici, ou l'usage de l'une d'elles",
    balance: "votre solde, et les dépôts pas encore confirmés",
    address: "vos adresses de dépôt ; « adresse nouvelle » en crée une autre",
    audit:
      "(administrateurs) la vérification du grand livre, et le solde du portefeuille face à ce que détiennent les utilisateurs",
  },
  sendStates: {
    intent: "en cours d'envoi",
    sent: "envoyé, pas encore confirmé",
    confirmed: "confirmé",
    refunded: "remboursé",
    failed: "échoué",
  },

  editNotExecuted:
    "Les messages corrigés ne sont pas exécutés, pour que rien ne s'exécute deux fois. Renvoyez la commande dans un nouveau message.",
  registerFirst:
    "Vous n'êtes pas inscrit auprès de cette passerelle. Inscrivez-vous d'abord (découverte de services de votre client → inscription), puis réessayez.",
  rateLimited: (limit) =>
    `Doucement, s'il vous plaît : au plus ${limit} commandes par minute. Réessayez dans un instant.`,
  unknownCommand: (word, help) =>
    `Je ne connais pas « ${word} ». Tapez ${help} pour la liste des commandes.`,
  ambiguous: (word, candidates) =>
    `« ${word} » peut vouloir dire ${candidates.join(", ")}. Tapez quelques lettres de plus.`,
  noSuchUser: (name) => `Il n'y a pas d'utilisateur ${name} ici.`,
  internalError: "Un problème est survenu de notre côté. Réessayez plus tard.",

  helpIntro: "Commandes utilisables ici (tout début de mot non ambigu suffit) :",
  helpBareAddress: "une adresse Bitcoin — ouvre une discussion avec cette adresse, pour la payer",
  notHere: (command) => `${command} ne marche qu'en écrivant à la passerelle elle-même.`,
  payAtGateway:
    "Pour payer, écrivez « payer <montant> » au JID d'un utilisateur ou d'une adresse, pas à la passerelle. Envoyez-moi une adresse Bitcoin pour obtenir son JID.",
  amountRequired:
    "Combien ? Écrivez payer <montant> [motif…], par exemple payer 0,001 pour le café.",
  badPage: (text) => `« ${text} » n'est pas un numéro de page.`,
  queued: (q) =>
    [
      `Paiement de ${q.amount} à ${q.recipient}${q.comment ? ` (« ${q.comment} »)` : ""}.`,
      q.fee
        ? q.feeExact
          ? `Frais de réseau : ${q.fee}, à votre charge en plus.`
          : `Frais de réseau estimés : ${q.fee}, à votre charge en plus ; les frais exacts vous seront indiqués avant tout paiement.`
        : undefined,
      `Solde après paiement : ${q.balanceAfter}.`,
      q.insufficient
        ? "Attention : votre solde ne le couvre pas encore ; la confirmation échouera tant que l'argent n'est pas arrivé."
        : q.lowBalance
          ? "Attention : votre solde sera bas après ce paiement."
          : undefined,
      q.viaForm
        ? `Terminez pour payer, ou annulez pour l'abandonner (valable ${q.minutes} min).`
        : `Pour payer, tapez : ${q.confirmWord} ${q.code}   (valable ${q.minutes} min ; ${q.cancelWord} ${q.code} l'abandonne)`,
    ]
      .filter(Boolean)
      .join("\n"),
  paidInternal: (p) => `${p.amount} payés à ${p.recipient}. Votre solde : ${p.balance}.`,
  paidOnChain: (p) =>
    `${p.amount} envoyés à ${p.address}${p.fee ? ` (frais de réseau ${p.fee})` : ""}. Transaction : ${p.txid}`,
  noPending: "Vous n'avez aucun paiement en attente.",
  pendingHeader: (n, confirm) =>
    `Vos paiements en attente (${n}) — tapez ${confirm} <code> pour en payer un :`,
  pendingLine: (l) =>
    `${l.code}  ${l.date}  ${l.amount} → ${l.recipient}${l.fee ? ` + frais de réseau ${l.fee}` : ""}${l.comment ? `  « ${l.comment} »` : ""}`,
  cancelled: (c) =>
    `${c.code} annulé : ${c.amount} à ${c.recipient}.${c.elsewhere ? ` Remarque : ce paiement était pour ${c.recipient}, pas pour ce contact.` : ""}`,
  historyEmpty: (page) => (page > 1 ? `Rien en page ${page}.` : "Aucun mouvement pour l'instant."),
  historyHeader: (page, withWhom) =>
    `Historique${withWhom ? ` avec ${withWhom}` : ""}, page ${page} (le plus récent d'abord) :`,
  historyLine: (l) => {
    const what = {
      transfer: l.amount.startsWith("-") ? `à ${l.counterpart}` : `de ${l.counterpart}`,
      deposit: `dépôt, ${l.counterpart}`,
      deposit_reversal: `dépôt repris, ${l.counterpart}`,
      send: `envoyé à ${l.counterpart}`,
    }[l.kind];
    const extra = [
      l.confirmations !== undefined ? `${l.confirmations} confirmations` : undefined,
      l.kind === "send" && l.state ? l.state : undefined,
      l.fee
        ? `frais de réseau ${l.fee}`
        : l.feeUpTo
          ? `frais de réseau au plus ${l.feeUpTo}`
          : undefined,
    ].filter(Boolean);
    return `${l.date}  ${l.amount}  ${what}${extra.length ? ` (${extra.join(", ")})` : ""}${l.comment ? `  « ${l.comment} »` : ""}`;
  },
  historyMore: (command) => `Suite : ${command}`,
  balance: (b) =>
    [
      `Solde : ${b.confirmed}`,
      `Dépôts en attente (pas encore confirmés) : ${b.pending}`,
      b.inFlight ? `En cours d'envoi : ${b.inFlight}` : undefined,
      b.owed ? `Dû après une réorganisation de la chaîne : ${b.owed}` : undefined,
    ]
      .filter(Boolean)
      .join("\n"),
  addresses: (list, newCommand) =>
    [
      "Vos adresses de dépôt :",
      ...list.map((a) => `${a.address}\n  ${a.uri}`),
      `Une autre : ${newCommand}`,
    ].join("\n"),
  addressCreated: (a) =>
    `Nouvelle adresse de dépôt : ${a.address}\n  ${a.uri}\nElle est ajoutée à vos contacts.`,
  uriWithoutAmount: (p) =>
    `Lien de paiement pour ${p.address}${p.label ? ` (${p.label})` : ""}, sans montant. Pour le payer, tapez : ${p.payWord} <montant> [motif…]`,
  bareAddress: (address, pay) =>
    `Ceci est ${address}. Écrivez ${pay} <montant> [motif…] ici pour la payer.`,
  audit: (a) =>
    [
      !a.ledgerOk
        ? "Audit : PROBLÈME. Le grand livre ne tombe pas juste :"
        : a.wallet && !a.wallet.covered
          ? `Audit : PROBLÈME. Le portefeuille détient ${a.wallet.difference} de moins que ce qui est dû aux utilisateurs.`
          : a.wallet
            ? "Audit : OK. Le grand livre tombe juste, et le portefeuille couvre ce que détiennent les utilisateurs."
            : "Audit : le grand livre tombe juste, mais le portefeuille n'a pas pu être comparé.",
      ...a.problems.map((p) => `  ${p}`),
      a.moreProblems > 0 ? `  …et ${a.moreProblems} de plus` : undefined,
      `Dû aux utilisateurs : ${a.liabilities} (soldes ${a.userBalances}, en cours d'envoi ${a.inFlight})`,
      `Dû par des utilisateurs après des réorganisations : ${a.owed}`,
      a.wallet
        ? `Portefeuille : ${a.wallet.trusted} confirmés, ${a.wallet.pending} en attente ; ${a.wallet.covered ? "excédent" : "manque"} ${a.wallet.difference}`
        : `Portefeuille : indisponible (${a.walletUnavailable ?? "aucun portefeuille configuré"})`,
    ]
      .filter(Boolean)
      .join("\n"),

  adhoc: {
    names: {
      balance: "Solde",
      address: "Adresses de dépôt",
      "address-new": "Nouvelle adresse de dépôt",
      history: "Historique",
      pending: "Paiements en attente",
      cancel: "Annuler un paiement",
      help: "Aide",
      audit: "Audit (administrateurs)",
      directory: "Annuaire des utilisateurs (administrateurs)",
      "jabber:iq:register": "S'inscrire",
      unregister: "Se désinscrire",
      pay: "Payer",
    },
    amountLabel: "Montant (BTC)",
    reasonLabel: "Motif (facultatif)",
    orderLabel: "Paiement",
    payInstructions: (recipient) =>
      `Payer ${recipient} : le montant en BTC (par exemple 0.001), et son motif. Vous voyez les frais avant tout paiement.`,
    chooseOrder: "Quel paiement en attente faut-il abandonner ?",
    unregisterInstructions:
      "Vous désinscrire de cette passerelle ? Votre solde doit être nul : retirez-le d'abord. Votre nom d'utilisateur redevient libre.",
    directory: (members) =>
      members.length === 0
        ? "Aucun utilisateur inscrit."
        : [
            `Utilisateurs inscrits (${members.length}) :`,
            ...members.map((m) => `${m.username}  ${m.jid}`),
          ].join("\n"),
    done: "Terminé.",
    sessionUnknown: "Cette session de commande est inconnue ou terminée. Relancez la commande.",
    sessionExpired: "Cette session de commande a expiré. Relancez la commande.",
    badAction: (action) => `« ${action} » n'est pas possible à cette étape.`,
    noSuchCommand: "Cette commande n'existe pas ici.",
  },

  gatewayStatus: (s) =>
    `bonjour ${s.username}, solde ${s.balance}${s.pending ? ` (+${s.pending} en attente)` : ""}`,
  addressStatus: (s) => `votre adresse : ${s.share} de ce que vous avez reçu est arrivé ici`,
  userStatus: (s) => `${s.username} : solde ${s.balance}`,
  shuttingDown: "La passerelle s'arrête ; elle revient bientôt.",
  bitcoinUnavailable:
    "le réseau Bitcoin est injoignable pour l'instant : les nouveaux dépôts ne sont pas vus et les paiements vers des adresses attendent ; les paiements entre utilisateurs fonctionnent",
  newAddressGreeting: "Votre nouvelle adresse de dépôt",

  depositSeen: (d) =>
    `Arrivée : ${d.amount} sur ${d.address} (transaction ${d.txid}, ${d.confirmations} confirmations). Compté une fois confirmé.`,
  depositDropped: (d) =>
    `Les ${d.amount} annoncés sur ${d.address} (transaction ${d.txid}) n'arriveront pas : une autre transaction dépensant les mêmes pièces a été confirmée à la place.`,
  depositCredited: (d) =>
    `Reçu ${d.amount} sur ${d.address} (transaction ${d.txid}). Votre solde : ${d.balance}.`,
  depositReversed: (d) =>
    `Un dépôt de ${d.amount} (transaction ${d.txid}) a été repris par le réseau.${d.shortfall ? ` Vous devez maintenant ${d.shortfall} ; ${bloque} jusqu'au règlement.` : ""}`,
  paymentReceived: (p) =>
    `${p.from} vous a payé ${p.amount}${p.comment ? ` (« ${p.comment} »)` : ""}. Votre solde : ${p.balance}.`,
  paymentConfirmed: (p) =>
    `Votre paiement de ${p.amount} à ${p.address} est confirmé (${p.confirmations} confirmations, transaction ${p.txid}).`,
  paymentRefunded: (p) =>
    p.cause === "conflicted"
      ? `Votre paiement de ${p.amount} à ${p.address} n'est pas parti : une autre transaction dépensant les mêmes pièces a été confirmée à la place de ${p.txid ?? "la sienne"}. Le montant et les frais sont revenus sur votre solde.`
      : `Votre paiement de ${p.amount} à ${p.address} n'est pas parti : le nœud Bitcoin n'en a aucune trace. Il est revenu sur votre solde.`,
  paymentFailed: (p) =>
    `Votre paiement de ${p.amount} à ${p.address} a échoué : ${p.reason}. Rien n'a été prélevé.`,

  errors: {
    accounts: {
      JID_INVALID: () => "ce n'est pas un JID valide.",
      JID_WITHOUT_DOT: () =>
        "les comptes d'un serveur sans point dans son nom ne peuvent pas s'inscrire.",
      USERNAME_EMPTY: () => "le nom d'utilisateur ne peut pas être vide.",
      USERNAME_HAS_DOT: () => "le nom d'utilisateur ne peut pas contenir de point.",
      USERNAME_TOO_LONG: () => "ce nom d'utilisateur est trop long.",
      USERNAME_INVALID_CHARACTER: () => "ce nom d'utilisateur contient un caractère interdit.",
      USERNAME_IS_ADDRESS: () => "un nom d'utilisateur ne peut pas être une adresse Bitcoin.",
      USERNAME_TAKEN: () => "ce nom d'utilisateur est déjà pris.",
      USER_NOT_FOUND: () => "utilisateur inconnu.",
      ALREADY_REGISTERED: () => "vous êtes déjà inscrit.",
      BALANCE_NOT_EMPTY: () => "vous avez encore de l'argent ici ; retirez-le d'abord.",
      AMOUNT_NOT_POSITIVE: () => "le montant doit être supérieur à zéro.",
      SAME_ACCOUNT: () => "vous ne pouvez pas vous payer vous-même.",
      INSUFFICIENT_FUNDS: () => "votre solde est insuffisant pour ce paiement.",
      PAYMENTS_BLOCKED: (f) => `${bloque} : ${f.reason ?? "demandez à un administrateur"}.`,
      WITHDRAWAL_NOT_FOUND: () => "retrait inconnu.",
      WITHDRAWAL_STATE: () => "ce retrait ne peut plus changer.",
    },
    orders: {
      SENDER_NOT_FOUND: () => "vous n'êtes pas inscrit.",
      RECIPIENT_NOT_FOUND: () => "cet utilisateur n'est pas (ou plus) inscrit.",
      PAY_YOURSELF: () => "vous ne pouvez pas vous payer vous-même.",
      PAY_OWN_ADDRESS: () => "c'est une de vos propres adresses de dépôt.",
      INVALID_ADDRESS: () => "ce n'est pas une adresse Bitcoin valide pour ce réseau.",
      AMOUNT_NOT_POSITIVE: () => "le montant doit être supérieur à zéro.",
      AMOUNT_BELOW_DUST: (f) =>
        `un paiement sur la chaîne doit être d'au moins ${f.minimum ?? "546 sat"} (limite de poussière).`,
      ORDER_NOT_FOUND: (f) => `vous n'avez aucun paiement en attente avec le code ${f.code ?? ""}.`,
      ALREADY_PAID: (f) =>
        f.executing
          ? `le paiement ${f.code ?? ""} est déjà en cours d'envoi.`
          : `le paiement ${f.code ?? ""} est déjà payé.`,
      WRONG_RECIPIENT: (f) =>
        `ce code est celui d'un paiement à ${f.recipient ?? "un autre contact"} ; confirmez-le là-bas.`,
      INSUFFICIENT_FUNDS: () => "votre solde est insuffisant pour ce paiement.",
      PAYMENTS_BLOCKED: (f) => `${bloque} : ${f.reason ?? "demandez à un administrateur"}.`,
      FEE_TOO_HIGH: (f) =>
        f.limit
          ? `ce paiement coûterait ${f.estimate ?? "?"} de frais de réseau (${f.rate ?? "?"} sat/vB), plus que la limite de ${f.limit}. Rien n'a été payé ; réessayez plus tard.`
          : `les frais de réseau sont trop élevés en ce moment (${f.rate ?? "?"} sat/vB, environ ${f.estimate ?? "?"}). Rien n'a été payé ; réessayez plus tard.`,
      FEE_CHANGED: (f) =>
        `les frais de réseau de ce paiement sont maintenant de ${f.fee ?? "?"} (${f.quoted ? `on vous avait indiqué ${f.quoted}` : "seule une estimation vous avait été indiquée"}) : les pièces de la passerelle ont changé depuis. Rien n'a été payé. Pour le payer à ${f.fee ?? "?"} avec son nouveau code, tapez : ${f.confirmWord ?? "confirmer"} ${f.code ?? ""}`,
      POOL_TOO_SMALL: () =>
        "les paiements sont indisponibles : la base de données de la passerelle est mal configurée. Rien n'a été payé ; prévenez l'opérateur.",
      SENDS_BUSY: () =>
        "d'autres paiements sont en cours d'envoi et celui-ci n'a pas pu passer. Rien n'a été payé et votre paiement reste en attente ; réessayez dans un instant.",
      WALLET_CANNOT_FUND: () =>
        "le portefeuille de la passerelle ne peut pas financer ce paiement pour le moment. Rien n'a été payé et votre paiement reste en attente jusqu'à son expiration ; réessayez dans un instant.",
      NODE_UNAVAILABLE: () =>
        "le nœud Bitcoin est indisponible pour le moment. Rien n'a été payé et votre paiement reste en attente jusqu'à son expiration ; réessayez dans un instant.",
      SEND_REJECTED: (f) =>
        `le réseau Bitcoin refuse ce paiement pour le moment${f.reason ? ` (${f.reason})` : ""}. Rien n'a été payé et votre paiement reste en attente ; réessayez plus tard, ou annulez-le.`,
      SEND_FAILED: (f) =>
        `le paiement n'a pas pu être envoyé${f.reason ? ` (${f.reason})` : ""}. Rien n'a été prélevé.`,
      SEND_OUTCOME_UNKNOWN: () =>
        "le nœud Bitcoin n'a pas répondu à temps. Le paiement est peut-être parti ; vous saurez lequel des deux, et rien n'est envoyé deux fois.",
    },
    uri: {
      BIP21_NOT_BITCOIN_URI: () => "ce n'est pas un lien de paiement bitcoin:.",
      BIP21_ADDRESS_INVALID: () => "l'adresse du lien de paiement n'est pas valable sur ce réseau.",
      BIP21_AMOUNT_INVALID: () => "le montant du lien de paiement n'est pas un montant en BTC.",
      BIP21_MALFORMED: () => "le lien de paiement est mal formé.",
      BIP21_DUPLICATE_PARAMETER: () => "le lien de paiement donne deux fois le même détail.",
      BIP21_REQUIRED_PARAMETER_UNKNOWN: () =>
        "le lien de paiement exige quelque chose que cette passerelle ne sait pas faire.",
    },
    amount: {
      AMOUNT_EMPTY: () => "aucun montant.",
      AMOUNT_NOT_A_NUMBER: (f) => `« ${f.input ?? ""} » n'est pas un montant.`,
      AMOUNT_NEGATIVE: () => "le montant ne peut pas être négatif.",
      AMOUNT_ZERO: () => "le montant doit être supérieur à zéro.",
      AMOUNT_TOO_PRECISE: () => "c'est plus fin qu'un satoshi (au plus 8 décimales en BTC).",
      AMOUNT_EXPONENT: () => "écrivez le montant sans exposant.",
      AMOUNT_HEX: () => "écrivez le montant en décimal.",
      AMOUNT_TOO_LARGE: () => "c'est plus de 21 millions de BTC.",
      AMOUNT_TRAILING_GARBAGE: (f) => `« ${f.input ?? ""} » n'est pas un montant.`,
      AMOUNT_GROUPING: () =>
        "pas de séparateur de milliers : un seul « . » ou « , » marque les décimales.",
      AMOUNT_UNKNOWN_UNIT: () => "unité inconnue ; utilisez BTC, mBTC ou sat.",
    },
  },
  gateway,
  registration,
  stanza,
  vcard,
};
