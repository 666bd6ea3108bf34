/**
 * `history` as an ad-hoc command, paged with XEP-0050's `next` and `prev`
 * (§3.4): the page number lives in the session, the page is the chat's.
 */
import { completed, type Flow, type Run } from "./flow.js";
import { dataForm } from "./forms.js";
import { commandError, type Stage } from "./protocol.js";

async function page(run: Run, n: number): Promise<{ stage: Stage; more: boolean }> {
  const shown = await run.command("history", [String(n)]);
  const more = shown.more === true;
  if (n === 1 && !more) return { stage: completed(shown.text), more };
  const actions = [
    ...(more ? (["next"] as const) : []),
    ...(n > 1 ? (["prev"] as const) : []),
    "complete" as const,
  ];
  return {
    more,
    stage: {
      status: "executing",
      actions,
      form: dataForm({ title: run.t.adhoc.names.history, instructions: shown.text }),
    },
  };
}

export const historyFlow: Flow = {
  async start(run) {
    try {
      const first = await page(run, 1);
      return { stage: first.stage, state: { page: 1, more: first.more } };
    } catch (error) {
      return { stage: completed(await run.refusal(error), "error") };
    }
  },

  async next(run, step) {
    const at = typeof step.state.page === "number" ? step.state.page : 1;
    const more = step.state.more !== false;
    const action = step.action === "execute" ? (more ? "next" : "complete") : step.action;
    if (action === "complete" || action === "cancel") {
      await step.take({ page: at }, true);
      return action === "cancel" ? { status: "canceled" } : completed(run.t.adhoc.done);
    }
    const to = action === "next" ? at + 1 : at - 1;
    if ((action === "next" && !more) || to < 1) {
      throw commandError("bad-request", "bad-action", run.t.adhoc.badAction(action), run.t.lang);
    }
    const shown = await page(run, to);
    await step.take({ page: to, more: shown.more });
    return shown.stage;
  },
};
