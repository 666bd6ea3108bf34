/**
 * `cancel` as an ad-hoc command at the gateway: a choice among the
 * requester's pending payments, then the chat's `cancel` of the one chosen.
 */
import { formatBtc, formatDate } from "../i18n/language.js";
import { completed, type Flow, type Run } from "./flow.js";
import { dataForm } from "./forms.js";
import type { Stage } from "./protocol.js";

async function choice(run: Run, error?: string): Promise<Stage | undefined> {
  const { t } = run;
  const orders = await run.pending();
  if (orders.length === 0) return undefined;
  return {
    status: "executing",
    actions: ["complete"],
    ...(error ? { note: { type: "error", text: error } } : {}),
    form: dataForm({
      title: t.adhoc.names.cancel,
      instructions: t.adhoc.chooseOrder,
      fields: [
        {
          var: "order",
          type: "list-single",
          label: t.adhoc.orderLabel,
          required: true,
          options: orders.map((o) => ({
            value: o.code,
            label: `${formatBtc(t, o.amount)} → ${o.recipient} (${formatDate(t, o.createdAt)})`,
          })),
        },
      ],
    }),
  };
}

export const cancelFlow: Flow = {
  async start(run) {
    const stage = await choice(run);
    return stage ? { stage, state: {} } : { stage: completed(run.t.noPending) };
  },

  async next(run, step) {
    if (step.action === "cancel") {
      await step.take({}, true);
      return { status: "canceled" };
    }
    const code = step.values.get("order") ?? "";
    if (code === "")
      return (await choice(run, run.t.adhoc.chooseOrder)) ?? completed(run.t.noPending);
    await step.take({ code }, true);
    try {
      return completed((await run.command("cancel", [code])).text);
    } catch (error) {
      return completed(await run.refusal(error, code), "error");
    }
  },
};
