/**
 * Sentence and block boundaries of the original text: which sentences to embed, and what `strip` removes
 * around a rule hit (the whole sentence, or the whole fake-markup block / HTML comment / hidden element).
 */

export interface Range {
  start: number;
  end: number;
}

/** Sentence ranges: split after `.`/`!`/`?` before whitespace, at line breaks and at escaped `\n`. */
export function sentences(raw: string): Range[] {
  const out: Range[] = [];
  const boundary = /[.!?]+["')\]]*(?=\s|$)|\r?\n|\\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  const push = (s: number, e: number) => {
    let a = s;
    let b = e;
    while (a < b && /\s/.test(raw[a]!)) a++;
    while (b > a && /\s/.test(raw[b - 1]!)) b--;
    if (b > a) out.push({ start: a, end: b });
  };
  while ((m = boundary.exec(raw))) {
    const isBreak = m[0] === "\n" || m[0] === "\r\n" || m[0] === "\\n";
    const end = isBreak ? m.index : m.index + m[0].length;
    push(start, end);
    start = m.index + m[0].length;
  }
  push(start, raw.length);
  return out;
}

const BLOCKS: RegExp[] = [
  /<(information|instructions?|system|sys|system_prompt|important|admin|prompt|secret|context|untrusted|developer|hidden_instructions?)\b[^>]{0,100}>[\s\S]{0,6000}?<\/\1\s*>/gi,
  /<!--[\s\S]{0,6000}?-->/g,
  /<([a-z][a-z0-9]{0,10})\b[^>]{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|\shidden(?=[\s>/])|aria-hidden\s*=\s*["']true)[^>]{0,300}>[\s\S]{0,6000}?<\/\1\s*>/gi,
  /\[INST\][\s\S]{0,6000}?\[\/INST\]/gi,
];

/** Markup blocks that are removed whole when they hold a hit. */
export function blocks(raw: string): Range[] {
  const out: Range[] = [];
  for (const re of BLOCKS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(raw))) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Index of the range containing `pos` in sorted, disjoint `ranges`, or of the first range after it. */
export function rangeAt(ranges: Range[], pos: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted union of ranges. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * What to remove for a set of hit spans: each span grows to its enclosing markup block when it is inside one,
 * otherwise to the sentences it touches.
 */
export function removalRanges(raw: string, spans: Range[]): Range[] {
  if (spans.length === 0) return [];
  const sents = sentences(raw);
  const blks = blocks(raw);
  const out: Range[] = [];
  for (const span of spans) {
    const block = blks.find((b) => b.start <= span.start && span.end <= b.end);
    if (block) {
      out.push(block);
      continue;
    }
    const i = rangeAt(sents, span.start);
    const j = rangeAt(sents, Math.max(span.start, span.end - 1));
    const start = Math.min(span.start, sents[i]?.start ?? span.start);
    const end = Math.max(span.end, sents[Math.min(j, sents.length - 1)]?.end ?? span.end);
    out.push({ start, end });
  }
  return mergeRanges(out);
}
