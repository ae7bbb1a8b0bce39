/**
 * What must match exactly, besides meaning, for a cached answer to serve a new request: the numbers, the named
 * things (record ids, services, channels, emails, proper names, months and periods), the kinds of record asked
 * about, status qualifiers (paid / unpaid / open / closed ...) and the action verbs. Sentence embeddings alone
 * cannot decide it: "revenue in October" and "revenue in September" embed almost alike (see
 * ../shared/notes/platform.md), so the semantic cache compares this signature first and cosine second.
 *
 * Synonyms map to one class ("bill" and "invoice", "package" and "shipment", "past due" and "overdue"), so true
 * paraphrases keep their signature.
 */

export interface RequestSignature {
  /** Numbers, normalized ("$20.00" -> "20", "twice" -> "2"). */
  numbers: string[];
  /** Record ids, service names, channels, emails, proper names, months, periods. */
  entities: string[];
  /** Record kinds and status qualifiers the request is about. */
  subjects: string[];
  /** Action verb classes (a request with one is a write and is never served from the cache). */
  actions: string[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const NUMBER_WORDS: Record<string, string> = {
  one: "1", two: "2", twice: "2", double: "2", three: "3", thrice: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9", ten: "10", eleven: "11", twelve: "12",
};

/** Word (lower-case, a light plural strip) to class. */
const SUBJECTS: Record<string, string> = {
  order: "order", purchase: "order",
  shipment: "shipment", package: "shipment", parcel: "shipment", delivery: "shipment", deliverie: "shipment", tracking: "shipment",
  carrier: "carrier", courier: "carrier",
  invoice: "invoice", bill: "invoice",
  payment: "payment", charge: "payment", charged: "payment", billed: "payment", debited: "payment",
  refund: "refund", refunded: "refund",
  revenue: "revenue", sales: "revenue", income: "revenue",
  balance: "balance", owe: "balance status:unpaid", owes: "balance status:unpaid",
  ticket: "ticket", case: "ticket",
  credit: "credit", credits: "credit",
  plan: "plan", subscription: "plan", sla: "sla",
  incident: "incident", outage: "status:down",
  log: "log", logs: "log", metric: "metric", latency: "metric",
  runbook: "runbook", playbook: "runbook", policy: "policy", policies: "policy",
  paid: "status:paid", unpaid: "status:unpaid", outstanding: "status:unpaid",
  overdue: "status:overdue", late: "status:overdue", delayed: "status:overdue",
  open: "status:open", closed: "status:closed", resolved: "status:closed",
  failed: "status:failed", declined: "status:failed", down: "status:down", degraded: "status:down",
};

const ACTIONS: Record<string, string> = {
  refund: "refund", cancel: "cancel", void: "void", escalate: "escalate", page: "page", wake: "page",
  post: "post", publish: "post", send: "send", resend: "send", email: "send", forward: "send",
  reply: "reply", respond: "reply", write: "reply", update: "update", change: "update", set: "update", mark: "update",
  reroute: "update", create: "create", open: "create", declare: "create", file: "create", close: "close", resolve: "close",
  notify: "notify", tell: "notify", give: "credit", grant: "credit", issue: "credit",
};

/** Record kinds named by id prefixes. */
const ID_KINDS: Record<string, string> = { TCK: "ticket", ORD: "order", SHP: "shipment", INV: "invoice", PAY: "payment", INC: "incident", RFD: "refund", CRD: "credit" };

/** Multi-word phrases first, so "past due" is one qualifier and "last week" one period. */
const PHRASES: [RegExp, string][] = [
  [/\bpast[- ]due\b/g, " overdue "],
  [/\b(?:last|previous|past)\s+(week|month|quarter|year)\b/g, " period:last-$1 "],
  [/\b(?:this|current)\s+(week|month|quarter|year)\b/g, " period:this-$1 "],
  [/\b(?:the\s+)?(week|month|quarter|year)\s+to\s+date\b/g, " period:this-$1 "],
  [/\bytd\b/g, " period:this-year "],
  // "now" is what a present-tense question means anyway: not a period of its own.
  [/\b(today|yesterday|tomorrow|overnight)\b/g, " period:$1 "],
  [/\b(\d+)\s+(hour|day|week|month)s?\b/g, " $1 unit:$2 "],
];

/** Capitalized words that are not names when they start a question or are common words. */
const NOT_NAMES = new Set(["i", "i'm", "is", "are", "was", "were", "what", "which", "who", "why", "how", "when", "where", "can", "could", "would", "please", "show", "list", "give", "tell", "find", "the", "a", "an", "my", "our", "has", "have", "did", "do", "does", "any", "also", "then", "and", "sla", "api"]);

/** Action verbs count only at the head of a clause (imperative), not as nouns ("the refund on RFD-0001"). */
function actionsOf(text: string): string[] {
  const out = new Set<string>();
  for (const clause of text.toLowerCase().split(/[.;,?!]|\band\b|\bthen\b/)) {
    const words = clause.replace(/^\s*(?:please|can you|could you|would you|kindly|go ahead and|i want you to|i need you to)\s+/, "").trim().split(/\s+/);
    const head = words[0] ?? "";
    // "tell me", "give me", "show us": asking to be told, not an action.
    if (ACTIONS[head] && !/^(?:me|us)$/.test(words[1] ?? "")) out.add(ACTIONS[head]!);
  }
  return [...out];
}

export function requestSignature(request: string): RequestSignature {
  const entities = new Set<string>();
  const numbers = new Set<string>();
  const subjects = new Set<string>();
  let text = request;
  // Record ids (CUS-1042), emails, channels and hyphenated service names, kept whole and removed from the text.
  text = text.replace(/\b[A-Za-z]{2,4}-\d+\b/g, (m) => (entities.add(m.toUpperCase()), " "));
  text = text.replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, (m) => (entities.add(m.toLowerCase()), " "));
  text = text.replace(/#[\w-]+/g, (m) => (entities.add(m.toLowerCase()), " "));
  text = text.replace(/\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b/gi, (m) => (/^(?:on|in|of|up|at)-|-(?:time|date|call)$/i.test(m) ? m.replace(/-/g, " ") : (entities.add(m.toLowerCase()), " ")));
  // Proper names: capitalized words not at a sentence start (and months), before lower-casing.
  const words = text.split(/\s+/).filter(Boolean);
  words.forEach((word, i) => {
    const bare = word.replace(/[^A-Za-z']/g, "");
    if (!bare || !/^[A-Z]/.test(bare)) return;
    const atStart = i === 0 || /[.?!:]$/.test(words[i - 1] ?? "");
    const lower = bare.toLowerCase();
    if (MONTHS.includes(lower)) entities.add(`month:${MONTHS.indexOf(lower) + 1}`);
    else if (!atStart && !NOT_NAMES.has(lower) && !SUBJECTS[lower] && !SUBJECTS[lower.replace(/s$/, "")]) entities.add(`name:${lower}`);
  });
  let lower = ` ${text.toLowerCase()} `;
  for (const [pattern, replacement] of PHRASES) lower = lower.replace(pattern, replacement);
  for (const token of lower.match(/period:[a-z-]+|unit:[a-z]+/g) ?? []) entities.add(token);
  lower = lower.replace(/period:[a-z-]+|unit:[a-z]+/g, " ");
  for (const m of lower.match(/\d[\d,]*(?:\.\d+)?/g) ?? []) numbers.add(String(Number(m.replace(/,/g, ""))));
  for (const raw of lower.split(/[^a-z']+/)) {
    if (!raw) continue;
    if (NUMBER_WORDS[raw]) numbers.add(NUMBER_WORDS[raw]!);
    if (MONTHS.includes(raw)) entities.add(`month:${MONTHS.indexOf(raw) + 1}`);
    const subject = SUBJECTS[raw] ?? SUBJECTS[raw.replace(/s$/, "")];
    if (subject) for (const s of subject.split(" ")) subjects.add(s);
  }
  // A record id already says its kind: "TCK-5100" and "ticket TCK-5100" ask about the same thing.
  for (const id of entities) {
    const kind = ID_KINDS[id.split("-")[0]!];
    if (kind && /^[A-Z]{2,4}-\d+$/.test(id)) subjects.delete(kind);
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return { numbers: sorted(numbers), entities: sorted(entities), subjects: sorted(subjects), actions: actionsOf(request).sort() };
}

/** One string per signature: equal strings, equal signatures. */
export function signatureKey(signature: RequestSignature): string {
  return JSON.stringify([signature.numbers, signature.entities, signature.subjects, signature.actions]);
}

/** Which parts differ (for stats and explanations); empty when the signatures match. */
export function signatureDifference(a: RequestSignature, b: RequestSignature): string[] {
  const keys = ["numbers", "entities", "subjects", "actions"] as const;
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
