/**
 * Reversible redaction. A `PiiVault` belongs to one scope (a conversation thread): it replaces each detected value
 * with a placeholder such as `<EMAIL_ADDRESS_1>` before text reaches the model provider, traces or logs, and puts
 * the real values back (`restore`) in what the model sends to tools, so tools act on real data for an authorized
 * user. The same value always gets the same placeholder in one vault, so the model can still tell that two mentions
 * are the same person or card.
 *
 * The vault is the only place raw values live: `redact` returns placeholders and their positions, never values.
 * It serializes with `toJSON()` / `PiiVault.fromJSON()` so it can sit in graph state or in the LangGraph store
 * (`loadVault` / `saveVault`, namespace ["pii_vault"], key = thread id); both hold the raw values, so they need
 * the same protection as the checkpoints of the thread.
 */
import { detectPii, type DetectOptions } from "./detect.js";
import { isPiiType, PII_TYPES, type PiiSpan, type PiiType } from "./types.js";

/** One replacement in a redacted text (positions in the redacted text). */
export interface RedactionToken {
  placeholder: string;
  type: PiiType;
  start: number;
  end: number;
}

export interface RedactionResult {
  text: string;
  tokens: RedactionToken[];
}

export interface PiiVaultJSON {
  version: 1;
  scope: string;
  entries: { placeholder: string; type: PiiType; value: string }[];
}

export interface PiiVaultOptions {
  /** The thread (or other scope) the vault belongs to. @default "default" */
  scope?: string;
  /** Types to redact (default: all). */
  types?: readonly PiiType[];
  /** Spans below this score are left alone. @default 0 */
  minScore?: number;
  /** Detector to use (default: `detectPii`). */
  detect?: (text: string, options: DetectOptions) => PiiSpan[];
}

const PLACEHOLDER_RE = new RegExp(`<(${PII_TYPES.join("|")})_(\\d+)>`, "g");

export class PiiVault {
  readonly scope: string;
  private readonly byKey = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, { type: PiiType; value: string }>();
  private readonly counters = new Map<PiiType, number>();
  private readonly options: PiiVaultOptions;

  constructor(options: PiiVaultOptions = {}) {
    this.scope = options.scope ?? "default";
    this.options = options;
  }

  /** Number of distinct values held. */
  get size(): number {
    return this.byPlaceholder.size;
  }

  /** The placeholder of a value, issued on first sight (same type and value -> same placeholder). */
  placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${value}`;
    let placeholder = this.byKey.get(key);
    if (!placeholder) {
      const n = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, n);
      placeholder = `<${type}_${n}>`;
      this.byKey.set(key, placeholder);
      this.byPlaceholder.set(placeholder, { type, value });
    }
    return placeholder;
  }

  /** Replaces every detected value in `text` with its placeholder. */
  redact(text: string): RedactionResult {
    const detect = this.options.detect ?? detectPii;
    const minScore = this.options.minScore ?? 0;
    const spans = detect(text, this.options.types ? { types: this.options.types } : {}).filter((s) => s.score >= minScore);
    let out = "";
    let at = 0;
    const tokens: RedactionToken[] = [];
    for (const s of spans) {
      if (s.start < at) continue;
      out += text.slice(at, s.start);
      const placeholder = this.placeholderFor(s.type, text.slice(s.start, s.end));
      tokens.push({ placeholder, type: s.type, start: out.length, end: out.length + placeholder.length });
      out += placeholder;
      at = s.end;
    }
    out += text.slice(at);
    return { text: out, tokens };
  }

  /** `redact` over every string of a JSON-like value (objects, arrays), keys left as they are. */
  redactDeep<T>(value: T): T {
    return mapStrings(value, (s) => this.redact(s).text);
  }

  /**
   * Puts the real values back: in a string, or deep in a JSON-like value (tool-call arguments). Placeholders this
   * vault did not issue are left as they are.
   */
  restore<T>(textOrJson: T): T {
    return mapStrings(textOrJson, (s) =>
      s.includes("<") ? s.replace(PLACEHOLDER_RE, (whole) => this.byPlaceholder.get(whole)?.value ?? whole) : s,
    );
  }

  toJSON(): PiiVaultJSON {
    return {
      version: 1,
      scope: this.scope,
      entries: [...this.byPlaceholder].map(([placeholder, { type, value }]) => ({ placeholder, type, value })),
    };
  }

  /** Rebuilds a vault from `toJSON()` output (throws TypeError on anything else). */
  static fromJSON(json: unknown, options: Omit<PiiVaultOptions, "scope"> = {}): PiiVault {
    const data = typeof json === "string" ? (JSON.parse(json) as unknown) : json;
    if (!data || typeof data !== "object") throw new TypeError("PiiVault.fromJSON: expected an object.");
    const { version, scope, entries } = data as Partial<PiiVaultJSON>;
    if (version !== 1 || typeof scope !== "string" || !Array.isArray(entries)) {
      throw new TypeError("PiiVault.fromJSON: expected { version: 1, scope, entries }.");
    }
    const vault = new PiiVault({ ...options, scope });
    for (const e of entries) {
      const m = /^<([A-Z_]+)_(\d+)>$/.exec(String(e?.placeholder));
      if (!m || !isPiiType(e.type) || m[1] !== e.type || typeof e.value !== "string") {
        throw new TypeError(`PiiVault.fromJSON: bad entry ${JSON.stringify(e?.placeholder)}.`);
      }
      vault.byKey.set(`${e.type}\u0000${e.value}`, e.placeholder);
      vault.byPlaceholder.set(e.placeholder, { type: e.type, value: e.value });
      vault.counters.set(e.type, Math.max(vault.counters.get(e.type) ?? 0, Number(m[2])));
    }
    return vault;
  }
}

/** Applies `fn` to every string in a JSON-like value; other values are returned as they are. */
function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === "string") return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}

/** The part of the LangGraph store API the vault needs (`BaseStore` fits). */
export interface VaultStore {
  get(namespace: string[], key: string): Promise<{ value: Record<string, unknown> } | null>;
  put(namespace: string[], key: string, value: Record<string, unknown>): Promise<void>;
}

export const VAULT_NAMESPACE = ["pii_vault"];

/** The thread's vault from the store, or a new empty one. */
export async function loadVault(store: VaultStore, threadId: string, options: Omit<PiiVaultOptions, "scope"> = {}): Promise<PiiVault> {
  const item = await store.get(VAULT_NAMESPACE, threadId);
  return item ? PiiVault.fromJSON(item.value, options) : new PiiVault({ ...options, scope: threadId });
}

export async function saveVault(store: VaultStore, vault: PiiVault): Promise<void> {
  await store.put(VAULT_NAMESPACE, vault.scope, vault.toJSON() as unknown as Record<string, unknown>);
}
