/**
 * A small, dependency-free SVG chart renderer: bar (grouped when several series) and line charts with axes,
 * "nice" y ticks, category labels on x, a title, axis labels and a legend. Pure: the same spec always gives
 * the same bytes, so a file name can be derived from a hash of the output.
 *
 * Every bar is one `<rect class="bar">` and nothing else in the chart is a `<rect>`, so callers (and tests)
 * can count bars. All text is XML-escaped.
 */

export interface ChartPoint {
  /** Category on the x axis. @example "2026-11-09" */
  x: string;
  y: number;
}

export interface ChartSeries {
  /** Legend label. @example "Incidents" */
  label: string;
  points: ChartPoint[];
}

export interface ChartSpec {
  title: string;
  kind: "bar" | "line";
  series: ChartSeries[];
  /** Optional y axis label. @example "count" */
  y_label?: string | undefined;
  /** Optional x axis label. @example "day" */
  x_label?: string | undefined;
}

export interface ChartSize {
  width?: number;
  height?: number;
}

const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
const MAX_SERIES = 8;
const MAX_CATEGORIES = 100;

/** Escapes text for XML content and attribute values; drops characters XML 1.0 does not allow. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/** A number with at most 2 decimals and no float noise, as SVG coordinates are written. */
function n(value: number): string {
  const r = Math.round(value * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

/** Step of "nice" ticks (1, 2, 5 x 10^k) covering `range` in about `count` steps. */
export function niceStep(range: number, count = 5): number {
  const raw = range / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / magnitude;
  const nice = ratio >= 7.5 ? 10 : ratio >= 3.5 ? 5 : ratio >= 1.5 ? 2 : 1;
  return nice * magnitude;
}

/** Y axis domain and tick values: always includes zero, extends to whole steps. */
export function yTicks(values: number[]): { min: number; max: number; ticks: number[]; step: number } {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (lo === hi) hi = lo + 1;
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0, v = lo; v <= hi + step / 2 && i < 50; i++, v = lo + i * step) ticks.push(Number(v.toPrecision(12)));
  return { min: lo, max: hi, ticks, step };
}

function formatTick(value: number, step: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6 && step >= 1e5) return `${Number((value / 1e6).toPrecision(6))}M`;
  if (abs >= 1e4 && step >= 1e3) return `${Number((value / 1e3).toPrecision(6))}k`;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return Number(value.toFixed(decimals)).toString();
}

function formatValue(value: number): string {
  return Number(value.toPrecision(10)).toString();
}

/** Checks a spec; throws an Error naming the first problem. */
export function validateChartSpec(spec: ChartSpec): void {
  if (!spec.series.length) throw new Error("series: at least one series is required");
  if (spec.series.length > MAX_SERIES) throw new Error(`series: at most ${MAX_SERIES} series are allowed`);
  const categories = new Set<string>();
  spec.series.forEach((s, si) => {
    if (!s.points.length) throw new Error(`series.${si}.points: a series needs at least one point`);
    const seen = new Set<string>();
    s.points.forEach((p, pi) => {
      if (!Number.isFinite(p.y)) throw new Error(`series.${si}.points.${pi}.y: must be a finite number`);
      if (seen.has(p.x)) throw new Error(`series.${si}.points.${pi}.x: duplicate x value "${p.x}" in one series`);
      seen.add(p.x);
      categories.add(p.x);
    });
  });
  if (categories.size > MAX_CATEGORIES) throw new Error(`series: at most ${MAX_CATEGORIES} distinct x values are allowed`);
}

/** Renders `spec` as a self-contained SVG document. */
export function renderChartSvg(spec: ChartSpec, size: ChartSize = {}): string {
  validateChartSpec(spec);
  const width = size.width ?? 720;
  const height = size.height ?? 420;
  const categories = [...new Set(spec.series.flatMap((s) => s.points.map((p) => p.x)))];
  const values = spec.series.flatMap((s) => s.points.map((p) => p.y));
  const { min, max, ticks, step } = yTicks(values);

  const maxLabel = Math.max(...categories.map((c) => Math.min([...c].length, 16)));
  const labelEvery = Math.ceil(categories.length / 16);
  const shown = Math.ceil(categories.length / labelEvery);
  const marginLeft = spec.y_label ? 76 : 60;
  const plotWidthGuess = width - marginLeft - 24;
  const rotate = shown * maxLabel * 6.5 > plotWidthGuess;
  const xLabelSpace = rotate ? Math.min(110, 18 + maxLabel * 5) : 24;
  const legendRows = Math.ceil(spec.series.length / 4);
  const top = 44 + legendRows * 20;
  const left = marginLeft;
  const right = width - 24;
  const bottom = height - (xLabelSpace + (spec.x_label ? 22 : 8));
  const plotW = right - left;
  const plotH = bottom - top;
  const band = plotW / categories.length;
  const yOf = (v: number) => bottom - ((v - min) / (max - min)) * plotH;
  const zeroY = yOf(0);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" font-family="Helvetica, Arial, sans-serif" style="background:#ffffff">`,
  );
  out.push(`<title id="chart-title">${escapeXml(spec.title)}</title>`);
  out.push(`<text class="title" x="${n(width / 2)}" y="26" text-anchor="middle" font-size="16" font-weight="bold" fill="#111827">${escapeXml(truncate(spec.title, 90))}</text>`);

  // Legend: a short coloured line per series (no <rect>, so rects stay one per bar).
  out.push(`<g class="legend" font-size="12" fill="#374151">`);
  spec.series.forEach((s, i) => {
    const col = i % 4;
    const row = Math.floor(i / 4);
    const x = left + col * (plotW / 4);
    const y = 48 + row * 20;
    const color = PALETTE[i % PALETTE.length]!;
    out.push(
      `<line x1="${n(x)}" y1="${n(y)}" x2="${n(x + 16)}" y2="${n(y)}" stroke="${color}" stroke-width="${spec.kind === "bar" ? 8 : 3}"/>` +
        `<text x="${n(x + 22)}" y="${n(y + 4)}">${escapeXml(truncate(s.label, 28))}</text>`,
    );
  });
  out.push(`</g>`);

  // Grid and y ticks.
  out.push(`<g class="y-axis" font-size="11" fill="#4b5563">`);
  for (const t of ticks) {
    const y = yOf(t);
    out.push(
      `<line x1="${n(left)}" y1="${n(y)}" x2="${n(right)}" y2="${n(y)}" stroke="#e5e7eb" stroke-width="1"/>` +
        `<text x="${n(left - 8)}" y="${n(y + 4)}" text-anchor="end">${escapeXml(formatTick(t, step))}</text>`,
    );
  }
  out.push(`</g>`);
  if (spec.y_label) {
    out.push(
      `<text class="y-label" x="16" y="${n(top + plotH / 2)}" transform="rotate(-90 16 ${n(top + plotH / 2)})" text-anchor="middle" font-size="12" fill="#374151">${escapeXml(truncate(spec.y_label, 40))}</text>`,
    );
  }

  // Series.
  out.push(`<g class="series">`);
  const groupWidth = band * 0.8;
  const barWidth = groupWidth / spec.series.length;
  spec.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length]!;
    if (spec.kind === "bar") {
      for (const p of s.points) {
        const ci = categories.indexOf(p.x);
        const x = left + ci * band + (band - groupWidth) / 2 + si * barWidth;
        const yTop = Math.min(yOf(p.y), zeroY);
        const h = Math.abs(yOf(p.y) - zeroY);
        out.push(
          `<rect class="bar" x="${n(x)}" y="${n(yTop)}" width="${n(Math.max(barWidth - 1, 1))}" height="${n(h)}" fill="${color}">` +
            `<title>${escapeXml(`${s.label} · ${p.x}: ${formatValue(p.y)}`)}</title></rect>`,
        );
      }
    } else {
      const pts = [...s.points]
        .sort((a, b) => categories.indexOf(a.x) - categories.indexOf(b.x))
        .map((p) => ({ ...p, cx: left + categories.indexOf(p.x) * band + band / 2, cy: yOf(p.y) }));
      out.push(`<polyline class="line" fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${n(p.cx)},${n(p.cy)}`).join(" ")}"/>`);
      for (const p of pts) {
        out.push(
          `<circle class="point" cx="${n(p.cx)}" cy="${n(p.cy)}" r="3" fill="${color}">` +
            `<title>${escapeXml(`${s.label} · ${p.x}: ${formatValue(p.y)}`)}</title></circle>`,
        );
      }
    }
  });
  out.push(`</g>`);

  // Axes and x labels.
  out.push(`<g class="axes" stroke="#111827" stroke-width="1">`);
  out.push(`<line x1="${n(left)}" y1="${n(top)}" x2="${n(left)}" y2="${n(bottom)}"/>`);
  out.push(`<line x1="${n(left)}" y1="${n(zeroY)}" x2="${n(right)}" y2="${n(zeroY)}"/>`);
  out.push(`</g>`);
  out.push(`<g class="x-axis" font-size="11" fill="#4b5563">`);
  categories.forEach((c, ci) => {
    const cx = left + ci * band + band / 2;
    out.push(`<line x1="${n(cx)}" y1="${n(bottom)}" x2="${n(cx)}" y2="${n(bottom + 4)}" stroke="#111827"/>`);
    if (ci % labelEvery !== 0) return;
    const label = escapeXml(truncate(c, 16));
    const y = bottom + 16;
    out.push(
      rotate
        ? `<text x="${n(cx)}" y="${n(y)}" text-anchor="end" transform="rotate(-40 ${n(cx)} ${n(y)})">${label}</text>`
        : `<text x="${n(cx)}" y="${n(y)}" text-anchor="middle">${label}</text>`,
    );
  });
  out.push(`</g>`);
  if (spec.x_label) {
    out.push(`<text class="x-label" x="${n(left + plotW / 2)}" y="${n(height - 8)}" text-anchor="middle" font-size="12" fill="#374151">${escapeXml(truncate(spec.x_label, 60))}</text>`);
  }
  out.push(`</svg>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.join("\n")}\n`;
}
