import { describe, expect, it } from "vitest";
import { detectPii, loadVault, PiiVault, redactForLogs, redactValueForLogs, saveVault, type VaultStore } from "./index.js";

const TEXTS = [
  "Customer Marta Lindqvist (marta.lindqvist@fjordanalytics.example) paid with 4111 1111 1111 1111.",
  "Wire to GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, from 192.168.1.20 or 2001:db8::1.",
  "Call +1 415-555-0132 or ship to 77 Harbor Blvd, Seattle, WA 98104, US.",
  "CUS-1042 was charged $99.00 twice (PAY-31043) on 2026-11-01; no PII here.",
  "",
];

describe("PiiVault", () => {
  it.each(TEXTS)("redact then restore gives back %j", (text) => {
    const vault = new PiiVault({ scope: "thread-1" });
    const { text: redacted, tokens } = vault.redact(text);
    expect(vault.restore(redacted)).toBe(text);
    for (const t of tokens) expect(redacted.slice(t.start, t.end)).toBe(t.placeholder);
    for (const s of detectPii(text)) expect(redacted).not.toContain(s.value);
  });

  it("gives the same value the same placeholder, and different values different ones", () => {
    const vault = new PiiVault();
    const a = vault.redact("Mail marta.lindqvist@fjordanalytics.example and daniel@reyeshomegoods.example.");
    const b = vault.redact("Again: marta.lindqvist@fjordanalytics.example");
    expect(a.text).toBe("Mail <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>.");
    expect(b.text).toBe("Again: <EMAIL_ADDRESS_1>");
    expect(vault.size).toBe(2);
  });

  it("restores nested tool-call arguments and leaves other values alone", () => {
    const vault = new PiiVault({ scope: "t" });
    vault.redact("Marta Lindqvist, marta.lindqvist@fjordanalytics.example, 4111 1111 1111 1111");
    const args = {
      customer: { name: "<PERSON_1>", emails: ["<EMAIL_ADDRESS_1>", "x <EMAIL_ADDRESS_1> y"] },
      card: "<CREDIT_CARD_1>",
      unknown: "<PHONE_NUMBER_7>",
      amount_cents: 9900,
      flags: [true, null],
    };
    expect(vault.restore(args)).toEqual({
      customer: { name: "Marta Lindqvist", emails: ["marta.lindqvist@fjordanalytics.example", "x marta.lindqvist@fjordanalytics.example y"] },
      card: "4111 1111 1111 1111",
      unknown: "<PHONE_NUMBER_7>",
      amount_cents: 9900,
      flags: [true, null],
    });
    expect(args.card).toBe("<CREDIT_CARD_1>"); // not mutated
  });

  it("redactDeep redacts every string of a tool result", () => {
    const vault = new PiiVault();
    const result = { customer_id: "CUS-1042", name: "Marta Lindqvist", email: "marta.lindqvist@fjordanalytics.example", total: "$99.00" };
    const redacted = vault.redactDeep(result);
    expect(redacted).toEqual({ customer_id: "CUS-1042", name: "<PERSON_1>", email: "<EMAIL_ADDRESS_1>", total: "$99.00" });
    expect(vault.restore(redacted)).toEqual(result);
  });

  it("survives a JSON round trip and keeps numbering", () => {
    const vault = new PiiVault({ scope: "thread-9" });
    const first = vault.redact("SSN 123-45-6789 and 8.8.8.8").text;
    const copy = PiiVault.fromJSON(JSON.parse(JSON.stringify(vault)));
    expect(copy.scope).toBe("thread-9");
    expect(copy.toJSON()).toEqual(vault.toJSON());
    expect(copy.restore(first)).toBe("SSN 123-45-6789 and 8.8.8.8");
    expect(copy.redact("SSN 123-45-6789 and 1.1.1.1").text).toBe("SSN <US_SSN_1> and <IP_ADDRESS_2>");
    expect(PiiVault.fromJSON(JSON.stringify(vault)).size).toBe(2);
  });

  it.each([
    [null],
    [{ version: 2, scope: "x", entries: [] }],
    [{ version: 1, scope: "x", entries: [{ placeholder: "<EMAIL_ADDRESS_1>", type: "PERSON", value: "a" }] }],
    [{ version: 1, scope: "x", entries: [{ placeholder: "EMAIL_ADDRESS_1", type: "EMAIL_ADDRESS", value: "a" }] }],
  ])("fromJSON rejects %j", (json) => {
    expect(() => PiiVault.fromJSON(json)).toThrow(TypeError);
  });

  it("loads and saves per thread through a store", async () => {
    const items = new Map<string, Record<string, unknown>>();
    const store: VaultStore = {
      get: async (ns, key) => (items.has(`${ns.join("/")}:${key}`) ? { value: items.get(`${ns.join("/")}:${key}`)! } : null),
      put: async (ns, key, value) => void items.set(`${ns.join("/")}:${key}`, value),
    };
    const vault = await loadVault(store, "thread-a");
    expect(vault.size).toBe(0);
    const redacted = vault.redact("Fax: 4155550132").text;
    await saveVault(store, vault);
    const again = await loadVault(store, "thread-a");
    expect(again.restore(redacted)).toBe("Fax: 4155550132");
    expect((await loadVault(store, "thread-b")).restore(redacted)).toBe(redacted);
  });
});

describe("redactForLogs", () => {
  it.each(TEXTS)("leaves no raw value in %j", (text) => {
    const masked = redactForLogs(text);
    for (const s of detectPii(text)) expect(masked).not.toContain(s.value);
    expect(redactForLogs(text, { correlate: true })).not.toMatch(/<[A-Z_]+_\d+>/);
  });

  it("masks by type, and correlates equal values when asked", () => {
    expect(redactForLogs("mail marta.lindqvist@fjordanalytics.example about CUS-1042")).toBe("mail [EMAIL_ADDRESS] about CUS-1042");
    const c = redactForLogs("a@b.example a@b.example c@d.example", { correlate: true }).split(" ");
    expect(c[0]).toMatch(/^\[EMAIL_ADDRESS:[0-9a-f]{8}\]$/);
    expect(c[0]).toBe(c[1]);
    expect(c[0]).not.toBe(c[2]);
  });

  it("masks every string of a structured record", () => {
    expect(redactValueForLogs({ msg: "SSN 123-45-6789", n: 3, tags: ["8.8.8.8"] })).toEqual({ msg: "SSN [US_SSN]", n: 3, tags: ["[IP_ADDRESS]"] });
  });
});
