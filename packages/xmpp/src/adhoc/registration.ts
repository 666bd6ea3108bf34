/**
 * Registering and unregistering as ad-hoc commands, for clients that run
 * commands but show no XEP-0077 form (Cheogram): node
 * `jabber:iq:register` is a one-field form, then done; `unregister` asks
 * once. The rules and refusals are registration.ts's, as for the form and
 * the chat.
 */
import { StanzaError } from "../errors.js";
import { type RegistrationTexts, registrationTexts } from "../register-texts.js";
import { type RegistrationDeps, registerJid, unregisterJid } from "../registration.js";
import { completed, type Flow, type Run } from "./flow.js";
import { dataForm } from "./forms.js";
import type { Stage } from "./protocol.js";

const textsOf = (deps: RegistrationDeps, run: Run) =>
  registrationTexts({
    stanzaLang: run.lang,
    userLang: run.user?.language,
    configured: deps.languages,
  });

function usernameForm(run: Run, t: RegistrationTexts, error?: string, written?: string): Stage {
  return {
    status: "executing",
    actions: ["complete"],
    ...(error ? { note: { type: "error", text: error } } : {}),
    form: dataForm({
      title: t.title,
      instructions: t.instructions,
      fields: [
        {
          var: "username",
          type: "text-single",
          label: t.usernameLabel,
          required: true,
          value: written ?? run.user?.username,
        },
      ],
    }),
  };
}

export function registerFlow(deps: RegistrationDeps): Flow {
  return {
    start: async (run) => ({ stage: usernameForm(run, textsOf(deps, run)), state: {} }),
    async next(run, step) {
      const t = textsOf(deps, run);
      if (step.action === "cancel") {
        await step.take({}, true);
        return { status: "canceled" };
      }
      const username = step.values.get("username") ?? "";
      if (username === "") return usernameForm(run, t, t.missing);
      let done: Awaited<ReturnType<typeof registerJid>>;
      try {
        done = await registerJid(deps, t, {
          bare: run.bare,
          username,
          ...(run.lang ? { stream: run.lang } : {}),
          known: run.user !== undefined,
        });
      } catch (error) {
        if (error instanceof StanzaError) return usernameForm(run, t, error.text, username);
        throw error;
      }
      await step.take({}, true);
      const text =
        done.kind === "renamed"
          ? t.renamed(username)
          : t.registered(username, done.addresses[0] ?? "");
      return { ...completed(text), after: done.after };
    },
  };
}

export function unregisterFlow(deps: RegistrationDeps): Flow {
  return {
    async start(run) {
      const form = dataForm({
        title: run.t.adhoc.names.unregister,
        instructions: run.t.adhoc.unregisterInstructions,
      });
      return { stage: { status: "executing", actions: ["complete"], form }, state: {} };
    },
    async next(run, step) {
      await step.take({}, true);
      if (step.action === "cancel") return { status: "canceled" };
      const t = textsOf(deps, run);
      try {
        const after = await unregisterJid(deps, t, run.bare, run.user ?? null);
        return { ...completed(t.goodbye), after };
      } catch (error) {
        if (error instanceof StanzaError) return completed(error.text, "error");
        throw error;
      }
    },
  };
}
