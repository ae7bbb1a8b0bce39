import { describe, expect, it } from "vitest";
import { cardPrefixValid, ibanValid, luhnValid, ssnValid } from "./checksums.js";
import { detectPii } from "./detect.js";
import type { PiiType } from "./types.js";

/** The values of one type found in `text`. */
const found = (text: string, type: PiiType) => detectPii(text).filter((s) => s.type === type).map((s) => s.value);

describe("checksums", () => {
  it.each([
    ["4111111111111111", true],
    ["4111 1111 1111 1111", true],
    ["378282246310005", true],
    ["6011111111111117", true],
    ["4111111111111112", false],
    ["1234567812345678", false],
    ["7", false],
  ])("luhnValid(%s) = %s", (value, ok) => expect(luhnValid(value)).toBe(ok));

  it.each([
    ["4111111111111111", true],
    ["5500000000000004", true],
    ["2223000048400011", true],
    ["378282246310005", true],
    ["3530111333300000", true],
    ["630427373398", true],
    ["9111111111111111", false],
    ["41111111111111", false],
  ])("cardPrefixValid(%s) = %s", (digits, ok) => expect(cardPrefixValid(digits)).toBe(ok));

  it.each([
    ["GB82WEST12345698765432", true],
    ["GB82 WEST 1234 5698 7654 32", true],
    ["gb82west12345698765432", true],
    ["DE89370400440532013000", true],
    ["FR1420041010050500013M02606", true],
    ["NL91ABNA0417164300", true],
    ["GB82WEST12345698765433", false],
    ["DE89370400440532013001", false],
    ["DE8937040044053201300", false],
    ["XX82WEST12345698765432", false],
  ])("ibanValid(%s) = %s", (value, ok) => expect(ibanValid(value)).toBe(ok));

  it.each([
    ["123-45-6789", true],
    ["001-01-0001", true],
    ["899-99-9999", true],
    ["000-12-3456", false],
    ["666-12-3456", false],
    ["900-12-3456", false],
    ["987-65-4321", false],
    ["123-00-4567", false],
    ["123-45-0000", false],
  ])("ssnValid(%s) = %s", (value, ok) => expect(ssnValid(value)).toBe(ok));
});

describe("detectPii: structured types", () => {
  it.each([
    ["EMAIL_ADDRESS", "Write to marta.lindqvist@fjordanalytics.example today.", "marta.lindqvist@fjordanalytics.example"],
    ["EMAIL_ADDRESS", "cc: first+tag@mail.example.co.uk, thanks", "first+tag@mail.example.co.uk"],
    ["CREDIT_CARD", "Card 4111 1111 1111 1111 was declined", "4111 1111 1111 1111"],
    ["CREDIT_CARD", "amex 378282246310005.", "378282246310005"],
    ["CREDIT_CARD", "card 4111-1111-1111-1111", "4111-1111-1111-1111"],
    ["IBAN_CODE", "IBAN: GB82 WEST 1234 5698 7654 32 and more", "GB82 WEST 1234 5698 7654 32"],
    ["IBAN_CODE", "pay to DE89370400440532013000 by Friday", "DE89370400440532013000"],
    ["US_SSN", "SSN 123-45-6789 on file", "123-45-6789"],
    ["US_SSN", "social security number: 123 45 6789", "123 45 6789"],
    ["IP_ADDRESS", "login from 192.168.1.20 failed", "192.168.1.20"],
    ["IP_ADDRESS", "host=8.8.8.8:53", "8.8.8.8"],
    ["IP_ADDRESS", "v6 peer 2001:db8::1 connected", "2001:db8::1"],
    ["IP_ADDRESS", "addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
    ["IP_ADDRESS", "mapped ::ffff:192.0.2.1 here", "::ffff:192.0.2.1"],
    ["PHONE_NUMBER", "Call +1 415-555-0132 now", "+1 415-555-0132"],
    ["PHONE_NUMBER", "office (415) 555-0132", "(415) 555-0132"],
    ["PHONE_NUMBER", "reach me at 415.555.0132x12", "415.555.0132x12"],
    ["PHONE_NUMBER", "London +44 20 7946 0958", "+44 20 7946 0958"],
    ["PHONE_NUMBER", "Phone: 0612 345 678", "0612 345 678"],
    ["PHONE_NUMBER", "Fax: 4155550132", "4155550132"],
    ["PHONE_NUMBER", "mobile 99 668472", "99 668472"],
  ] as [PiiType, string, string][])("%s in %j", (type, text, value) => {
    expect(found(text, type)).toEqual([value]);
  });

  it.each([
    ["CREDIT_CARD", "card 4111111111111112 (fails Luhn)"],
    ["CREDIT_CARD", "number 1234567812345678"],
    ["CREDIT_CARD", "tracking number 630427373398"],
    ["IBAN_CODE", "GB82WEST12345698765433 has a bad check digit"],
    ["IBAN_CODE", "XX82WEST12345698765432"],
    ["US_SSN", "000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000"],
    ["US_SSN", "order 123456789 shipped"],
    ["IP_ADDRESS", "256.1.1.1 and 1.2.3 and 999.10.10.10"],
    ["IP_ADDRESS", "deployed v4.18.2 and 1.2.3.4.5"],
    ["IP_ADDRESS", "at 12:30:45 UTC, std::vector"],
    ["PHONE_NUMBER", "on 2026-11-16 at 09:30"],
    ["PHONE_NUMBER", "total 12345.67 and 1,234,567"],
    ["PHONE_NUMBER", "IP 192.168.1.20"],
    ["PHONE_NUMBER", "tracking_number 1234567890"],
    ["PHONE_NUMBER", "version 2024.05.01"],
    ["EMAIL_ADDRESS", "Paged @maya.chen on #inc-payments"],
    ["EMAIL_ADDRESS", "user@localhost"],
  ] as [PiiType, string][])("no %s in %j", (type, text) => {
    expect(found(text, type)).toEqual([]);
  });
});

describe("detectPii: names and addresses", () => {
  it.each([
    ["Customer Marta Lindqvist asked about INV-21042.", "Marta Lindqvist"],
    ["Hello, this is Dr. Kyle Kuefer. Who are you?", "Kyle Kuefer"],
    ["My name is Ján M. Novák.", "Ján M. Novák"],
    ["Name: Åsa Laine", "Åsa Laine"],
    ['{"customer_id":"CUS-1077","name":"Daniel Reyes","plan_id":"PLAN-STARTER"}', "Daniel Reyes"],
    ["Please change it to Bekbolat Musliyevich", "Bekbolat Musliyevich"],
    ['"I agree," says Hartvigsson.', "Hartvigsson"],
  ])("PERSON in %j", (text, value) => {
    expect(found(text, "PERSON")).toContain(value);
  });

  it.each([
    "The Payments API is degraded; Support Portal is fine.",
    '{"service_id":"payments-api","name":"Payments API","oncall":"@maya.chen"}',
    "Fjord Analytics and Whitman Health Systems renewed on the Pro plan.",
    "The Keel Hub gateway and Barcode scanner S1 ship from the Reno, NV fulfillment center.",
    "Checkout Web, Orders API, Auth Service and Billing Worker are operational.",
    "Settings > Billing > Invoices, then Monday at 9 am.",
    "Attn: Receiving, Summit Health, 1904 George St, Sydney NSW 2000, AU",
  ])("no PERSON in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Ship to 77 Harbor Blvd, Seattle, WA 98104, US please", "77 Harbor Blvd, Seattle, WA 98104, US"],
    ["address: 418 Maple Ave, Columbus, OH 43215, US", "418 Maple Ave, Columbus, OH 43215, US"],
    ["12 King St W, Toronto, ON M5V 2T6, CA", "12 King St W, Toronto, ON M5V 2T6, CA"],
    ["5 High Street, London EC1V 9HX, GB", "5 High Street, London EC1V 9HX, GB"],
    ["Hauptstraße 12, 10115 Berlin, DE", "Hauptstraße 12, 10115 Berlin, DE"],
    ["Damrak 7, 1012 AB Amsterdam, NL", "Damrak 7, 1012 AB Amsterdam, NL"],
    ["88 Rue de la Paix, 75002 Paris, FR", "88 Rue de la Paix, 75002 Paris, FR"],
    ["14 George St, Sydney NSW 2000, AU", "14 George St, Sydney NSW 2000, AU"],
    ["Meet me at 6750 Koskikatu 25 Apt. 864\nHelsinki\n Finland 00100 later.", "6750 Koskikatu 25 Apt. 864\nHelsinki\n Finland 00100"],
    ["Return to PSC 1437, Box 3833\nAPO AA 66791 please", "PSC 1437, Box 3833\nAPO AA 66791"],
    ["Mail P.O. Box 149, Springfield, IL 62701", "P.O. Box 149, Springfield, IL 62701"],
  ])("STREET_ADDRESS in %j", (text, value) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([value]);
  });

  it.each([
    "Shipped from the Reno, NV fulfillment center via Louisville, KY (UPS Worldport hub).",
    "spot reclamation took 12 of 16 Spark nodes",
    "Label roll 4x6 in (500) and Counter tablet 10 in",
    "We moved here from Boston, MA.",
  ])("no STREET_ADDRESS in %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });
});

describe("detectPii: ids, amounts and dates are not PII", () => {
  it.each([
    "CUS-1042 was charged $99.00 twice (PAY-31042, PAY-31043) for INV-21042 on 2026-11-01.",
    "ORD-10233 (SHP-40233) is stuck; see TCK-5077, KB-003 and INC-759.",
    "SKUs HW-HUB-01, AC-USB-2M and SP-LBL-46 cost $149.00, $12.00 and $22.00.",
    "Refund of $1,234.56 issued 2026-11-16T07:03:00.000Z; credit balance 5000 cents; p95 9800 ms.",
    "Invoices are issued on the 1st of each month and due 21 days after issue (12/1/2026).",
    '{"order_id":"ORD-10500","total_cents":32900,"created_at":"2026-11-10T10:00:00.000Z","tracking_number":"1Z7A4E190357102233"}',
    '{"shipment_id":"SHP-40001","carrier_id":"CAR-FEDEX","tracking_number":"500198681305"}',
  ])("%j", (text) => {
    expect(detectPii(text)).toEqual([]);
  });
});

describe("detectPii: spans", () => {
  it("returns sorted, non-overlapping spans whose value is the text between start and end", () => {
    const text = "Marta Lindqvist (marta.lindqvist@fjordanalytics.example, +1 415-555-0132) lives at 77 Harbor Blvd, Seattle, WA 98104.";
    const spans = detectPii(text);
    expect(spans.map((s) => s.type)).toEqual(["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"]);
    for (const [i, s] of spans.entries()) {
      expect(text.slice(s.start, s.end)).toBe(s.value);
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(s.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
  });

  it("keeps only the requested types", () => {
    expect(detectPii("Marta Lindqvist, 123-45-6789", { types: ["US_SSN"] }).map((s) => s.type)).toEqual(["US_SSN"]);
  });
});
