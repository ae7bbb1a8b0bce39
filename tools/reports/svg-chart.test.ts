import { describe, expect, it } from "vitest";
import { type ChartSpec, escapeXml, niceStep, renderChartSvg, yTicks } from "./svg-chart.js";
import { parseXml } from "./xml-check.js";

const days = ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"];
const series = (label: string, ys: number[], xs = days) => ({ label, points: ys.map((y, i) => ({ x: xs[i]!, y })) });

const bars = (svg: string) => parseXml(svg).elements.filter((e) => e.name === "rect");
const named = (svg: string, name: string) => parseXml(svg).elements.filter((e) => e.name === name);

describe("renderChartSvg", () => {
  it.each<[string, ChartSpec, number]>([
    ["one series", { title: "Incidents per day", kind: "bar", series: [series("incidents", [1, 0, 3, 2, 5])] }, 5],
    ["three grouped series", { title: "By severity", kind: "bar", series: [series("sev1", [0, 1, 0, 0]), series("sev2", [2, 1, 0, 3]), series("sev3", [1, 1, 1, 1])] }, 12],
    ["series over different x values", { title: "Mixed", kind: "bar", series: [series("a", [1, 2], ["mon", "tue"]), series("b", [3], ["wed"])] }, 3],
    ["a single zero point", { title: "Zero", kind: "bar", series: [series("z", [0], ["only"])] }, 1],
    ["negative values", { title: "Delta", kind: "bar", series: [series("delta", [-3, 4, -1.5])] }, 3],
    ["many categories", { title: "Hourly", kind: "bar", series: [series("req", Array.from({ length: 60 }, (_, i) => i * 7), Array.from({ length: 60 }, (_, i) => `h${i}`))] }, 60],
  ])("bar chart with %s is well-formed XML with one <rect> per point", (_name, spec, expected) => {
    const svg = renderChartSvg(spec);
    const { root } = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(bars(svg)).toHaveLength(expected);
    expect(bars(svg).every((r) => r.attrs.class === "bar" && Number(r.attrs.height) >= 0 && Number(r.attrs.width) > 0)).toBe(true);
  });

  it("draws bar heights proportional to values, from the zero line", () => {
    const svg = renderChartSvg({ title: "P", kind: "bar", series: [series("s", [2, 4, 8], ["a", "b", "c"])] });
    const h = bars(svg).map((r) => Number(r.attrs.height));
    expect(h[1]! / h[0]!).toBeCloseTo(2, 1);
    expect(h[2]! / h[0]!).toBeCloseTo(4, 1);
    const bottoms = bars(svg).map((r) => Number(r.attrs.y) + Number(r.attrs.height));
    expect(new Set(bottoms.map((b) => b.toFixed(1))).size).toBe(1);
  });

  it("puts negative bars below the zero line", () => {
    const svg = renderChartSvg({ title: "Neg", kind: "bar", series: [series("s", [-2, 2], ["a", "b"])] });
    const [neg, pos] = bars(svg);
    expect(Number(neg!.attrs.y)).toBeCloseTo(Number(pos!.attrs.y) + Number(pos!.attrs.height), 1);
  });

  it.each<[string, ChartSpec, number, number]>([
    ["one series", { title: "Orders", kind: "line", series: [series("orders", [10, 12, 9, 14, 11])] }, 1, 5],
    ["two series", { title: "Orders vs shipments", kind: "line", series: [series("orders", [10, 12, 9]), series("shipped", [8, 11, 10])] }, 2, 6],
  ])("line chart with %s has one polyline per series, one marker per point and no rects", (_name, spec, lines, points) => {
    const svg = renderChartSvg(spec);
    expect(named(svg, "polyline")).toHaveLength(lines);
    expect(named(svg, "circle")).toHaveLength(points);
    expect(bars(svg)).toHaveLength(0);
  });

  it("has a title, axes, y ticks including zero, x labels and a legend entry per series", () => {
    const spec: ChartSpec = { title: "Weekly", kind: "bar", series: [series("a", [1, 7, 3]), series("b", [2, 2, 2])], y_label: "count", x_label: "day" };
    const { elements } = parseXml(renderChartSvg(spec));
    const texts = (cls: string) => elements.filter((e) => e.attrs.class === cls);
    expect(elements.find((e) => e.name === "title")?.text).toBe("Weekly");
    expect(texts("title")[0]?.text).toBe("Weekly");
    const g = (cls: string) => elements.find((e) => e.name === "g" && e.attrs.class === cls)!;
    const yLabels = g("y-axis").children.filter((c) => c.name === "text").map((t) => t.text);
    expect(yLabels).toContain("0");
    expect(Math.max(...yLabels.map(Number))).toBeGreaterThanOrEqual(7);
    expect(g("x-axis").children.filter((c) => c.name === "text").map((t) => t.text)).toEqual(days.slice(0, 3));
    expect(g("legend").children.filter((c) => c.name === "text").map((t) => t.text)).toEqual(["a", "b"]);
    expect(g("axes").children.filter((c) => c.name === "line")).toHaveLength(2);
    expect(texts("y-label")[0]?.text).toBe("count");
    expect(texts("x-label")[0]?.text).toBe("day");
  });

  it("escapes markup in the title, labels and x values", () => {
    const nasty = `<script>alert("x")</script> & 'quotes'`;
    const svg = renderChartSvg({ title: nasty, kind: "bar", series: [{ label: `A&B <i>`, points: [{ x: `<x>&"`, y: 1 }] }], y_label: "a<b" });
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<i>");
    const { elements } = parseXml(svg);
    expect(elements.some((e) => e.name === "script" || e.name === "i" || e.name === "x")).toBe(false);
    expect(elements.find((e) => e.name === "title")?.text).toBe(nasty);
    const legend = elements.find((e) => e.attrs.class === "legend")!;
    expect(legend.children.find((c) => c.name === "text")?.text).toBe("A&B <i>");
    const xLabels = elements.find((e) => e.attrs.class === "x-axis")!.children.filter((c) => c.name === "text");
    expect(xLabels[0]?.text).toBe(`<x>&"`);
  });

  it("drops control characters XML cannot carry", () => {
    const svg = renderChartSvg({ title: "bell\u0007 and nul\u0000", kind: "bar", series: [series("s", [1], ["a"])] });
    expect(parseXml(svg).elements.find((e) => e.name === "title")?.text).toBe("bell and nul");
  });

  it("is deterministic", () => {
    const spec: ChartSpec = { title: "Same", kind: "line", series: [series("s", [1, 2, 3])] };
    expect(renderChartSvg(spec)).toBe(renderChartSvg(structuredClone(spec)));
  });

  it.each<[string, ChartSpec, RegExp]>([
    ["no series", { title: "t", kind: "bar", series: [] }, /series/],
    ["an empty series", { title: "t", kind: "bar", series: [{ label: "s", points: [] }] }, /series\.0\.points/],
    ["a NaN value", { title: "t", kind: "bar", series: [{ label: "s", points: [{ x: "a", y: Number.NaN }] }] }, /series\.0\.points\.0\.y/],
    ["an infinite value", { title: "t", kind: "line", series: [{ label: "s", points: [{ x: "a", y: Infinity }] }] }, /finite/],
    ["a duplicate x in one series", { title: "t", kind: "bar", series: [{ label: "s", points: [{ x: "a", y: 1 }, { x: "a", y: 2 }] }] }, /duplicate/],
  ])("rejects %s", (_name, spec, message) => {
    expect(() => renderChartSvg(spec)).toThrow(message);
  });
});

describe("axis helpers", () => {
  it.each([
    [10, 2],
    [7, 1],
    [100, 20],
    [0.5, 0.1],
    [3000, 500],
  ])("niceStep(%d) = %d", (range, step) => {
    expect(niceStep(range)).toBeCloseTo(step, 10);
  });

  it.each([
    [[1, 7, 3], 0, 7],
    [[0, 0], 0, 1],
    [[-3, 4], -3, 4],
    [[0.12, 0.3], 0, 0.3],
  ])("yTicks(%j) spans %d..%d and includes zero", (values, min, max) => {
    const t = yTicks(values);
    expect(t.min).toBeCloseTo(min, 10);
    expect(t.max).toBeCloseTo(max, 10);
    expect(t.ticks).toContain(0);
    expect(t.ticks[0]).toBeCloseTo(t.min, 10);
    expect(t.ticks[t.ticks.length - 1]).toBeCloseTo(t.max, 10);
  });

  it("escapeXml escapes the five special characters", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });
});
