/** Report tools: weekly incident and shipping figures, and the SVG chart generator. */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { makeDirs } from "../../src/db/fs.js";
import { dataDir } from "../../src/db/index.js";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import { auditedWrite } from "../shared/db-helpers.js";
import { dateField, resolveDateWindow } from "./dates.js";
import { incidentFigures, shippingFigures } from "./figures.js";
import { type ChartSpec, renderChartSvg, validateChartSpec } from "./svg-chart.js";

const windowSchema = {
  from_date: dateField("First day (UTC) of the report window, YYYY-MM-DD, e.g. 2026-11-09 (default: 6 days before to_date)").optional(),
  to_date: dateField("Last day (UTC) of the report window, included, YYYY-MM-DD (default: today)").optional(),
};

export const getIncidentFigures = defineTool({
  name: "get_incident_figures",
  description:
    "Computes the incident figures of a report window (default the last 7 days): incidents started by severity, status and service, " +
    "incidents resolved and MTTR, incidents open at the end, a per-day series and the incident ids. Use it for weekly operations reports.",
  schema: z.object(windowSchema),
  metadata: {
    domain: "reports",
    sideEffect: "read",
    idempotent: true,
    scopes: ["reports:read"],
    examples: ["Incident figures for last week", "How many incidents and what MTTR between 2026-11-09 and 2026-11-15?"],
    retrievalExamples: [
      "Weekly incident numbers for the ops report",
      "How many incidents per day did we have last week?",
      "Incident counts by severity for the report window",
      "MTTR and open incidents for this week's operations report",
      "Incident figures from 2026-11-01 to 2026-11-07",
      "ops report incident section",
    ],
  },
  run: (args, ctx) => {
    const w = resolveDateWindow(ctx.now, args, 7, 92);
    return { from_date: w.from_date, to_date: w.to_date, ...incidentFigures(ctx.db, w.fromIso, w.toIso) };
  },
});

export const getShippingFigures = defineTool({
  name: "get_shipping_figures",
  description:
    "Computes the shipping figures of a report window (default the last 7 days): orders created (by status, revenue), shipments shipped, " +
    "on-time rate overall and per carrier, deliveries, exception shipment ids and a per-day series. Use it for weekly operations reports.",
  schema: z.object(windowSchema),
  metadata: {
    domain: "reports",
    sideEffect: "read",
    idempotent: true,
    scopes: ["reports:read"],
    examples: ["Shipping figures for last week", "What was our on-time delivery rate this week?", "Orders and shipments between 2026-11-09 and 2026-11-15"],
    retrievalExamples: [
      "How many orders were created and shipped last week?",
      "On-time rate per carrier for this week's report",
      "Shipping figures from 2026-11-01 to 2026-11-07",
      "Which shipments had exceptions this week?",
      "ops report shipping section",
    ],
  },
  run: (args, ctx) => {
    const w = resolveDateWindow(ctx.now, args, 7, 92);
    return { from_date: w.from_date, to_date: w.to_date, ...shippingFigures(ctx.db, w.fromIso, w.toIso) };
  },
});

/** File-name stem of a chart title. @example slugify("Incidents / day") === "incidents-day" */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "chart";
}

/** Writes `content` to `file` atomically: a temporary file in the same directory, then a rename. */
export function writeFileAtomic(file: string, content: string): void {
  makeDirs(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, content, { encoding: "utf8", flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

const chartSchema = z.object({
  title: z.string().trim().min(1).max(120).describe("Chart title, e.g. 'Incidents per day, week of 2026-11-09'"),
  kind: z.enum(["bar", "line"]).describe("bar for counts per category, line for a trend over time"),
  series: z
    .array(
      z.object({
        label: z.string().trim().min(1).max(60).describe("Legend label of the series, e.g. 'sev2'"),
        points: z
          .array(
            z.object({
              x: z.string().min(1).max(40).describe("Category or date on the x axis, e.g. '2026-11-09'"),
              y: z.number().describe("Value, e.g. 3"),
            }),
          )
          .min(1)
          .max(100)
          .describe("The points, in x order"),
      }),
    )
    .min(1)
    .max(8)
    .describe("One to eight series; bars of several series are grouped per x value"),
  y_label: z.string().trim().max(40).optional().describe("Optional y axis label, e.g. 'incidents'"),
  x_label: z.string().trim().max(40).optional().describe("Optional x axis label, e.g. 'day'"),
});

export const renderChartTool = defineTool({
  name: "render_chart_svg",
  description:
    "Draws a bar or line chart from series of {x, y} points as a self-contained SVG file and returns its path. " +
    "Use it to illustrate report figures (e.g. the per-day series of get_incident_figures); the same spec always gives the same file.",
  schema: chartSchema,
  metadata: {
    domain: "reports",
    sideEffect: "write",
    idempotent: true,
    scopes: ["reports:write"],
    examples: ["Chart incidents per day for last week", "Draw a line chart of orders per day", "Make a bar chart of on-time rate by carrier"],
    retrievalExamples: [
      "Plot the daily incident counts as a bar chart",
      "Make a line chart of revenue per month",
      "Visualise shipments per day as an SVG",
      "Create a chart from these numbers",
      "Draw a graph of on-time rate by day",
      "render a chart for the report",
    ],
  },
  run: (args, ctx) => {
    const spec: ChartSpec = args;
    try {
      validateChartSpec(spec);
    } catch (error) {
      const message = (error as Error).message;
      throw new ToolError("invalid_arguments", message, "Fix the named part of the chart spec and call the tool again.", message.split(":")[0]);
    }
    const svg = renderChartSvg(spec);
    const hash = createHash("sha256").update(svg).digest("hex").slice(0, 12);
    const file = path.join(dataDir(), "reports", `${slugify(spec.title)}-${hash}.svg`);
    if (!fs.existsSync(file)) writeFileAtomic(file, svg);
    // The file is the effect; the audit row records a summary of the spec rather than every point.
    return auditedWrite(ctx, { title: spec.title, kind: spec.kind, series: spec.series.length }, () => ({
      path: file,
      bytes: Buffer.byteLength(svg),
      kind: spec.kind,
      series: spec.series.length,
      points: spec.series.reduce((s, x) => s + x.points.length, 0),
    }));
  },
});
