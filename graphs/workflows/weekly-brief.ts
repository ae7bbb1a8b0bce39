/**
 * The weekly operations brief: a fixed workflow, because nothing in it needs judgement until the prose.
 * Incident, finance and shipping figures are collected in parallel (three branches from START), the
 * graph-generator tool draws the daily chart to an SVG file, and the model is called once, only to write the
 * summary of figures it is given.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { companyDb } from "../../src/db/index.js";
import { chatModel, tierFor } from "../../src/models/provider.js";
import { textOf } from "../../src/models/offline/planner.js";
import { parseToolResult } from "../../src/toolkit/tool-result.js";
import { incidentFigures, shippingFigures, type IncidentFigures, type ShippingFigures } from "../../tools/reports/figures.js";
import { financeFigures, type FinanceFigures } from "../../tools/finance/index.js";
import { reportTools } from "../../tools/reports/index.js";

export const WeeklyBriefState = Annotation.Root({
  /** Window start and end (ISO 8601); default: the 7 days before the dataset's reference time. */
  from: Annotation<string>(),
  to: Annotation<string>(),
  incidents: Annotation<IncidentFigures>(),
  finance: Annotation<FinanceFigures>(),
  shipping: Annotation<ShippingFigures>(),
  chartPath: Annotation<string>(),
  summary: Annotation<string>(),
});
type BriefState = typeof WeeklyBriefState.State;

const DAY_MS = 86_400_000;

function window(state: BriefState) {
  const to = state.to ?? companyDb().referenceNow.toISOString();
  const from = state.from ?? new Date(new Date(to).getTime() - 7 * DAY_MS).toISOString();
  return { from, to };
}

async function drawChart(state: BriefState) {
  const chartTool = reportTools.find((t) => t.name === "render_chart_svg");
  if (!chartTool) throw new Error("The render_chart_svg tool is missing from tools/reports.");
  const result = parseToolResult(
    await chartTool.invoke({
      title: `Operations, ${state.from.slice(0, 10)} to ${state.to.slice(0, 10)}`,
      kind: "bar",
      series: [
        { label: "Incidents started", points: state.incidents.by_day.map((d) => ({ x: d.date.slice(5), y: d.started })) },
        { label: "Orders shipped", points: state.shipping.by_day.map((d) => ({ x: d.date.slice(5), y: d.shipped })) },
      ],
    }),
  );
  if (!result.ok) throw new Error(`The chart could not be drawn: ${result.error.message}`);
  return { chartPath: String((result.data as { path: string }).path) };
}

async function writeSummary(state: BriefState) {
  const figures = {
    incidents: { started: state.incidents.started, resolved: state.incidents.resolved, mttr_hours: state.incidents.mttr_hours, open_at_end: state.incidents.open_at_end, by_severity: state.incidents.by_severity },
    finance: { revenue: state.finance.revenue, refunds: state.finance.refunds, net_revenue: state.finance.net_revenue, failed_payments: state.finance.failed_payment_count, overdue_invoices: state.finance.overdue_invoice_count },
    shipping: { orders: state.shipping.orders.created, shipped: state.shipping.shipments.shipped, on_time_rate: state.shipping.on_time, exceptions: state.shipping.exceptions },
  };
  const model = chatModel(tierFor("weekly_brief", "fast"));
  const reply = await model.invoke(
    [
      new SystemMessage("Write the weekly operations brief: 3 to 5 plain sentences covering incidents, finance and shipping. Use only the figures given; do not add numbers."),
      new HumanMessage(`Figures for ${state.from.slice(0, 10)} to ${state.to.slice(0, 10)}:\n${JSON.stringify(figures)}`),
    ],
    { runName: "weekly_brief:summary" },
  );
  return { summary: textOf(reply) };
}

export const weeklyBrief = new StateGraph(WeeklyBriefState)
  .addNode("window", window)
  .addNode("incident_figures", (s: BriefState) => ({ incidents: incidentFigures(companyDb(), s.from, s.to) }))
  .addNode("finance_figures", (s: BriefState) => ({ finance: financeFigures(companyDb(), s.from, s.to) }))
  .addNode("shipping_figures", (s: BriefState) => ({ shipping: shippingFigures(companyDb(), s.from, s.to) }))
  .addNode("draw_chart", drawChart)
  .addNode("write_summary", writeSummary)
  .addEdge(START, "window")
  .addEdge("window", "incident_figures")
  .addEdge("window", "finance_figures")
  .addEdge("window", "shipping_figures")
  .addEdge(["incident_figures", "finance_figures", "shipping_figures"], "draw_chart")
  .addEdge("draw_chart", "write_summary")
  .addEdge("write_summary", END)
  .compile({ name: "weekly_brief" });

/** For LangGraph Studio. */
export const graph = weeklyBrief;
