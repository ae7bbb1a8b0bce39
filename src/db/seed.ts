/**
 * Deterministic seed of the company database: ~1,200 customers with a year of hardware orders, six months of
 * billing and support history, a week of service telemetry, six months of incidents and the knowledge base.
 *
 * Every random choice comes from a seeded mulberry32 stream and every date is measured back from REFERENCE_NOW,
 * so the same options always produce the same rows. A few "story" records (see STORY) are pinned on top of the
 * random data because tests and demos reason about them; they hold for every seed.
 *
 * Ids are issued in generation order, not in time order (the story pins ORD-10233 as a recent order), so queries
 * that need "latest" must sort by date.
 */
import type Database from "better-sqlite3";
import { CARRIERS, PLANS, SERVICES } from "./reference-data.js";
import type { ArticleRow, CustomerRow, IncidentRow, PaymentRow, TicketRow } from "./rows.js";

/** The dataset's "now": every generated event happens before it. */
export const REFERENCE_NOW = "2026-11-16T09:00:00.000Z";

export interface SeedOptions {
  /** PRNG seed. @default 42 */
  seed?: number;
  /** Number of customers, 200..9000 (CUS-1000..CUS-9999). @default 1200 */
  customers?: number;
  /** Number of orders, 1000..60000 (each may need a SHP-4xxxx..SHP-9xxxx shipment). @default 12000 */
  orders?: number;
}

/** Row count per table after seeding, keyed by table name. */
export type SeedSummary = Record<string, number>;

/** The pinned records that tests and demos rely on. */
export const STORY = {
  /** CUS-1042 (Pro) was charged twice for its November invoice and has an open billing ticket about it. */
  duplicateCharge: {
    customerId: "CUS-1042",
    invoiceId: "INV-21042",
    paymentIds: ["PAY-31042", "PAY-31043"],
    ticketId: "TCK-5042",
  },
  /** ORD-10233 (CUS-1077) is stuck at a UPS hub with an exception; the customer asks where it is. */
  stuckShipment: { customerId: "CUS-1077", orderId: "ORD-10233", shipmentId: "SHP-40233", ticketId: "TCK-5077" },
  /** ORD-10500 is still processing, so its shipping address may be changed (KB-003). */
  addressChange: { orderId: "ORD-10500" },
  /** payments-api is degraded by an open sev2 incident about elevated 5xx errors. */
  paymentsIncident: { serviceId: "payments-api", incidentId: "INC-759", channel: "#inc-payments" },
  /** CUS-1100 (Enterprise, 1 h first-response SLA) got its first response after 1 h 30 min. */
  slaBreach: { customerId: "CUS-1100", ticketId: "TCK-5100" },
  /** The one other degraded service: a tier-3 pipeline with an open sev3 incident. */
  degradedTier3: { serviceId: "analytics-pipeline", incidentId: "INC-758" },
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse(REFERENCE_NOW);
const PERIODS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"] as const;
/** Suspension date of customers who left their 2026-10 invoice unpaid (due 10-22, plus the 14 days of KB-016). */
const SUSPENDED_AT = Date.UTC(2026, 10, 5, 8);
/** Credits issued after the last invoice run are still on the customer's balance (they apply to December). */
const LAST_INVOICE_RUN = Date.UTC(2026, 10, 1, 8);
const CREDIT_APPROVAL_CENTS = 5000;
const RANDOM_INCIDENTS = 58;

const iso = (ms: number): string => new Date(ms).toISOString();
const dollars = (cents: number): string => `$${(cents / 100).toFixed(2)}`;

// ---------------------------------------------------------------------------------------------------------------
// Randomness and ids
// ---------------------------------------------------------------------------------------------------------------

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

/** An independent stream per table, so changing how one table is generated does not reshuffle the others. */
function stream(seed: number, label: string): Rng {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return new Rng(h);
}

/** Sequential ids that never leave their digit range and skip ids pinned by the story. */
function idSequence(prefix: string, first: number, last: number, width = 0, reserved: readonly string[] = []) {
  const skip = new Set(reserved);
  let n = first;
  return (): string => {
    for (;;) {
      if (n > last) throw new RangeError(`The seed ran out of ${prefix} ids (last is ${prefix}-${last}); lower the counts.`);
      const id = `${prefix}-${String(n++).padStart(width, "0")}`;
      if (!skip.has(id)) return id;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------------------------

const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sofia", "Lucas", "Mia", "Mateo", "Amara", "Kenji", "Chloe",
  "Arjun", "Isla", "Felix", "Zara", "Hugo", "Leila", "Oscar", "Nora", "Elias", "Aisha", "Jonas", "Ruby", "Tariq",
  "Clara", "Diego", "Freya", "Samuel", "Yuki", "Ines", "Marcus", "Hana", "Theo", "Layla", "Rafael", "Elena", "Kofi",
  "Maja", "Victor", "Alice", "Omar", "Greta", "Ivan", "Lucia", "Benjamin", "Mei", "Adrian", "Paula", "Nikhil",
  "Sara", "Jakob", "Leah", "Caleb", "Fatima", "Daniel", "Ingrid", "Tomas", "Wen",
] as const;

const LAST_NAMES = [
  "Smith", "Garcia", "Nguyen", "Müller", "Rossi", "Kim", "Okafor", "Johansson", "Patel", "Dubois", "Silva", "Cohen",
  "Tanaka", "Novak", "Hughes", "Fischer", "Moreau", "Kowalski", "Reddy", "Larsen", "Bianchi", "Santos", "Brennan",
  "Haddad", "Schmidt", "Ito", "Walsh", "Jansen", "Costa", "Murphy", "Andersen", "Mendes", "Lopez", "Weber", "Ali",
  "Park", "Bauer", "Clarke", "Varga", "Hansen", "Chen", "Ortiz", "Fontaine", "Yilmaz", "Sato", "Green", "Byrne",
  "Lindgren", "Ahmed", "Russo", "Keller", "Kaur", "Morales", "Vogel", "Baker", "Horvat", "Price", "Wong", "Adler",
  "Quinn",
] as const;

const COMPANY_WORDS = [
  "Northwind", "Bluepeak", "Cedar", "Harbor", "Ironbridge", "Maple", "Summit", "Lumen", "Brightline", "Copper",
  "Redwood", "Silverline", "Orchard", "Granite", "Atlas", "Beacon", "Driftwood", "Evergreen", "Foxglove", "Juniper",
  "Kestrel", "Lakeside", "Meridian", "Oakridge", "Pinecrest", "Quarry", "Riverbend", "Sparrow", "Tidewater",
  "Willow", "Aspen", "Birch", "Coastal", "Dune", "Falcon", "Hearth", "Indigo", "Keystone", "Larkspur", "Nimbus",
] as const;

const COMPANY_KINDS = [
  "Analytics", "Logistics", "Retail", "Supply Co", "Coffee", "Outfitters", "Health", "Labs", "Foods", "Studio",
  "Markets", "Pharmacy", "Hardware", "Bakery", "Goods", "Apparel", "Fitness", "Books", "Garden Center", "Electronics",
] as const;

interface City {
  city: string;
  region: string;
  postcode: string;
}

interface Locale {
  country: string;
  weight: number;
  cities: readonly City[];
  streets: readonly string[];
  format: (number: number, street: string, city: City) => string;
}

const usFormat = (n: number, street: string, c: City) => `${n} ${street}, ${c.city}, ${c.region} ${c.postcode}, US`;

const LOCALES: readonly Locale[] = [
  {
    country: "US",
    weight: 55,
    cities: [
      { city: "Austin", region: "TX", postcode: "78701" },
      { city: "Columbus", region: "OH", postcode: "43215" },
      { city: "Portland", region: "OR", postcode: "97205" },
      { city: "Denver", region: "CO", postcode: "80202" },
      { city: "Raleigh", region: "NC", postcode: "27601" },
      { city: "Chicago", region: "IL", postcode: "60607" },
      { city: "Seattle", region: "WA", postcode: "98104" },
      { city: "Boston", region: "MA", postcode: "02110" },
      { city: "Nashville", region: "TN", postcode: "37203" },
      { city: "Phoenix", region: "AZ", postcode: "85004" },
    ],
    streets: ["Maple Ave", "Oak St", "Market St", "Pine St", "Elm St", "Harbor Blvd", "Lincoln Ave", "Cedar Ln", "Main St", "Riverside Dr"],
    format: usFormat,
  },
  {
    country: "CA",
    weight: 10,
    cities: [
      { city: "Toronto", region: "ON", postcode: "M5V 2T6" },
      { city: "Vancouver", region: "BC", postcode: "V6B 1A1" },
      { city: "Montreal", region: "QC", postcode: "H2Y 1C6" },
    ],
    streets: ["King St W", "Granville St", "Rue Saint-Paul", "Queen St E", "Bay St"],
    format: (n, street, c) => `${n} ${street}, ${c.city}, ${c.region} ${c.postcode}, CA`,
  },
  {
    country: "GB",
    weight: 10,
    cities: [
      { city: "London", region: "", postcode: "EC1V 9HX" },
      { city: "Manchester", region: "", postcode: "M1 1AE" },
      { city: "Bristol", region: "", postcode: "BS1 4DJ" },
    ],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"],
    format: (n, street, c) => `${n} ${street}, ${c.city} ${c.postcode}, GB`,
  },
  {
    country: "DE",
    weight: 8,
    cities: [
      { city: "Berlin", region: "", postcode: "10115" },
      { city: "Hamburg", region: "", postcode: "20095" },
      { city: "München", region: "", postcode: "80331" },
    ],
    streets: ["Hauptstraße", "Gartenstraße", "Bahnhofstraße", "Schillerstraße", "Lindenallee"],
    format: (n, street, c) => `${street} ${n}, ${c.postcode} ${c.city}, DE`,
  },
  {
    country: "NL",
    weight: 5,
    cities: [
      { city: "Amsterdam", region: "", postcode: "1012 AB" },
      { city: "Utrecht", region: "", postcode: "3511 AX" },
    ],
    streets: ["Keizersgracht", "Herengracht", "Oudegracht", "Damrak"],
    format: (n, street, c) => `${street} ${n}, ${c.postcode} ${c.city}, NL`,
  },
  {
    country: "FR",
    weight: 5,
    cities: [
      { city: "Paris", region: "", postcode: "75002" },
      { city: "Lyon", region: "", postcode: "69002" },
    ],
    streets: ["Rue de la Paix", "Rue Mercière", "Boulevard Voltaire", "Rue du Bac"],
    format: (n, street, c) => `${n} ${street}, ${c.postcode} ${c.city}, FR`,
  },
  {
    country: "AU",
    weight: 7,
    cities: [
      { city: "Sydney", region: "NSW", postcode: "2000" },
      { city: "Melbourne", region: "VIC", postcode: "3000" },
    ],
    streets: ["George St", "Collins St", "Pitt St", "Flinders Ln"],
    format: (n, street, c) => `${n} ${street}, ${c.city} ${c.region} ${c.postcode}, AU`,
  },
];

const PRODUCTS = [
  { sku: "HW-HUB-01", name: "Keel Hub gateway", price_cents: 14900 },
  { sku: "HW-TMP-02", name: "Temperature sensor T2", price_cents: 3900 },
  { sku: "HW-DOR-01", name: "Door contact sensor", price_cents: 2400 },
  { sku: "HW-SCN-01", name: "Barcode scanner S1", price_cents: 8900 },
  { sku: "HW-PRN-80", name: "Receipt printer RP-80", price_cents: 17900 },
  { sku: "HW-CRD-03", name: "Card reader CR-3", price_cents: 12900 },
  { sku: "HW-TAB-10", name: "Counter tablet 10 in", price_cents: 32900 },
  { sku: "HW-DRW-01", name: "Cash drawer", price_cents: 9900 },
  { sku: "HW-SCL-15", name: "Shelf scale SC-15", price_cents: 21900 },
  { sku: "AC-MNT-01", name: "Wall mounting kit", price_cents: 1900 },
  { sku: "AC-USB-2M", name: "USB-C cable 2 m", price_cents: 1200 },
  { sku: "AC-PSU-30", name: "Power adapter 30 W", price_cents: 2900 },
  { sku: "AC-BAT-50", name: "Battery pack 5000 mAh", price_cents: 3400 },
  { sku: "AC-STD-01", name: "Tablet stand", price_cents: 5900 },
  { sku: "AC-CSE-01", name: "Rugged case for scanner S1", price_cents: 2700 },
  { sku: "SP-LBL-46", name: "Label roll 4x6 in (500)", price_cents: 2200 },
  { sku: "SP-RCP-80", name: "Receipt paper 80 mm (24 rolls)", price_cents: 3600 },
  { sku: "SP-TAG-RF", name: "RFID tags (100)", price_cents: 4500 },
] as const;

const ORDER_NOTES = ["Leave with front desk.", "Deliver after 2 pm.", "Gift: no invoice in the box.", "Call on arrival.", "Loading dock at the rear."] as const;
const RETURN_REASONS = ["defective on arrival", "wrong item shipped", "no longer needed", "ordered the wrong model"] as const;

const ORIGIN = "Reno, NV fulfillment center";
const TRANSIT_DAYS: Record<string, number> = { "CAR-UPS": 4, "CAR-FEDEX": 2, "CAR-USPS": 5, "CAR-DHL": 6 };
const HUBS: Record<string, readonly string[]> = {
  "CAR-UPS": ["Louisville, KY (UPS Worldport hub)", "Hodgkins, IL hub", "Ontario, CA hub", "Dallas, TX hub"],
  "CAR-FEDEX": ["Memphis, TN hub", "Indianapolis, IN hub", "Oakland, CA station"],
  "CAR-USPS": ["Sacramento, CA distribution center", "Chicago, IL distribution center", "Denver, CO distribution center"],
  "CAR-DHL": ["Cincinnati, OH (CVG hub)", "Leipzig, DE hub", "East Midlands, GB hub"],
};

const SUPPORT_AGENTS = ["@jess.alvarez", "@nina.kowalski", "@sam.rivera", "@kwame.boateng"] as const;
const SUPPORT_LEAD = "@jess.alvarez";

// ---------------------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------------------

/**
 * Fills every table of the schema except `audit_log` and `pages`; of `meta` it writes only `seed` (the caller
 * writes the schema version and reference time). Runs in one transaction, a savepoint when the caller already
 * opened one. Throws RangeError for options that would overflow an id format.
 */
export function seedCompanyDatabase(sql: Database.Database, options: SeedOptions = {}): SeedSummary {
  const seed = options.seed ?? 42;
  const customerCount = options.customers ?? 1200;
  const orderCount = options.orders ?? 12000;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}.`);
  if (!Number.isInteger(customerCount) || customerCount < 200 || customerCount > 9000) {
    throw new RangeError(`customers must be an integer in 200..9000 (CUS-1000..CUS-9999, story needs CUS-1100), got ${customerCount}.`);
  }
  if (!Number.isInteger(orderCount) || orderCount < 1000 || orderCount > 60000) {
    throw new RangeError(`orders must be an integer in 1000..60000 (shipments use SHP-40000..SHP-99999), got ${orderCount}.`);
  }

  sql.transaction(() => {
    const w = writer(sql);
    w.meta.run("seed", String(seed));
    for (const p of PLANS) {
      w.plan.run(p.id, p.name, p.monthly_price_cents, p.sla_first_response_h, p.sla_resolution_h, p.uptime_target_pct, p.support_channels);
    }
    for (const c of CARRIERS) w.carrier.run(c.id, c.name, c.service_level, c.on_time_rate, c.tracking_url);
    for (const s of SERVICES) {
      const status = s.id === STORY.paymentsIncident.serviceId || s.id === STORY.degradedTier3.serviceId ? "degraded" : "operational";
      w.service.run(s.id, s.name, s.tier, status, s.owner_team, s.oncall);
    }

    const customers = generateCustomers(stream(seed, "customers"), customerCount);
    for (const c of customers) w.customer.run(c.id, c.name, c.email, c.company, c.plan.id, c.country, c.address, iso(c.createdAt), c.status);

    const orders = generateOrders(stream(seed, "orders"), customers, orderCount, w);
    const billing = generateBilling(stream(seed, "billing"), customers, w);
    const escalationPosts = generateTickets(stream(seed, "tickets"), customers, orders, billing, w);
    sql.exec(`UPDATE customers SET credit_balance_cents = COALESCE((SELECT SUM(amount_cents) FROM credits
      WHERE credits.customer_id = customers.id AND credits.created_at >= '${iso(LAST_INVOICE_RUN)}'), 0)`);

    const incidents = generateIncidents(stream(seed, "incidents"), w);
    generateMetrics(stream(seed, "metrics"), incidents, w);
    generateLogs(stream(seed, "logs"), incidents, w);
    generateChannelMessages(stream(seed, "channels"), incidents, escalationPosts, w);
    for (const a of knowledgeBase()) w.article.run(a.id, a.kind, a.title, a.body, a.tags, a.service_id, a.updated_at);
  })();

  const tables = sql
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, sql.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number]));
}

type Writer = ReturnType<typeof writer>;

function writer(sql: Database.Database) {
  const insert = (table: string, columns: string) =>
    sql.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.split(",").map(() => "?").join(", ")})`);
  return {
    meta: insert("meta", "key, value"),
    plan: insert("plans", "id, name, monthly_price_cents, sla_first_response_h, sla_resolution_h, uptime_target_pct, support_channels"),
    carrier: insert("carriers", "id, name, service_level, on_time_rate, tracking_url"),
    service: insert("services", "id, name, tier, status, owner_team, oncall"),
    customer: insert("customers", "id, name, email, company, plan_id, country, address, created_at, status"),
    order: insert("orders", "id, customer_id, created_at, status, total_cents, items, shipping_address, notes"),
    shipment: insert("shipments", "id, order_id, carrier_id, tracking_number, status, shipped_at, eta, delivered_at"),
    shipmentEvent: insert("shipment_events", "shipment_id, status, location, created_at"),
    invoice: insert("invoices", "id, customer_id, period, amount_cents, status, issued_at, due_at"),
    payment: insert("payments", "id, invoice_id, customer_id, amount_cents, method, status, created_at, card_last4"),
    refund: insert("refunds", "id, payment_id, amount_cents, reason, created_at"),
    ticket: insert("tickets", "id, customer_id, subject, body, category, priority, status, created_at, first_response_at, resolved_at, escalated_to"),
    ticketMessage: insert("ticket_messages", "id, ticket_id, author, body, created_at"),
    credit: insert("credits", "id, customer_id, amount_cents, reason, ticket_id, created_at"),
    incident: insert("incidents", "id, service_id, title, severity, status, started_at, resolved_at, summary"),
    incidentUpdate: insert("incident_updates", "incident_id, body, public, created_at"),
    metric: insert("metrics", "service_id, ts, latency_p95_ms, error_rate, requests"),
    log: insert("logs", "service_id, ts, level, message"),
    channelMessage: insert("channel_messages", "id, channel, author, body, created_at"),
    article: insert("kb_articles", "id, kind, title, body, tags, service_id, updated_at"),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------------------------

type Plan = (typeof PLANS)[number];
type PaymentMethod = PaymentRow["method"];

interface Customer {
  id: string;
  name: string;
  email: string;
  company: string;
  plan: Plan;
  country: string;
  city: string;
  address: string;
  createdAt: number;
  status: CustomerRow["status"];
  /** When the customer stopped ordering and being billed (churn or suspension); NOW for active customers. */
  activeUntil: number;
  method: PaymentMethod;
  cardLast4: string | null;
}

const planById = (id: Plan["id"]): Plan => PLANS.find((p) => p.id === id)!;

interface PinnedCustomer {
  name: string;
  company: string;
  email: string;
  plan: Plan["id"];
  city: string;
  address: string;
  createdAt: string;
  method: PaymentMethod;
  cardLast4: string | null;
}

const PINNED_CUSTOMERS: Record<string, PinnedCustomer> = {
  [STORY.duplicateCharge.customerId]: {
    name: "Marta Lindqvist",
    company: "Fjord Analytics",
    email: "marta.lindqvist@fjordanalytics.example",
    plan: "PLAN-PRO",
    city: "Seattle",
    address: "77 Harbor Blvd, Seattle, WA 98104, US",
    createdAt: "2024-03-12T15:20:00.000Z",
    method: "card",
    cardLast4: "7719",
  },
  [STORY.stuckShipment.customerId]: {
    name: "Daniel Reyes",
    company: "Reyes Home Goods",
    email: "daniel@reyeshomegoods.example",
    plan: "PLAN-STARTER",
    city: "Columbus",
    address: "418 Maple Ave, Columbus, OH 43215, US",
    createdAt: "2025-05-02T18:45:00.000Z",
    method: "card",
    cardLast4: "3305",
  },
  [STORY.slaBreach.customerId]: {
    name: "Grace Whitman",
    company: "Whitman Health Systems",
    email: "grace.whitman@whitmanhealth.example",
    plan: "PLAN-ENTERPRISE",
    city: "Boston",
    address: "200 Atlantic Ave, Boston, MA 02110, US",
    createdAt: "2023-09-18T14:00:00.000Z",
    method: "bank_transfer",
    cardLast4: null,
  },
};

const STORY_CUSTOMER_IDS = new Set(Object.keys(PINNED_CUSTOMERS));

function generateCustomers(rng: Rng, count: number): Customer[] {
  const emails = new Set(Object.values(PINNED_CUSTOMERS).map((p) => p.email));
  const firstCustomer = Date.UTC(2023, 0, 15);
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const id = `CUS-${1000 + i}`;
    const pinned = PINNED_CUSTOMERS[id];
    if (pinned) {
      customers.push({
        id,
        ...pinned,
        plan: planById(pinned.plan),
        country: "US",
        createdAt: Date.parse(pinned.createdAt),
        status: "active",
        activeUntil: NOW,
      });
      continue;
    }
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const company = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)}`;
    const domain = `${company.toLowerCase().replace(/[^a-z]/g, "")}.example`;
    const local = `${first}.${last}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "");
    let email = `${local}@${domain}`;
    if (emails.has(email)) email = `${local}${i}@${domain}`;
    emails.add(email);

    const locale = rng.weighted(LOCALES.map((l) => [l, l.weight] as const));
    const city = rng.pick(locale.cities);
    const plan = planById(rng.weighted([["PLAN-STARTER", 45], ["PLAN-PRO", 32], ["PLAN-BUSINESS", 16], ["PLAN-ENTERPRISE", 7]] as const));
    const createdAt = NOW - 6 * HOUR - Math.floor((NOW - 6 * HOUR - firstCustomer) * rng.next() ** 1.3);

    let status: Customer["status"] = "active";
    let activeUntil = NOW;
    if (createdAt < NOW - 45 * DAY && rng.chance(0.09)) {
      status = "churned";
      activeUntil = Math.floor(rng.between(createdAt + 30 * DAY, NOW - 7 * DAY));
    } else if (createdAt < Date.UTC(2026, 8, 1) && rng.chance(0.045)) {
      status = "suspended";
      activeUntil = SUSPENDED_AT;
    }
    const method: PaymentMethod =
      plan.id === "PLAN-ENTERPRISE"
        ? rng.weighted([["bank_transfer", 60], ["card", 40]] as const)
        : plan.id === "PLAN-BUSINESS"
          ? rng.weighted([["card", 60], ["bank_transfer", 30], ["paypal", 10]] as const)
          : rng.weighted([["card", 75], ["paypal", 25]] as const);

    customers.push({
      id,
      name: `${first} ${last}`,
      email,
      company,
      plan,
      country: locale.country,
      city: city.city,
      address: locale.format(rng.int(1, 2400), rng.pick(locale.streets), city),
      createdAt,
      status,
      activeUntil,
      method,
      cardLast4: method === "card" ? rng.digits(4) : null,
    });
  }
  return customers;
}

// ---------------------------------------------------------------------------------------------------------------
// Orders, shipments, shipment events
// ---------------------------------------------------------------------------------------------------------------

interface Order {
  id: string;
  customerId: string;
  createdAt: number;
  status: "pending" | "processing" | "shipped" | "delivered" | "cancelled" | "returned";
}

const STORY_TRACKING_NUMBER = "1Z7A4E190357102233";

interface ShipmentPlan {
  carrierId: string;
  status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned";
  shippedAt: number;
  eta: number;
  deliveredAt: number | null;
  events: [status: string, location: string, at: number][];
}

function generateOrders(rng: Rng, customers: Customer[], count: number, w: Writer): Order[] {
  const nextShipment = idSequence("SHP", 40000, 99999, 5, [STORY.stuckShipment.shipmentId]);
  const trackingNumbers = new Set<string>([STORY_TRACKING_NUMBER]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  // CUS-1077's only order is the stuck one, so "where is my order" has one answer.
  const orderable = customers.filter((c) => c.id !== STORY.stuckShipment.customerId);
  const orders: Order[] = [];

  for (let i = 0; i < count; i++) {
    const id = `ORD-${10000 + i}`;
    if (id === STORY.stuckShipment.orderId) {
      const customer = byId.get(STORY.stuckShipment.customerId)!;
      const order: Order = { id, customerId: customer.id, createdAt: Date.parse("2026-11-04T19:32:00.000Z"), status: "shipped" };
      const items = [
        { sku: "HW-SCN-01", name: "Barcode scanner S1", qty: 2, price_cents: 8900 },
        { sku: "SP-LBL-46", name: "Label roll 4x6 in (500)", qty: 3, price_cents: 2200 },
      ];
      writeOrder(w, order, items, customer.address, null);
      const hub = "Louisville, KY (UPS Worldport hub)";
      const shipment: ShipmentPlan = {
        carrierId: "CAR-UPS",
        status: "exception",
        shippedAt: Date.parse("2026-11-05T16:20:00.000Z"),
        eta: Date.parse("2026-11-10T20:00:00.000Z"),
        deliveredAt: null,
        events: [
          ["label_created", ORIGIN, Date.parse("2026-11-05T16:20:00.000Z")],
          ["in_transit", "Reno, NV", Date.parse("2026-11-05T23:05:00.000Z")],
          ["in_transit", hub, Date.parse("2026-11-10T06:40:00.000Z")],
          ["exception", hub, NOW - 6 * DAY],
        ],
      };
      writeShipment(w, STORY.stuckShipment.shipmentId, order.id, shipment, STORY_TRACKING_NUMBER);
      orders.push(order);
      continue;
    }

    let customer = rng.pick(orderable);
    while (customer.activeUntil - Math.max(customer.createdAt, NOW - 365 * DAY) < 2 * DAY) customer = rng.pick(orderable);
    const lo = Math.max(customer.createdAt, NOW - 365 * DAY);
    const hi = customer.activeUntil - 10 * MINUTE;
    let createdAt = Math.floor(lo + (hi - lo) * rng.next() ** 0.6);
    if (id === STORY.addressChange.orderId) {
      createdAt = Date.parse("2026-11-15T21:10:00.000Z");
      while (customer.status !== "active" || customer.createdAt > createdAt) customer = rng.pick(orderable);
    }

    const items = rng.sample(PRODUCTS, rng.weighted([[1, 45], [2, 30], [3, 17], [4, 8]] as const)).map((p) => ({
      sku: p.sku,
      name: p.name,
      qty: p.sku.startsWith("SP-") ? rng.weighted([[1, 40], [2, 30], [5, 20], [10, 10]] as const) : rng.weighted([[1, 75], [2, 18], [3, 7]] as const),
      price_cents: p.price_cents,
    }));
    const address = rng.chance(0.9) ? customer.address : `Attn: Receiving, ${customer.company}, ${customer.address}`;

    const order: Order = { id, customerId: customer.id, createdAt, status: "processing" };
    let notes: string | null = rng.chance(0.07) ? rng.pick(ORDER_NOTES) : null;
    let shipment: ShipmentPlan | null = null;
    if (id === STORY.addressChange.orderId) {
      notes = null;
    } else if (createdAt < NOW - 3 * HOUR && rng.chance(0.04)) {
      order.status = "cancelled";
      notes = "Cancelled by the customer before fulfilment.";
    } else {
      const pendingUntil = createdAt + rng.between(10 * MINUTE, 4 * HOUR);
      const shipAt = createdAt + Math.floor(rng.between(6 * HOUR, 48 * HOUR));
      if (NOW < pendingUntil) order.status = "pending";
      else if (NOW < shipAt + HOUR) order.status = "processing";
      else {
        shipment = planShipment(rng, customer, shipAt);
        order.status = shipment.status === "delivered" ? "delivered" : shipment.status === "returned" ? "returned" : "shipped";
        if (order.status === "returned") notes = `Returned: ${rng.pick(RETURN_REASONS)}.`;
      }
    }
    writeOrder(w, order, items, address, notes);
    if (shipment) {
      let tracking = trackingNumber(rng, shipment.carrierId);
      while (trackingNumbers.has(tracking)) tracking = trackingNumber(rng, shipment.carrierId);
      trackingNumbers.add(tracking);
      writeShipment(w, nextShipment(), order.id, shipment, tracking);
    }
    orders.push(order);
  }
  return orders;
}

function writeOrder(w: Writer, order: Order, items: { sku: string; name: string; qty: number; price_cents: number }[], address: string, notes: string | null) {
  const total = items.reduce((sum, item) => sum + item.qty * item.price_cents, 0);
  w.order.run(order.id, order.customerId, iso(order.createdAt), order.status, total, JSON.stringify(items), address, notes);
}

function writeShipment(w: Writer, id: string, orderId: string, s: ShipmentPlan, tracking: string) {
  w.shipment.run(id, orderId, s.carrierId, tracking, s.status, iso(s.shippedAt), iso(s.eta), s.deliveredAt === null ? null : iso(s.deliveredAt));
  for (const [status, location, at] of s.events) w.shipmentEvent.run(id, status, location, iso(at));
}

function trackingNumber(rng: Rng, carrierId: string): string {
  switch (carrierId) {
    case "CAR-UPS": {
      const alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
      let code = "";
      for (let i = 0; i < 6; i++) code += rng.pick([...alnum]);
      return `1Z${code}03${rng.digits(8)}`;
    }
    case "CAR-FEDEX":
      return rng.digits(12);
    case "CAR-USPS":
      return `9400${rng.digits(18)}`;
    default:
      return rng.digits(10);
  }
}

/** Simulates a parcel from label to doorstep (or back) and cuts the timeline at NOW. */
function planShipment(rng: Rng, customer: Customer, shippedAt: number): ShipmentPlan {
  const carrierId =
    customer.country === "US"
      ? rng.weighted([["CAR-UPS", 45], ["CAR-FEDEX", 25], ["CAR-USPS", 30]] as const)
      : rng.weighted([["CAR-DHL", 80], ["CAR-FEDEX", 20]] as const);
  const carrier = CARRIERS.find((c) => c.id === carrierId)!;
  const destination = `${customer.city}, ${customer.country}`;
  const hub = rng.pick(HUBS[carrierId]!);
  const transit = TRANSIT_DAYS[carrierId]! * DAY;
  const eta = shippedAt + transit;
  const pickupAt = shippedAt + Math.floor(rng.between(2 * HOUR, 8 * HOUR));
  const hubAt = shippedAt + Math.floor(transit * rng.between(0.4, 0.55));
  const troubled = rng.chance(0.02);
  const onTime = !troubled && rng.chance(carrier.on_time_rate);
  const deliveredAt = onTime ? eta - Math.floor(rng.between(0, 12 * HOUR)) : eta + Math.floor(rng.between(1 * DAY, troubled ? 6 * DAY : 3 * DAY));
  const outForDeliveryAt = deliveredAt - Math.floor(rng.between(3 * HOUR, 8 * HOUR));
  const base = { carrierId, shippedAt, eta };

  if (NOW < pickupAt) {
    return { ...base, status: "label_created", deliveredAt: null, events: [["label_created", ORIGIN, shippedAt], ["awaiting_pickup", ORIGIN, shippedAt + 30 * MINUTE]] };
  }
  if (deliveredAt > NOW) {
    const events: ShipmentPlan["events"] = [["label_created", ORIGIN, shippedAt], ["in_transit", "Reno, NV", pickupAt]];
    if (hubAt < NOW) events.push(["in_transit", hub, hubAt]);
    if (hubAt < NOW - 3 * HOUR && (troubled || rng.chance(0.03))) {
      events.push(["exception", hub, hubAt + Math.floor(rng.between(2 * HOUR, Math.min(NOW - hubAt, 20 * HOUR)))]);
      return { ...base, status: "exception", deliveredAt: null, events };
    }
    if (outForDeliveryAt < NOW) {
      events.push(["out_for_delivery", destination, outForDeliveryAt]);
      return { ...base, status: "out_for_delivery", deliveredAt: null, events };
    }
    return { ...base, status: "in_transit", deliveredAt: null, events };
  }

  const returnStart = deliveredAt + Math.floor(rng.between(2 * DAY, 10 * DAY));
  const returnedAt = returnStart + Math.floor(rng.between(3 * DAY, 6 * DAY));
  if (returnedAt < NOW && rng.chance(0.045)) {
    return {
      ...base,
      status: "returned",
      deliveredAt,
      events: [
        ["label_created", ORIGIN, shippedAt],
        ["in_transit", hub, hubAt],
        ["delivered", destination, deliveredAt],
        ["return_in_transit", destination, returnStart],
        ["returned", ORIGIN, returnedAt],
      ],
    };
  }
  const middle: ShipmentPlan["events"] = troubled
    ? [["in_transit", hub, hubAt], ["exception", hub, hubAt + 6 * HOUR]]
    : rng.sample([["in_transit", "Reno, NV", pickupAt], ["in_transit", hub, hubAt], ["out_for_delivery", destination, outForDeliveryAt]] as const, rng.int(1, 3)).map(
        ([s, l, t]) => [s, l, t] as [string, string, number],
      );
  middle.sort((a, b) => a[2] - b[2]);
  return { ...base, status: "delivered", deliveredAt, events: [["label_created", ORIGIN, shippedAt], ...middle, ["delivered", destination, deliveredAt]] };
}

// ---------------------------------------------------------------------------------------------------------------
// Invoices, payments, refunds
// ---------------------------------------------------------------------------------------------------------------

interface Invoice {
  id: string;
  customerId: string;
  period: string;
  amount: number;
  issuedAt: number;
}

interface Payment {
  id: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  method: PaymentMethod;
  status: PaymentRow["status"];
  createdAt: number;
  cardLast4: string | null;
}

interface Billing {
  invoicesByCustomer: Map<string, Invoice[]>;
}

function generateBilling(rng: Rng, customers: Customer[], w: Writer): Billing {
  const nextInvoice = idSequence("INV", 20000, 99999, 5, [STORY.duplicateCharge.invoiceId]);
  const nextPayment = idSequence("PAY", 30000, 99999, 5, STORY.duplicateCharge.paymentIds);
  const nextRefund = idSequence("RFD", 1, 9999, 4);
  const invoicesByCustomer = new Map<string, Invoice[]>();
  const payments: Payment[] = [];
  const pay = (inv: Invoice, c: Customer, status: Payment["status"], at: number, id = nextPayment()): void => {
    payments.push({ id, invoiceId: inv.id, customerId: c.id, amount: inv.amount, method: c.method, status, createdAt: at, cardLast4: c.cardLast4 });
  };

  for (const c of customers) {
    const invoices: Invoice[] = [];
    for (const period of PERIODS) {
      const [y, m] = period.split("-").map(Number) as [number, number];
      const issuedAt = Date.UTC(y, m - 1, 1, 8);
      if (issuedAt < c.createdAt || (c.status === "churned" && issuedAt >= c.activeUntil)) continue;
      const storyInvoice = c.id === STORY.duplicateCharge.customerId && period === "2026-11";
      const inv: Invoice = { id: storyInvoice ? STORY.duplicateCharge.invoiceId : nextInvoice(), customerId: c.id, period, amount: c.plan.monthly_price_cents, issuedAt };
      invoices.push(inv);

      let status: "open" | "paid" | "overdue" | "void";
      if (storyInvoice) {
        // A client retry after a gateway timeout charged the same card twice, 90 seconds apart.
        status = "paid";
        pay(inv, c, "succeeded", Date.parse("2026-11-01T08:02:11.000Z"), STORY.duplicateCharge.paymentIds[0]);
        pay(inv, c, "succeeded", Date.parse("2026-11-01T08:03:41.000Z"), STORY.duplicateCharge.paymentIds[1]);
      } else if (c.status === "suspended" && period >= "2026-10") {
        // Dunning per KB-016: automatic retries on days 1, 3 and 7; bank transfers simply never arrive.
        status = period === "2026-10" ? "overdue" : "open";
        if (c.method !== "bank_transfer") {
          const retries = period === "2026-10" ? [0, 1, 3, 7] : [0, 1, 3, 7].filter((d) => issuedAt + d * DAY + HOUR < NOW);
          for (const d of retries) pay(inv, c, "failed", issuedAt + d * DAY + rng.int(1, 50) * MINUTE);
        }
      } else if (period !== "2026-11" && rng.chance(0.012)) {
        status = "void";
      } else {
        const paidAt =
          c.method === "bank_transfer"
            ? issuedAt + Math.floor(rng.between(2 * DAY, 18 * DAY))
            : issuedAt + Math.floor(rng.between(MINUTE, c.method === "paypal" ? 3 * DAY : 2 * HOUR));
        if (paidAt >= NOW || (period === "2026-11" && rng.chance(0.08))) {
          status = "open";
        } else {
          status = "paid";
          if (c.method === "card" && rng.chance(0.06)) {
            pay(inv, c, "failed", issuedAt + rng.int(1, 30) * MINUTE);
            pay(inv, c, "succeeded", issuedAt + rng.weighted([[1, 60], [3, 40]] as const) * DAY + rng.int(1, 120) * MINUTE);
          } else {
            pay(inv, c, "succeeded", paidAt);
          }
        }
      }
      w.invoice.run(inv.id, c.id, period, inv.amount, status, iso(issuedAt), iso(issuedAt + 21 * DAY));
    }
    invoicesByCustomer.set(c.id, invoices);
  }

  // Refunds: a few past duplicate charges (refunded in full) and ordinary full or partial refunds.
  const refunds: [string, string, number, string, number][] = [];
  const refundable = payments.filter((p) => p.status === "succeeded" && !STORY_CUSTOMER_IDS.has(p.customerId) && p.createdAt < NOW - 5 * DAY);
  const refunded = new Set<Payment>();
  for (let i = 0; i < 3; i++) {
    const original = rng.pick(refundable.filter((p) => p.method === "card" && !refunded.has(p)));
    refunded.add(original);
    const dup: Payment = { ...original, id: nextPayment(), createdAt: original.createdAt + rng.int(40, 180) * 1000, status: "refunded" };
    payments.push(dup);
    refunds.push([nextRefund(), dup.id, dup.amount, `Duplicate charge on ${dup.invoiceId}: second card charge refunded in full (KB-001).`, dup.createdAt + rng.int(1, 4) * DAY]);
  }
  for (let i = 0; i < 24; i++) {
    const p = rng.pick(refundable);
    if (refunded.has(p)) continue;
    refunded.add(p);
    const at = p.createdAt + Math.floor(rng.between(DAY, Math.min(20 * DAY, NOW - HOUR - p.createdAt)));
    if (rng.chance(0.4)) {
      p.status = "refunded";
      refunds.push([nextRefund(), p.id, p.amount, "Cancelled within 30 days of payment; full refund (KB-001).", at]);
    } else {
      p.status = "partially_refunded";
      const reason = rng.pick(["Goodwill refund for a service disruption.", "Billing error: seat count corrected.", "Prorated refund approved by billing-ops."]);
      refunds.push([nextRefund(), p.id, Math.round((p.amount * rng.int(10, 50)) / 100), reason, at]);
    }
  }
  for (const p of payments) w.payment.run(p.id, p.invoiceId, p.customerId, p.amount, p.method, p.status, iso(p.createdAt), p.cardLast4);
  for (const [id, paymentId, amount, reason, at] of refunds) w.refund.run(id, paymentId, amount, reason, iso(at));
  return { invoicesByCustomer };
}

// ---------------------------------------------------------------------------------------------------------------
// Tickets, ticket messages, credits
// ---------------------------------------------------------------------------------------------------------------

type Category = TicketRow["category"];
type Priority = TicketRow["priority"];
type TicketStatus = TicketRow["status"];

interface TicketTemplate {
  subject: string;
  body: string;
  reply: string;
  needs?: "order" | "invoice";
}

const TICKET_TEMPLATES: Record<Category, readonly TicketTemplate[]> = {
  billing: [
    {
      needs: "invoice",
      subject: "Question about invoice {invoice}",
      body: "Hi, could you explain the total on {invoice}? We are on the {plan} plan and our finance team expected a different amount than {amount}. Is there a usage component we missed?",
      reply: "Hi {first}, {invoice} covers one month of the {plan} plan at {amount}; there are no usage charges on your account. I have attached the itemised PDF.",
    },
    {
      subject: "Card declined on renewal",
      body: "Our card on file was declined when the subscription renewed. We have added a new card in the billing settings. Can you retry the payment so the account is not suspended?",
      reply: "Thanks {first}. Automatic retries run on days 1, 3 and 7 after a failure (KB-016); I have triggered a retry on the new card now.",
    },
    {
      subject: "Please add our VAT number to invoices",
      body: "Our accountant needs our VAT number printed on every invoice. Can you add it and reissue the last invoice?",
      reply: "Done: the VAT number is on the account and will appear on future invoices. I have reissued your latest invoice with it.",
    },
    {
      needs: "invoice",
      subject: "Refund request for {invoice}",
      body: "We stopped using the product mid-month. Could we get a refund for {invoice} ({amount})?",
      reply: "Hi {first}, per our refund policy (KB-001) subscription payments can be refunded within 30 days of the payment date. Let me check the date of your payment for {invoice}.",
    },
    {
      subject: "Change the billing contact email",
      body: "Please send invoices to our accounts payable mailbox instead of my personal address from next month on.",
      reply: "Updated. Invoices from the next billing run will go to the new billing contact.",
    },
  ],
  shipping: [
    {
      needs: "order",
      subject: "Where is my order {order}?",
      body: "Hello, I placed {order} a few days ago and the tracking page has not updated since. When will it arrive?",
      reply: "Hi {first}, I checked {order} with the carrier: it is moving and the current estimate is within the original delivery window. I will keep an eye on it.",
    },
    {
      needs: "order",
      subject: "{order} marked delivered but not received",
      body: "Tracking for {order} says delivered, but nothing arrived at our store and the neighbours have not seen it either.",
      reply: "Sorry about that, {first}. I have opened a trace with the carrier; per KB-004 we will reship or refund if it is not found within 2 business days.",
    },
    {
      needs: "order",
      subject: "Wrong item received in {order}",
      body: "We ordered barcode scanners but {order} contained receipt paper. Please send the right items.",
      reply: "Apologies for the mix-up. I have sent a prepaid return label for the wrong item and shipped the correct one today (KB-014).",
    },
    {
      needs: "order",
      subject: "Change shipping address for {order}",
      body: "We are moving to a new location next week. Can you change the delivery address on {order}?",
      reply: "Hi {first}, addresses can only be changed before an order ships (KB-003). Let me check the status of {order}.",
    },
    {
      needs: "order",
      subject: "Damaged box on delivery ({order})",
      body: "The box for {order} arrived crushed and the card reader inside has a cracked screen. Photos attached.",
      reply: "Thank you for the photos. Damage reported within 7 days qualifies for a free replacement (KB-014); the replacement ships today.",
    },
    {
      subject: "Do you ship to P.O. boxes?",
      body: "Our mailing address is a P.O. box. Can hardware orders be delivered there?",
      reply: "USPS can deliver to P.O. boxes; UPS, FedEx and DHL cannot, so please use a street address for those carriers (KB-003).",
    },
  ],
  technical: [
    {
      subject: "Dashboard not loading after login",
      body: "Since this morning the dashboard shows a spinner forever after login. Cleared cache, tried two browsers.",
      reply: "Thanks for the details. We found a stale session token on your account and reset it; please log in again.",
    },
    {
      subject: "API returns 401 after rotating keys",
      body: "We rotated our API key and now every call returns 401 Unauthorized, even with the new key.",
      reply: "New keys take effect immediately, but the old key's scopes were not copied. I have added the missing scopes to the new key.",
    },
    {
      subject: "Webhook deliveries delayed by hours",
      body: "Order webhooks are arriving two to three hours late. Our fulfilment depends on them.",
      reply: "The notifications queue had a backlog that has now drained; deliveries are back under a minute. Sorry for the delay.",
    },
    {
      subject: "New products missing from search",
      body: "Products we added yesterday do not show up in storefront search.",
      reply: "The search index for your store was behind; I triggered a reindex, which completes within 30 minutes.",
    },
    {
      subject: "Sensor offline after firmware 3.2 update",
      body: "Two temperature sensors went offline right after the firmware 3.2 update and do not reconnect.",
      reply: "Firmware 3.2 needs a power cycle on some sensors: hold the button for 10 seconds until the LED blinks blue.",
    },
    {
      subject: "CSV export times out",
      body: "Exporting our order history to CSV fails with a timeout every time.",
      reply: "Exports over 50,000 rows now run in the background; you will receive a download link by email.",
    },
  ],
  account: [
    {
      subject: "Add a new admin user",
      body: "Please give our new operations manager admin rights on the account.",
      reply: "Admins can invite other admins under Settings > Team; I have sent the invitation on your behalf.",
    },
    {
      subject: "Locked out, need a 2FA reset",
      body: "I lost my phone and cannot log in because of two-factor authentication.",
      reply: "After verifying your identity (KB-017) I reset 2FA; you will be asked to enroll a new device at next login.",
    },
    {
      subject: "Change the company name on the account",
      body: "We rebranded. Please update the company name shown on invoices and the dashboard.",
      reply: "Updated. The new name appears on invoices from the next billing run.",
    },
    {
      subject: "How do I close our account?",
      body: "We are consolidating tools and want to cancel at the end of this billing period.",
      reply: "Cancellation takes effect at the end of the current billing period (KB-007); I have scheduled it and your data is kept for 90 days afterwards.",
    },
    {
      subject: "Upgrade from {plan} to a higher plan",
      body: "We need phone support. What does an upgrade from {plan} cost and when does it take effect?",
      reply: "Upgrades take effect immediately with a prorated charge for the rest of the month (KB-010).",
    },
  ],
  other: [
    {
      subject: "Feature request: scheduled reports",
      body: "It would help us a lot to get the weekly sales report emailed every Monday morning.",
      reply: "Thanks for the suggestion, I have passed it to the product team.",
    },
    {
      subject: "Data retention question for our audit",
      body: "Our auditors ask how long you keep our transaction data and logs.",
      reply: "Retention is described in KB-006: account data for the life of the contract plus 90 days, application logs for 30 days.",
    },
    {
      subject: "Reseller partnership inquiry",
      body: "We install POS hardware for restaurants and would like to resell your hardware and subscriptions.",
      reply: "Thanks for reaching out; I have forwarded your details to our partnerships team, who reply within 5 business days.",
    },
    {
      subject: "Feedback on onboarding",
      body: "Onboarding was smooth, but the hardware setup guide skips the Wi-Fi pairing step.",
      reply: "Thank you! The guide has been updated with the pairing step.",
    },
  ],
};

const ESCALATION_TEAMS: Record<Category, string> = {
  billing: "billing-ops",
  shipping: "logistics",
  technical: "engineering",
  account: "tier2-support",
  other: "tier2-support",
};

interface TicketPlan {
  id: string;
  customer: Customer;
  subject: string;
  body: string;
  category: Category;
  priority: Priority;
  status: TicketStatus;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  escalatedTo: string | null;
  messages: ["customer" | "agent" | "system", string, number][];
  /** Who escalated and when, for the #support-escalations post. */
  escalation: { by: string; at: number } | null;
}

function storyTickets(byId: Map<string, Customer>): Map<string, TicketPlan> {
  const customer = (id: string) => byId.get(id)!;
  const dup = STORY.duplicateCharge;
  const stuck = STORY.stuckShipment;
  const breach = STORY.slaBreach;
  const at = (s: string) => Date.parse(s);
  const rows: TicketPlan[] = [
    {
      id: dup.ticketId,
      customer: customer(dup.customerId),
      subject: "Charged twice for our November invoice",
      body: `Hi, our company card ending 7719 was charged $99.00 twice on November 1 for invoice ${dup.invoiceId}, about a minute and a half apart. We only have one Pro subscription. Please refund the duplicate charge.`,
      category: "billing",
      priority: "high",
      status: "open",
      createdAt: at("2026-11-16T07:48:00.000Z"),
      firstResponseAt: null,
      resolvedAt: null,
      escalatedTo: null,
      messages: [],
      escalation: null,
    },
    {
      id: stuck.ticketId,
      customer: customer(stuck.customerId),
      subject: `Where is my order ${stuck.orderId}?`,
      body: `Hello, I ordered two barcode scanners and label rolls (${stuck.orderId}) on November 4. It was supposed to arrive by November 10, but UPS tracking has shown an exception at the Louisville hub since November 10. Where is it and when will I get it?`,
      category: "shipping",
      priority: "normal",
      status: "open",
      createdAt: at("2026-11-15T20:14:00.000Z"),
      firstResponseAt: null,
      resolvedAt: null,
      escalatedTo: null,
      messages: [],
      escalation: null,
    },
    {
      id: breach.ticketId,
      customer: customer(breach.customerId),
      subject: "Card payments failing at checkout for our clinics",
      body: "Since about 07:00 UTC roughly one in ten card payments in our clinics' online checkout fails with an error and patients have to retry. All 14 of our locations are affected. Please treat this as urgent.",
      category: "technical",
      priority: "urgent",
      status: "escalated",
      createdAt: at("2026-11-16T07:20:00.000Z"),
      firstResponseAt: at("2026-11-16T08:50:00.000Z"),
      resolvedAt: null,
      escalatedTo: "engineering",
      messages: [
        ["customer", "Any update? It has been 45 minutes and we have not heard back. Our front desks are taking payments by phone.", at("2026-11-16T08:05:00.000Z")],
        [
          "agent",
          `Hi Grace, apologies for the slow response. We are tracking an active incident (${STORY.paymentsIncident.incidentId}) with elevated errors on card payments; bank transfer and PayPal are unaffected. Engineering is on it and I will update you within the hour.`,
          at("2026-11-16T08:50:00.000Z"),
        ],
        ["system", `Escalated to engineering (linked to ${STORY.paymentsIncident.incidentId}).`, at("2026-11-16T08:51:00.000Z")],
      ],
      escalation: null,
    },
  ];
  for (const t of rows) t.messages.unshift(["customer", t.body, t.createdAt]);
  return new Map(rows.map((t) => [t.id, t]));
}

type ChannelMessage = [channel: string, author: string, body: string, at: number];

/** Writes tickets, their messages and credits; returns the #support-escalations posts of the last 30 days. */
function generateTickets(rng: Rng, customers: Customer[], orders: Order[], billing: Billing, w: Writer): ChannelMessage[] {
  const byId = new Map(customers.map((c) => [c.id, c]));
  const pinned = storyTickets(byId);
  const ordersByCustomer = new Map<string, Order[]>();
  for (const o of orders) ordersByCustomer.set(o.customerId, [...(ordersByCustomer.get(o.customerId) ?? []), o]);
  const candidates = customers.filter((c) => !STORY_CUSTOMER_IDS.has(c.id));
  const nextMessage = idSequence("MSG", 1, 999999, 6);
  const nextCredit = idSequence("CRD", 1, 9999, 4);
  const count = Math.round(customers.length * 2.5);
  const posts: ChannelMessage[] = [];

  for (let i = 0; i < count; i++) {
    const id = `TCK-${5000 + i}`;
    const t = pinned.get(id) ?? randomTicket(rng, id, candidates, ordersByCustomer, billing);
    w.ticket.run(
      t.id, t.customer.id, t.subject, t.body, t.category, t.priority, t.status, iso(t.createdAt),
      t.firstResponseAt === null ? null : iso(t.firstResponseAt), t.resolvedAt === null ? null : iso(t.resolvedAt), t.escalatedTo,
    );
    for (const [author, body, at] of t.messages) w.ticketMessage.run(nextMessage(), t.id, author, body, iso(at));
    if (t.escalation && t.escalation.at > NOW - 30 * DAY) {
      const c = t.customer;
      const post = `${t.id} (${c.id}, ${c.plan.name}, ${t.priority}): "${t.subject}". Escalated to ${t.escalatedTo}.`;
      posts.push(["#support-escalations", t.escalation.by, post, t.escalation.at]);
    }

    if (pinned.has(id) || t.resolvedAt === null) continue;
    const sla = t.customer.plan.sla_first_response_h;
    const responseHours = (t.firstResponseAt! - t.createdAt) / HOUR;
    if (responseHours > sla && rng.chance(0.5)) {
      const amount = Math.round(t.customer.plan.monthly_price_cents / 10);
      const approval = amount > CREDIT_APPROVAL_CENTS ? `; approved by ${SUPPORT_LEAD}` : "";
      const reason = `SLA breach on ${t.id}: first response after ${responseHours.toFixed(1)} h (${t.customer.plan.name} SLA ${sla} h); 10% of the monthly fee per KB-002${approval}.`;
      w.credit.run(nextCredit(), t.customer.id, amount, reason, t.id, iso(t.resolvedAt));
    } else if (t.category === "shipping" && rng.chance(0.12)) {
      w.credit.run(nextCredit(), t.customer.id, rng.int(5, 25) * 100, "Goodwill credit for a delayed delivery (KB-004).", t.id, iso(t.resolvedAt));
    }
  }
  return posts;
}

function randomTicket(rng: Rng, id: string, candidates: Customer[], ordersByCustomer: Map<string, Order[]>, billing: Billing): TicketPlan {
  let customer = rng.pick(candidates);
  const window = (c: Customer) => [Math.max(c.createdAt + HOUR, NOW - 180 * DAY), Math.min(c.activeUntil + 3 * DAY, NOW - 5 * MINUTE)] as const;
  while (window(customer)[1] - window(customer)[0] < DAY) customer = rng.pick(candidates);
  const [lo, hi] = window(customer);
  const createdAt = Math.floor(lo + (hi - lo) * (1 - rng.next() ** 1.8));

  const category = rng.weighted([["billing", 30], ["shipping", 25], ["technical", 25], ["account", 12], ["other", 8]] as const);
  const order = (ordersByCustomer.get(customer.id) ?? []).filter((o) => o.createdAt < createdAt).sort((a, b) => b.createdAt - a.createdAt)[0];
  const invoice = (billing.invoicesByCustomer.get(customer.id) ?? []).filter((inv) => inv.issuedAt < createdAt).at(-1);
  const usable = TICKET_TEMPLATES[category].filter((tp) => (tp.needs === "order" ? order : tp.needs === "invoice" ? invoice : true));
  const template = rng.pick(usable);
  const fill = (text: string) =>
    text
      .replaceAll("{order}", order?.id ?? "")
      .replaceAll("{invoice}", invoice?.id ?? "")
      .replaceAll("{amount}", invoice ? dollars(invoice.amount) : "")
      .replaceAll("{plan}", customer.plan.name)
      .replaceAll("{first}", customer.name.split(" ")[0]!);
  const priority =
    category === "technical"
      ? rng.weighted([["low", 10], ["normal", 45], ["high", 30], ["urgent", 15]] as const)
      : rng.weighted([["low", 25], ["normal", 55], ["high", 17], ["urgent", 3]] as const);

  const t: TicketPlan = {
    id,
    customer,
    subject: fill(template.subject),
    body: fill(template.body),
    category,
    priority,
    status: "open",
    createdAt,
    firstResponseAt: null,
    resolvedAt: null,
    escalatedTo: null,
    messages: [],
    escalation: null,
  };
  t.messages.push(["customer", t.body, createdAt]);
  const agent = rng.pick(SUPPORT_AGENTS);
  const sla = customer.plan.sla_first_response_h * HOUR;
  const firstResponseAt = createdAt + Math.floor(sla * (rng.chance(0.08) ? rng.between(1.05, 3) : rng.between(0.05, 0.85)));
  if (firstResponseAt >= NOW) return t;

  t.firstResponseAt = firstResponseAt;
  t.messages.push(["agent", `${fill(template.reply)} (${agent})`, firstResponseAt]);
  let resolvedAt = firstResponseAt + Math.floor(customer.plan.sla_resolution_h * HOUR * rng.between(0.05, 1.1));
  const old = createdAt < NOW - 30 * DAY;
  if (old || (resolvedAt < NOW && rng.chance(0.93))) {
    if (resolvedAt >= NOW) resolvedAt = Math.floor(rng.between(firstResponseAt, NOW - MINUTE));
    if (rng.chance(0.1)) t.escalatedTo = ESCALATION_TEAMS[category];
    if (rng.chance(0.4)) t.messages.push(["customer", "Thanks, that sorted it.", Math.floor(rng.between(firstResponseAt, resolvedAt))]);
    t.messages.push(["system", `Ticket marked resolved by ${agent}.`, resolvedAt]);
    t.resolvedAt = resolvedAt;
    t.status = "resolved";
    if (resolvedAt < NOW - 7 * DAY && rng.chance(0.8)) {
      t.status = "closed";
      t.messages.push(["system", "Ticket closed automatically 7 days after resolution.", resolvedAt + 7 * DAY]);
    }
    return t;
  }
  t.status = rng.weighted([["open", 35], ["pending", 45], ["escalated", 20]] as const);
  if (t.status === "escalated") {
    t.escalatedTo = ESCALATION_TEAMS[category];
    let at = firstResponseAt + Math.floor(rng.between(10 * MINUTE, 4 * HOUR));
    if (at >= NOW) at = Math.floor(rng.between(firstResponseAt, NOW));
    t.messages.push(["system", `Escalated to ${t.escalatedTo} by ${agent}.`, at]);
    t.escalation = { by: agent, at };
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Incidents and incident updates
// ---------------------------------------------------------------------------------------------------------------

type Severity = IncidentRow["severity"];
type Service = (typeof SERVICES)[number];

interface FailureMode {
  title: (s: Service) => string;
  cause: string;
  fix: string;
  log: (rng: Rng, s: Service) => string;
}

const FAILURE_MODES: readonly FailureMode[] = [
  {
    title: (s) => `Elevated 5xx error rate on ${s.id}`,
    cause: "a release shipped a connection pool limit of 10 instead of 100",
    fix: "Rolled back to the previous release and added a config check to CI",
    log: (rng, s) => `HTTP 500 ${rng.pick(profile(s.id).paths)}: connection pool exhausted (max=10, waiting=${rng.int(40, 140)})`,
  },
  {
    title: (s) => `Elevated p95 latency on ${s.id}`,
    cause: "a schema migration dropped an index and a hot query fell back to a full table scan",
    fix: "Recreated the index concurrently; latency recovered within 10 minutes",
    log: (rng, s) => `request timeout after 5000ms ${rng.pick(profile(s.id).paths)} (slow query ${rng.int(4200, 9800)}ms)`,
  },
  {
    title: (s) => `${s.name} partial outage in us-east-1b`,
    cause: "a network partition isolated availability zone us-east-1b",
    fix: "Drained us-east-1b and served from the two healthy zones until the provider recovered",
    log: () => "upstream connect error: 503 no healthy hosts in us-east-1b",
  },
  {
    title: (s) => `TLS handshake failures on ${s.id}`,
    cause: "an intermediate certificate on the load balancer expired",
    fix: "Rotated the certificate and added an expiry alert at 21 days",
    log: (_rng, s) => `TLS handshake failed: certificate has expired (CN=${s.id}.internal)`,
  },
  {
    title: (s) => `Queue backlog in ${s.id}`,
    cause: "consumers deadlocked after a client library upgrade",
    fix: "Restarted consumers, pinned the library version and drained the backlog",
    log: (rng) => `consumer lag ${rng.int(20000, 180000)} messages; worker pool deadlock detected`,
  },
  {
    title: (s) => `Memory exhaustion restarts on ${s.id}`,
    cause: "a memory leak in response serialization for large payloads",
    fix: "Deployed a fix that streams large responses and raised the memory alert sensitivity",
    log: (rng) => `process exited with code 137 (OOMKilled), restarting (restarts=${rng.int(2, 30)})`,
  },
  {
    title: (s) => `Upstream dependency timeouts on ${s.id}`,
    cause: "a third-party provider had a regional degradation",
    fix: "Failed over to the secondary provider region and tightened client timeouts to 3 s",
    log: (rng, s) => `upstream ${rng.pick(profile(s.id).deps)} timeout after 10000ms`,
  },
  {
    title: (s) => `Disk full on ${s.id} primary`,
    cause: "debug logging left enabled after a previous incident filled the data volume",
    fix: "Disabled debug logging, expanded the volume by 200 GB and added a 80% disk alert",
    log: (_rng, s) => `write failed: ENOSPC no space left on device (/var/lib/${s.id})`,
  },
];

interface Incident {
  id: string;
  service: Service;
  severity: Severity;
  status: IncidentRow["status"];
  title: string;
  startedAt: number;
  resolvedAt: number | null;
  mode: FailureMode | null;
  updates: [body: string, isPublic: boolean, at: number][];
}

const SEVERITY_MINUTES: Record<Severity, [number, number]> = { sev1: [30, 240], sev2: [20, 180], sev3: [15, 360], sev4: [30, 720] };
const serviceById = (id: string): Service => SERVICES.find((s) => s.id === id)!;

function generateIncidents(rng: Rng, w: Writer): Incident[] {
  const incidents: Incident[] = [];
  for (let i = 0; i < RANDOM_INCIDENTS; i++) {
    const service = rng.weighted(SERVICES.map((s) => [s, s.tier === 1 ? 3 : s.tier === 2 ? 2 : 1] as const));
    const severity = rng.weighted([["sev1", 5], ["sev2", 20], ["sev3", 45], ["sev4", 30]] as const);
    // Three land in the last week so the hourly metrics show resolved spikes next to the open incident.
    const startedAt = i < 3 ? NOW - Math.floor(rng.between(30 * HOUR, 6 * DAY)) : NOW - Math.floor(rng.between(8 * DAY, 182 * DAY));
    const [minM, maxM] = SEVERITY_MINUTES[severity];
    const minutes = rng.int(minM, maxM);
    const mode = rng.pick(FAILURE_MODES);
    const resolvedAt = startedAt + minutes * MINUTE;
    const isPublic = severity === "sev1" || severity === "sev2";
    const at = (fraction: number) => startedAt + Math.floor(minutes * MINUTE * fraction);
    const updates: Incident["updates"] = [[`Alert fired for ${service.id}; paged ${service.oncall}. Investigating.`, false, startedAt + rng.int(2, 6) * MINUTE]];
    if (isPublic) {
      updates.push([`We are investigating degraded performance of ${service.name}. Next update within ${severity === "sev1" ? 30 : 60} minutes.`, true, startedAt + rng.int(8, 14) * MINUTE]);
    }
    updates.push([`Identified: ${mode.cause}.`, false, at(0.4)]);
    if (isPublic || rng.chance(0.5)) updates.push([`A fix has been applied and we are monitoring recovery of ${service.name}.`, isPublic, at(0.75)]);
    updates.push([`Resolved after ${minutes} minutes. ${mode.fix}.`, isPublic, resolvedAt]);
    incidents.push({ id: "", service, severity, status: "resolved", title: mode.title(service), startedAt, resolvedAt, mode, updates });
  }
  incidents.sort((a, b) => a.startedAt - b.startedAt);

  const analytics = serviceById(STORY.degradedTier3.serviceId);
  const analyticsStart = NOW - 20 * HOUR;
  incidents.push({
    id: "",
    service: analytics,
    severity: "sev3",
    status: "identified",
    title: "Nightly aggregation jobs delayed; dashboards stale",
    startedAt: analyticsStart,
    resolvedAt: null,
    mode: null,
    updates: [
      [`Alert fired: aggregation backlog above 20 jobs; ${analytics.oncall} notified (sev3, no page outside business hours).`, false, analyticsStart + 4 * MINUTE],
      ["Identified: spot instance reclamation shrank the Spark executor pool from 16 to 4 nodes; 31 jobs queued. Reports are up to 6 hours stale.", false, analyticsStart + 95 * MINUTE],
      ["Requested on-demand capacity; backlog draining at about 3 jobs per hour. Customer-facing services are not affected.", false, analyticsStart + 14 * HOUR],
    ],
  });

  const payments = serviceById(STORY.paymentsIncident.serviceId);
  const paymentsStart = NOW - 2 * HOUR;
  incidents.push({
    id: "",
    service: payments,
    severity: "sev2",
    status: "investigating",
    title: "Elevated 5xx errors on payments-api",
    startedAt: paymentsStart,
    resolvedAt: null,
    mode: null,
    updates: [
      ["Alert fired: payments-api 5xx rate 8.4% over 5 minutes (threshold 2%). Paged @maya.chen.", false, paymentsStart + 3 * MINUTE],
      ["Acknowledged by @maya.chen. Errors are 502/503 on POST /v1/charges; read endpoints are healthy.", false, paymentsStart + 9 * MINUTE],
      ["We are investigating elevated error rates affecting card payments. Some checkout attempts may fail; retrying usually succeeds. Next update by 08:30 UTC.", true, paymentsStart + 24 * MINUTE],
      ["Failures correlate with timeouts to the card-processor upstream (p95 9.8 s, normally 350 ms). No payments-api deploy since 2026-11-13. Case opened with the processor.", false, paymentsStart + 72 * MINUTE],
      ["We are still investigating elevated error rates on card payments. Bank transfer and PayPal payments are unaffected. Next update by 09:30 UTC.", true, paymentsStart + 91 * MINUTE],
    ],
  });

  incidents.forEach((inc, i) => (inc.id = `INC-${700 + i}`));
  for (const inc of incidents) {
    const summary = inc.mode
      ? `Impact: ${inc.service.name} was degraded for ${(inc.resolvedAt! - inc.startedAt) / MINUTE} minutes. Root cause: ${inc.mode.cause}. Resolution: ${inc.mode.fix}.`
      : inc.service.id === payments.id
        ? "Since 07:00 UTC 8-12% of POST /v1/charges requests fail with 502/503, so card payments at checkout intermittently fail. Bank transfer and PayPal are unaffected. Timeouts to the upstream card processor are suspected; cause still under investigation."
        : "Nightly aggregation jobs are delayed because the Spark executor pool lost 12 of 16 spot nodes; dashboards and scheduled reports are up to 6 hours stale. No customer-facing API is affected.";
    w.incident.run(inc.id, inc.service.id, inc.title, inc.severity, inc.status, iso(inc.startedAt), inc.resolvedAt === null ? null : iso(inc.resolvedAt), summary);
    for (const [body, isPublic, at] of inc.updates) w.incidentUpdate.run(inc.id, body, isPublic ? 1 : 0, iso(at));
  }
  return incidents;
}

// ---------------------------------------------------------------------------------------------------------------
// Metrics and logs
// ---------------------------------------------------------------------------------------------------------------

interface ServiceProfile {
  p95: number;
  errorRate: number;
  requestsPerHour: number;
  paths: readonly string[];
  deps: readonly string[];
}

const PROFILES: Record<string, ServiceProfile> = {
  "payments-api": { p95: 180, errorRate: 0.002, requestsPerHour: 42000, paths: ["POST /v1/charges", "POST /v1/refunds", "GET /v1/payments"], deps: ["card-processor", "postgres-payments", "auth-service"] },
  "checkout-web": { p95: 320, errorRate: 0.003, requestsPerHour: 65000, paths: ["GET /checkout", "POST /checkout/pay", "GET /cart"], deps: ["payments-api", "orders-api", "cdn-edge"] },
  "orders-api": { p95: 140, errorRate: 0.002, requestsPerHour: 38000, paths: ["POST /v1/orders", "GET /v1/orders/:id", "PATCH /v1/orders/:id"], deps: ["inventory-db", "payments-api", "postgres-orders"] },
  "shipping-api": { p95: 240, errorRate: 0.004, requestsPerHour: 12000, paths: ["POST /v1/labels", "GET /v1/tracking/:id", "POST /v1/rates"], deps: ["carrier-gateway", "orders-api"] },
  "auth-service": { p95: 70, errorRate: 0.001, requestsPerHour: 90000, paths: ["POST /oauth/token", "GET /v1/session", "POST /v1/mfa/verify"], deps: ["redis-sessions", "postgres-identity"] },
  "search-api": { p95: 160, errorRate: 0.002, requestsPerHour: 55000, paths: ["GET /v1/search", "GET /v1/suggest", "POST /v1/index"], deps: ["opensearch-cluster", "inventory-db"] },
  notifications: { p95: 110, errorRate: 0.003, requestsPerHour: 20000, paths: ["POST /v1/send", "POST /v1/webhooks/dispatch", "GET /v1/templates"], deps: ["email-provider", "sms-provider", "kafka"] },
  "billing-worker": { p95: 850, errorRate: 0.002, requestsPerHour: 3000, paths: ["job invoice.generate", "job payment.retry", "job credit.apply"], deps: ["payments-api", "postgres-billing"] },
  "inventory-db": { p95: 18, errorRate: 0.0005, requestsPerHour: 150000, paths: ["SELECT stock_levels", "UPDATE reservations", "SELECT products"], deps: ["ebs-volume", "replica-2"] },
  "analytics-pipeline": { p95: 2600, errorRate: 0.006, requestsPerHour: 1500, paths: ["job aggregate.daily", "job export.warehouse", "job report.weekly"], deps: ["spark-cluster", "s3-datalake"] },
  "support-portal": { p95: 380, errorRate: 0.004, requestsPerHour: 4000, paths: ["GET /tickets", "POST /tickets/:id/reply", "GET /kb/search"], deps: ["auth-service", "postgres-support"] },
  "cdn-edge": { p95: 35, errorRate: 0.0008, requestsPerHour: 400000, paths: ["GET /static/*", "GET /img/*", "GET /js/*"], deps: ["origin-s3", "checkout-web"] },
};
const profile = (id: string): ServiceProfile => PROFILES[id]!;

const SEVERITY_IMPACT: Record<Severity, { error: number; latency: number }> = {
  sev1: { error: 0.25, latency: 5 },
  sev2: { error: 0.09, latency: 3 },
  sev3: { error: 0.03, latency: 1.8 },
  sev4: { error: 0.01, latency: 1.3 },
};

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function generateMetrics(rng: Rng, incidents: Incident[], w: Writer): void {
  for (const s of SERVICES) {
    const p = profile(s.id);
    const own = incidents.filter((i) => i.service.id === s.id && (i.resolvedAt ?? NOW) > NOW - 7 * DAY);
    for (let ts = NOW - 168 * HOUR; ts < NOW; ts += HOUR) {
      const hour = new Date(ts).getUTCHours();
      const diurnal = 0.6 + 0.4 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
      let latency = p.p95 * rng.between(0.92, 1.08);
      let errorRate = p.errorRate * rng.between(0.7, 1.3);
      for (const inc of own) {
        const overlap = Math.max(0, Math.min(ts + HOUR, inc.resolvedAt ?? NOW) - Math.max(ts, inc.startedAt)) / HOUR;
        const impact = SEVERITY_IMPACT[inc.severity];
        latency *= 1 + overlap * (impact.latency - 1);
        errorRate += overlap * impact.error * rng.between(0.85, 1.2);
      }
      w.metric.run(s.id, iso(ts), round(latency, 1), round(Math.min(errorRate, 1), 5), Math.round(p.requestsPerHour * diurnal * rng.between(0.9, 1.1)));
    }
  }
}

function generateLogs(rng: Rng, incidents: Incident[], w: Writer): void {
  const lines: [service: string, ts: number, level: string, message: string][] = [];
  const from = NOW - 3 * DAY;
  for (const s of SERVICES) {
    const p = profile(s.id);
    for (let i = 0; i < 60; i++) {
      const ts = Math.floor(rng.between(from, NOW));
      const level = rng.weighted([["info", 70], ["debug", 18], ["warn", 12]] as const);
      const path = rng.pick(p.paths);
      const message =
        level === "info"
          ? rng.pick([`${path} 200 in ${Math.round(p.p95 * rng.between(0.2, 0.9))}ms`, "health check ok", `config reloaded (revision ${rng.int(1200, 1300)})`])
          : level === "debug"
            ? rng.pick([`cache hit ratio ${rng.between(0.85, 0.99).toFixed(2)}`, `connection pool in use ${rng.int(3, 40)}/100`])
            : rng.pick([`slow request ${path} took ${Math.round(p.p95 * rng.between(3, 6))}ms`, `retrying ${rng.pick(p.deps)} call (attempt 2/3)`]);
      lines.push([s.id, ts, level, message]);
    }
  }
  for (const inc of incidents.filter((i) => (i.resolvedAt ?? NOW) > from && i.mode)) {
    const end = inc.resolvedAt ?? NOW;
    const errors = { sev1: 25, sev2: 15, sev3: 8, sev4: 4 }[inc.severity];
    for (let i = 0; i < errors; i++) lines.push([inc.service.id, Math.floor(rng.between(Math.max(inc.startedAt, from), end)), "error", inc.mode!.log(rng, inc.service)]);
  }

  // The open payments incident: card-processor timeouts surface as 502/503 in payments-api and in its callers.
  const start = NOW - 2 * HOUR;
  const reqId = () => `req_${rng.digits(10)}`;
  for (let i = 0; i < 48; i++) {
    const ts = Math.floor(rng.between(start, NOW));
    lines.push(["payments-api", ts, "error", rng.weighted([
      [`POST /v1/charges 503 upstream=card-processor timeout after 10000ms ${reqId()}`, 6],
      [`POST /v1/charges 502 bad gateway from card-processor ${reqId()}`, 3],
      [`circuit breaker OPEN for card-processor (failure rate ${rng.int(35, 48)}% over 60s)`, 1],
    ] as const)]);
  }
  for (let i = 0; i < 10; i++) lines.push(["payments-api", Math.floor(rng.between(start, NOW)), "warn", `card-processor p95 ${rng.int(8200, 9900)}ms exceeds 2000ms budget`]);
  for (let i = 0; i < 12; i++) lines.push(["checkout-web", Math.floor(rng.between(start + 5 * MINUTE, NOW)), "error", `POST /checkout/pay failed: payments-api responded 503 ${reqId()}`]);
  for (let i = 0; i < 6; i++) lines.push(["orders-api", Math.floor(rng.between(start + 5 * MINUTE, NOW)), "warn", "payment authorization failed for new order; retrying once"]);
  for (let i = 0; i < 8; i++) lines.push(["analytics-pipeline", Math.floor(rng.between(NOW - 20 * HOUR, NOW)), rng.chance(0.5) ? "error" : "warn", `job aggregate.daily waiting for executors (available 4/16, queued ${rng.int(24, 31)})`]);

  lines.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  for (const [service, ts, level, message] of lines) w.log.run(service, iso(ts), level, message);
}

// ---------------------------------------------------------------------------------------------------------------
// Channel messages
// ---------------------------------------------------------------------------------------------------------------

function generateChannelMessages(rng: Rng, incidents: Incident[], escalationPosts: ChannelMessage[], w: Writer): void {
  const messages: ChannelMessage[] = [...escalationPosts];
  const incChannel = (s: Service) => `#inc-${s.owner_team}`;

  for (const inc of incidents.filter((i) => i.mode)) {
    const ch = incChannel(inc.service);
    const minutes = (inc.resolvedAt! - inc.startedAt) / MINUTE;
    messages.push([ch, inc.service.oncall, `Declared ${inc.id} (${inc.severity}): ${inc.title}. Investigating.`, inc.startedAt + 5 * MINUTE]);
    messages.push([ch, inc.service.oncall, `Identified: ${inc.mode!.cause}.`, inc.startedAt + Math.floor(minutes * 0.4 * MINUTE) + MINUTE]);
    const postmortem = inc.severity === "sev1" || inc.severity === "sev2" ? " Postmortem due within 5 business days." : "";
    messages.push([ch, inc.service.oncall, `${inc.id} resolved after ${minutes} min. ${inc.mode!.fix}.${postmortem}`, inc.resolvedAt! + 2 * MINUTE]);
  }

  const at = (s: string) => Date.parse(s);
  const story: [string, string, string, string][] = [
    ["#inc-payments", "@pagerduty", "[TRIGGERED] payments-api: 5xx rate 8.4% > 2% for 5m. Paging @maya.chen.", "2026-11-16T07:03:00.000Z"],
    ["#inc-payments", "@maya.chen", "ack, looking. 502/503 on POST /v1/charges only, reads are fine.", "2026-11-16T07:08:00.000Z"],
    ["#inc-payments", "@maya.chen", `Declared ${STORY.paymentsIncident.incidentId} (sev2): Elevated 5xx errors on payments-api. I'm incident commander for now.`, "2026-11-16T07:11:00.000Z"],
    ["#inc-payments", "@leo.park", "checkout-web sees the payment step failing on ~9% of attempts, matches the spike.", "2026-11-16T07:16:00.000Z"],
    ["#inc-payments", SUPPORT_LEAD, "Support here. Status page post is going out per KB-013 (sev2: within 30 min, updates hourly).", "2026-11-16T07:23:00.000Z"],
    ["#inc-payments", "@maya.chen", "No deploys to payments-api since Nov 13 (v4.18.2). card-processor p95 jumped from 350 ms to 9.8 s at 06:58.", "2026-11-16T07:41:00.000Z"],
    ["#inc-payments", "@ana.souza", "orders-api retries on payment failure were doubling load; throttled retries to 1.", "2026-11-16T08:04:00.000Z"],
    ["#inc-payments", "@maya.chen", "Opened a case with the card processor. Bank transfer and PayPal unaffected. Still investigating.", "2026-11-16T08:13:00.000Z"],
    ["#inc-payments", SUPPORT_LEAD, `Enterprise customer ${STORY.slaBreach.customerId} (Whitman Health Systems) is affected, ${STORY.slaBreach.ticketId}. They are asking about service credits.`, "2026-11-16T08:36:00.000Z"],
    ["#inc-payments", "@maya.chen", "Error rate steady around 10%. Next status page update 09:30 UTC.", "2026-11-16T08:52:00.000Z"],
    ["#inc-data", "@lena.vogel", `${STORY.degradedTier3.incidentId}: spot reclamation took 12 of 16 Spark nodes; requested on-demand capacity. Dashboards up to 6 h stale.`, "2026-11-15T14:40:00.000Z"],
    ["#support-escalations", "@sam.rivera", `${STORY.stuckShipment.ticketId}: ${STORY.stuckShipment.customerId} asks about ${STORY.stuckShipment.orderId}; UPS shows an exception at Louisville since Nov 10. Logistics, can someone open a carrier trace?`, "2026-11-15T20:31:00.000Z"],
    ["#support-escalations", "@nina.kowalski", `${STORY.duplicateCharge.customerId} reports a double charge on their November invoice (${STORY.duplicateCharge.ticketId}). Anyone seen other duplicate charges this week?`, "2026-11-16T07:55:00.000Z"],
    ["#support-escalations", SUPPORT_LEAD, `${STORY.slaBreach.ticketId} (${STORY.slaBreach.customerId}, Enterprise, urgent): first response went out at 08:50, 1 h 30 min after creation, so the 1 h SLA is breached. Linked to ${STORY.paymentsIncident.incidentId}.`, "2026-11-16T08:53:00.000Z"],
  ];
  for (const [ch, author, body, when] of story) messages.push([ch, author, body, at(when)]);

  // Two weeks of #ops chatter: deploys and the Monday on-call handoff.
  for (let day = 14; day >= 1; day--) {
    const dayStart = NOW - day * DAY;
    for (let i = rng.int(1, 3); i > 0; i--) {
      const s = rng.pick(SERVICES.filter((x) => x.id !== STORY.paymentsIncident.serviceId || day > 3));
      const version = `v${rng.int(1, 6)}.${rng.int(0, 30)}.${rng.int(0, 9)}`;
      messages.push(["#ops", s.oncall, `Deploying ${s.id} ${version} (canary 5% for 15 min, then 100%).`, dayStart + Math.floor(rng.between(HOUR, 9 * HOUR))]);
    }
    if (new Date(dayStart).getUTCDay() === 1) {
      messages.push(["#ops", "@omar.haddad", `On-call handoff: primaries this week are ${SERVICES.map((s) => `${s.id} ${s.oncall}`).join(", ")}.`, dayStart]);
    }
  }
  messages.push(["#ops", "@omar.haddad", `Heads-up: ${STORY.paymentsIncident.serviceId} is degraded (${STORY.paymentsIncident.incidentId}), follow in #inc-payments. Deploy freeze for payments and checkout until resolved.`, at("2026-11-16T07:30:00.000Z")]);

  messages.sort((a, b) => a[3] - b[3] || a[0].localeCompare(b[0]));
  const nextId = idSequence("CHM", 1, 99999, 5);
  for (const [channel, author, body, when] of messages) w.channelMessage.run(nextId(), channel, author, body, iso(when));
}

// ---------------------------------------------------------------------------------------------------------------
// Knowledge base
// ---------------------------------------------------------------------------------------------------------------

const policy = (n: number, title: string, tags: string, body: string, updated: string): ArticleRow => ({
  id: `KB-${String(n).padStart(3, "0")}`,
  kind: "policy",
  title,
  body,
  tags,
  service_id: null,
  updated_at: `${updated}T00:00:00.000Z`,
});

const planLine = (p: Plan) =>
  `${p.name} (${p.id}, ${dollars(p.monthly_price_cents)}/month): first response within ${p.sla_first_response_h} h, resolution within ${p.sla_resolution_h} h, uptime target ${p.uptime_target_pct}%, channels: ${p.support_channels.replaceAll(",", ", ")}.`;

function knowledgeBase(): ArticleRow[] {
  return [...policies(), ...SERVICES.map(runbook), ...faqs()];
}

function policies(): ArticleRow[] {
  return [
    policy(1, "Refund policy", "refund,billing,duplicate charge,payments", [
      "Subscription payments can be refunded in full if the customer asks within 30 days of the payment date. After 30 days we do not refund subscription fees; offer a service credit instead (KB-002) when the customer was affected by an outage or SLA breach.",
      "Duplicate charges are always refunded in full, regardless of age: when the same invoice has two or more succeeded payments of the same amount, refund every payment after the first one and leave the first in place. Verify the duplicate on the invoice before refunding, never refund the original payment, and never refund more than was charged.",
      "Refunds go back to the original payment method only (card, PayPal or the originating bank account); we never refund to a different card or account. Card refunds appear on the customer's statement within 5-10 business days.",
      "Partial refunds are allowed for billing errors (for example a wrong seat count) and are limited to the amount that was overcharged. Any single refund above $1,000 requires approval by a finance lead before it is issued.",
      "Hardware orders follow the returns policy (KB-014), not this policy. Downgrades never trigger a refund (KB-010). If a chargeback is already open for the payment, do not refund it (KB-015).",
    ].join("\n\n"), "2026-09-01"),
    policy(2, "Service credit policy", "credit,sla,outage,billing", [
      "Service credits compensate customers for SLA breaches. They are applied to the customer's next invoice and are never paid out as cash.",
      "Support SLA breach: when the first response to a ticket comes after the plan's first-response SLA (KB-011), the customer is eligible for a credit of 10% of their monthly plan fee for that ticket (Starter $2.90, Pro $9.90, Business $29.90, Enterprise $99.90). One credit per ticket.",
      "Uptime breach: when monthly uptime of a tier-1 service falls below the plan's uptime target, the credit is 10% of the monthly fee; below the target minus 0.5 percentage points, 25%; below 95%, 50%.",
      "Total credits in one calendar month are capped at 50% of the customer's monthly plan fee. The customer must request the credit within 30 days of the breach.",
      "Approval: credits of $50.00 or less may be issued by a support agent directly. Credits above $50.00 require approval by a human support lead before they are applied; record the approver in the credit reason. Always reference the ticket or incident id that justifies the credit.",
    ].join("\n\n"), "2026-08-15"),
    policy(3, "Shipping address changes", "shipping,address,orders", [
      "A shipping address can be changed only while the order is in status pending or processing, that is before it ships. Once a shipment exists (order status shipped, delivered or returned) the address on the order can no longer be changed.",
      "For shipped orders, offer the carrier's own redirect service (UPS My Choice, FedEx Delivery Manager) or, if the parcel cannot be redirected, wait for it to be returned to us and reship it to the new address at no charge once it arrives back at the warehouse.",
      "Address changes must be requested from the account's email address or by a verified account admin (KB-017). Changes to a different country are not possible on an existing order; cancel it and place a new one.",
      "UPS, FedEx and DHL cannot deliver to P.O. boxes; only USPS can. Reject an address change to a P.O. box for other carriers.",
    ].join("\n\n"), "2026-07-20"),
    policy(4, "Lost or delayed packages", "shipping,lost,delayed,carrier,exception", [
      "A package is delayed when it has not been delivered 2 business days after its ETA. A package is presumed lost when tracking shows no new scan for 5 business days (domestic) or 10 business days (international), or when the carrier confirms the loss.",
      "A shipment in carrier status exception must get a carrier trace opened within 1 business day of the customer contacting us. Tell the customer the trace is open and that we will update them within 2 business days.",
      "If a package is presumed lost, or has been stuck in exception for more than 5 days, offer the customer the choice between a free reshipment of the same items by express service and a full refund of the order. Do not do both for the same order.",
      "Agents may add a goodwill credit of up to $25 for delayed deliveries without approval; larger amounts follow the approval rule of KB-002.",
      "If the original package arrives after a reshipment, the customer may keep it or return it with a prepaid label; we do not charge for it.",
    ].join("\n\n"), "2026-08-02"),
    policy(5, "Escalation policy", "escalation,support,tiers", [
      "Escalate a ticket to tier 2 when the agent cannot resolve it with the knowledge base within 30 minutes of work, or when the customer asks for a supervisor.",
      "Urgent tickets from Business and Enterprise customers must be escalated within 30 minutes of creation if not already resolved. Any ticket at risk of breaching its first-response SLA (80% of the SLA elapsed) is flagged to the support lead in #support-escalations.",
      "Escalation targets: billing disputes and refunds needing approval go to billing-ops; shipping traces and carrier claims go to logistics; suspected product bugs or outages go to engineering; account and identity problems go to tier2-support; privacy and data requests go to the privacy team within 24 hours.",
      "Three or more tickets reporting the same symptom within 1 hour indicate a possible incident: check open incidents first and, if there is none, page the owning service's on-call per KB-012.",
      "Threats of legal action and chargebacks are always escalated to billing-ops and the support lead the same business day. When escalating, record the target team on the ticket and post a one-line summary with the ticket id in #support-escalations.",
    ].join("\n\n"), "2026-09-10"),
    policy(6, "Data privacy and customer data requests", "privacy,gdpr,data,security", [
      "Only discuss account data with the account's contacts. Never reveal one customer's data to another customer, and never include data of other customers in a reply.",
      "Never ask for or repeat full card numbers, passwords or 2FA codes. When referring to a card, use only its last four digits.",
      "Data export and deletion requests (GDPR/CCPA) are forwarded to the privacy team within 24 hours and completed within 30 days. Identity must be verified first (KB-017).",
      "Retention: account and billing data are kept for the life of the contract plus 90 days after cancellation, then deleted; invoices are kept for 7 years for tax law; application logs are kept for 30 days.",
      "Report a suspected data leak to the security on-call immediately; do not discuss it with the customer before security has assessed it.",
    ].join("\n\n"), "2026-06-30"),
    policy(7, "Cancellation policy", "cancellation,churn,account,billing", [
      "Customers can cancel at any time from the billing settings or by asking support. Cancellation takes effect at the end of the current billing period; the account stays usable until then.",
      "No partial-month refunds are given on cancellation, except that payments made within the last 30 days are refundable under KB-001.",
      "Enterprise contracts require 30 days' written notice before the renewal date.",
      "After cancellation the account data is kept for 90 days so the customer can reactivate or export it, then deleted (KB-006). Unpaid invoices remain due after cancellation.",
    ].join("\n\n"), "2026-07-01"),
    policy(8, "Invoice disputes", "invoice,dispute,billing", [
      "A customer may dispute an invoice within 60 days of its issue date. Disputes after 60 days are only accepted for duplicate charges (KB-001).",
      "When a dispute is raised, record it on the ticket, escalate it to billing-ops and pause dunning for that invoice; billing-ops resolves disputes within 10 business days.",
      "If the invoice is wrong, billing-ops voids it and issues a corrected invoice, or refunds the overcharged amount if it was already paid. If the invoice is correct, explain the line items and the plan price.",
      "Never mark an invoice paid or void it as a support agent; only billing-ops may change invoice status.",
    ].join("\n\n"), "2026-08-20"),
    policy(9, "Accepted payment methods", "payment,card,bank transfer,paypal,billing", [
      "We accept Visa, Mastercard and American Express cards on all plans, PayPal on the Starter and Pro plans, and bank transfer (ACH or SEPA) on the Business and Enterprise plans.",
      "Card and PayPal payments are charged automatically when the invoice is issued on the 1st of the month. Bank transfers must arrive by the due date, 21 days after the invoice is issued.",
      "Failed automatic payments are retried on days 1, 3 and 7 after the first failure (KB-016). Customers can update their card at any time in the billing settings; the next retry uses the new card.",
      "Never take card details over chat, email or phone; direct the customer to the billing settings page.",
    ].join("\n\n"), "2026-06-15"),
    policy(10, "Plan upgrades and downgrades", "plan,upgrade,downgrade,billing", [
      `Plans: ${PLANS.map((p) => `${p.name} ${dollars(p.monthly_price_cents)}/month`).join(", ")}.`,
      "Upgrades take effect immediately; the customer is charged a prorated amount for the rest of the current month, and the new SLA applies to tickets created after the upgrade.",
      "Downgrades take effect at the start of the next billing period. We do not refund or credit the difference for the current period.",
      "Downgrades from Enterprise must go through the customer's account manager because of contract terms. A customer with an overdue invoice cannot change plans until it is paid.",
    ].join("\n\n"), "2026-07-15"),
    policy(11, "Support SLA definitions", "sla,support,response time,uptime", [
      "Support SLAs by plan:",
      PLANS.map(planLine).join("\n"),
      "First-response time is measured in clock hours (24/7) from ticket creation to the first message written by an agent; automated and system messages do not count. Resolution time is measured from creation to the moment the ticket is marked resolved, excluding time in pending status while waiting for the customer.",
      "A ticket breaches its SLA when the first response comes later than the plan's first-response time. Breaches make the customer eligible for a service credit under KB-002.",
      "Uptime is measured per calendar month on tier-1 services (payments-api, checkout-web, orders-api, auth-service, inventory-db).",
    ].join("\n\n"), "2026-06-01"),
    policy(12, "On-call and paging policy", "oncall,paging,incident,escalation", [
      "Every service has one primary on-call engineer, listed on the service. Sev1 and sev2 incidents page the primary immediately, day or night. Sev3 and sev4 incidents create a ticket in the owning team's queue and do not page outside business hours (09:00-18:00 in the team's time zone).",
      "The primary must acknowledge a page within 5 minutes for sev1 and 15 minutes for sev2. If not acknowledged, the page goes to the secondary after 10 minutes (sev1) or 20 minutes (sev2), then to the engineering manager.",
      "Support may page an on-call engineer only for a confirmed customer-impacting problem with no open incident, or to add customer impact to an open sev1/sev2 incident. A page sent by the support assistant requires approval by a human support lead, and must name the service, the symptom, the number of affected customers and the ticket ids.",
      "Do not page the same on-call twice for the same incident within 15 minutes; post updates in the incident channel (#inc-<team>) instead.",
    ].join("\n\n"), "2026-09-05"),
    policy(13, "Status page communication policy", "status page,incident,communication", [
      "Customer-impacting sev1 incidents get a public status page post within 15 minutes of being declared, sev2 incidents within 30 minutes. Sev3 and sev4 incidents are only posted if customers report impact.",
      "While an incident is open, post updates at least every 30 minutes (sev1) or every 60 minutes (sev2), even if nothing has changed, and always state when the next update will come.",
      "Posts describe customer impact in plain language (what fails, who is affected, workarounds). Do not speculate about root cause, do not name customers, vendors or internal hostnames, and do not promise a resolution time.",
      "After resolution, post a resolved notice immediately and, for sev1 incidents, a postmortem summary within 5 business days.",
      "Support agents may quote the latest public update to customers but must not share internal incident updates.",
    ].join("\n\n"), "2026-08-25"),
    policy(14, "Returns policy", "returns,hardware,orders,shipping", [
      "Hardware can be returned within 30 days of delivery. Unused items in original packaging are refunded in full; opened, non-defective items are refunded minus a 15% restocking fee.",
      "Defective items and items damaged in transit are replaced or refunded in full, without restocking fee, with a prepaid return label. Transit damage must be reported within 7 days of delivery with photos.",
      "Consumables (labels, receipt paper, RFID tags) can only be returned unopened.",
      "Refunds for returns are issued within 5 business days after the warehouse receives the item, to the original payment method.",
    ].join("\n\n"), "2026-07-10"),
    policy(15, "Chargebacks", "chargeback,dispute,payments,billing", [
      "When a customer's bank opens a chargeback, the disputed payment must not also be refunded by us; a refund plus a lost chargeback pays the customer twice. Check for an open chargeback before any refund.",
      "Chargebacks are handled only by billing-ops, who submit evidence to the card network within 7 days. Support agents forward all chargeback questions to billing-ops (KB-005) and do not promise an outcome.",
      "If a customer says they will file a chargeback for a duplicate charge, explain that we refund duplicate charges in full (KB-001) and that a refund through us is faster than a chargeback.",
      "Accounts with a lost chargeback over $500 may be suspended until the balance is settled.",
    ].join("\n\n"), "2026-09-12"),
    policy(16, "Failed payments and account suspension", "dunning,suspension,payments,overdue", [
      "When an automatic payment fails, the customer gets an email and the payment is retried on days 1, 3 and 7. Invoices unpaid after their due date become overdue.",
      "An account is suspended 14 days after the due date of an overdue invoice. Suspended accounts cannot log in to the dashboard, but their data is kept and their hardware keeps working offline.",
      "Access is restored automatically within 1 hour of the overdue balance being paid. Agents must not lift a suspension manually; billing-ops may grant one 7-day extension per year.",
    ].join("\n\n"), "2026-06-20"),
    policy(17, "Identity verification for account changes", "security,identity,account,verification", [
      "Before changing account details, shipping addresses, plan, payment settings or 2FA, confirm the request comes from the account's email address or from a user with the admin role.",
      "Requests from any other address require a verification code sent to the account email; never accept verification over the phone alone.",
      "2FA resets additionally require the last four digits of the card on file or the number of the latest invoice.",
    ].join("\n\n"), "2026-06-10"),
  ];
}

interface RunbookDetail {
  checks: readonly string[];
  mitigations: readonly string[];
}

const RUNBOOK_DETAILS: Record<string, RunbookDetail> = {
  "payments-api": {
    checks: [
      "Split errors by endpoint: if only POST /v1/charges fails, the card-processor upstream is the usual cause; check its p95 in the upstream latency panel (normal 350 ms, alarm above 2 s).",
      "Check the circuit breaker state for card-processor in the logs ('circuit breaker OPEN').",
      "Check postgres-payments connections (alarm above 180 of 200) and the last deploy time.",
    ],
    mitigations: [
      "If the card processor is slow, lower the client timeout to 3 s and enable the secondary processor route (flag payments.secondary_route) for up to 50% of traffic.",
      "If a deploy in the last 2 hours correlates, roll back first and investigate later.",
      "Ask callers (checkout-web, orders-api) to cap automatic retries at 1 to avoid duplicate charges and retry storms.",
    ],
  },
  "checkout-web": {
    checks: [
      "Check whether failures are at the payment step (dependency on payments-api) or on page load (CDN or origin).",
      "Compare the error rate by browser and region to rule out a bad client bundle.",
    ],
    mitigations: [
      "Roll back the last frontend release from the deploy dashboard (takes about 4 minutes).",
      "If payments-api is degraded, enable the banner 'Card payments may fail, please retry' (flag checkout.payment_banner).",
    ],
  },
  "orders-api": {
    checks: [
      "Check inventory-db latency and the order creation error rate; reservation timeouts point to inventory-db.",
      "Check payment authorization failures; they come from payments-api.",
    ],
    mitigations: [
      "Set payment retries to 1 (config orders.payment_retries) during payments incidents.",
      "Scale orders-api from 6 to 12 pods if CPU is above 80% for 10 minutes.",
    ],
  },
  "shipping-api": {
    checks: [
      "Check carrier-gateway errors per carrier; a single failing carrier is usually a carrier outage.",
      "Check label creation latency (normal under 400 ms).",
    ],
    mitigations: [
      "Route new labels away from a failing carrier via the carrier_priority setting (for example UPS to FedEx for domestic ground).",
      "Queue label creation for retry instead of failing checkout; queued labels are processed within 2 hours.",
    ],
  },
  "auth-service": {
    checks: [
      "Check redis-sessions memory and evictions; evictions above 100/s log users out.",
      "Check token endpoint latency and MFA provider errors.",
    ],
    mitigations: [
      "Fail over redis-sessions to the replica (takes about 1 minute, forces re-login for at most 2% of sessions).",
      "Extend token lifetime to 24 h temporarily (flag auth.extended_tokens) to reduce token refresh load.",
    ],
  },
  "search-api": {
    checks: [
      "Check opensearch-cluster health (yellow is acceptable, red is an incident) and indexing lag (normal under 5 minutes).",
    ],
    mitigations: [
      "Serve cached results (flag search.serve_stale, up to 1 hour old) while the cluster recovers.",
      "Trigger a reindex per store with the admin tool; a full reindex takes about 40 minutes.",
    ],
  },
  notifications: {
    checks: [
      "Check Kafka consumer lag on topic notifications.outbound (normal under 1,000 messages).",
      "Check email and SMS provider error rates separately.",
    ],
    mitigations: [
      "Scale consumers from 4 to 12; lag drains at about 50,000 messages per minute.",
      "Switch the email provider to the backup with the notifications.email_provider setting.",
    ],
  },
  "billing-worker": {
    checks: [
      "Check the invoice.generate and payment.retry job queues; on the 1st of the month a backlog of up to 5,000 jobs for 2 hours is normal.",
      "Check payments-api health, since payment retries depend on it.",
    ],
    mitigations: [
      "Pause payment.retry jobs during a payments-api incident to avoid charging customers twice; resume after the incident is resolved.",
      "Never re-run invoice.generate for a period manually without billing-ops; it would create duplicate invoices.",
    ],
  },
  "inventory-db": {
    checks: [
      "Check replication lag on replica-2 (alarm above 30 s), disk usage (alarm at 80%) and slow query log.",
    ],
    mitigations: [
      "Kill queries running longer than 60 s with the admin script; they are almost always ad-hoc reports.",
      "If the primary is unhealthy, promote replica-2 (takes about 3 minutes, writes fail during promotion).",
    ],
  },
  "analytics-pipeline": {
    checks: [
      "Check the Spark executor count (normal 16) and the number of queued jobs (normal under 5).",
      "Check s3-datalake write errors.",
    ],
    mitigations: [
      "Request on-demand capacity when spot capacity is reclaimed; each extra node clears about 1 job per hour.",
      "Skip the weekly report job until the daily aggregation has caught up. Customer-facing services do not depend on this pipeline.",
    ],
  },
  "support-portal": {
    checks: [
      "Check login errors (auth-service) and database latency of postgres-support.",
    ],
    mitigations: [
      "If the portal is down, announce in #support-escalations and have agents work from the email inbox; tickets are synced when the portal recovers.",
    ],
  },
  "cdn-edge": {
    checks: [
      "Check cache hit ratio (normal above 92%) and origin error rate per region.",
    ],
    mitigations: [
      "Purge a bad asset by path rather than a full purge; a full purge raises origin load 10x for about 20 minutes.",
      "Fail over to the secondary CDN provider through DNS (TTL 60 s) if a whole region fails.",
    ],
  },
};

function runbook(s: Service, index: number): ArticleRow {
  const p = profile(s.id);
  const d = RUNBOOK_DETAILS[s.id]!;
  const alertError = s.tier === 1 ? 2 : s.tier === 2 ? 5 : 10;
  const ack = s.tier === 3 ? "by the next business hour" : s.tier === 1 ? "within 5 minutes" : "within 15 minutes";
  const escalateAfter = s.tier === 1 ? 30 : 60;
  const steps = [
    `Acknowledge the alert ${ack}. If customers are affected, declare an incident and post in #inc-${s.owner_team}.`,
    `Open the ${s.name} dashboard and compare the last hour to the 7-day baseline: p95 latency about ${p.p95} ms, error rate about ${(p.errorRate * 100).toFixed(2)}%, up to ${p.requestsPerHour.toLocaleString("en-US")} requests per hour at peak.`,
    ...d.checks,
    "Check the deploy log for releases in the last 2 hours.",
  ];
  return {
    id: `KB-${101 + index}`,
    kind: "runbook",
    title: `Runbook: ${s.name} (${s.id})`,
    body: [
      `${s.name} is a tier-${s.tier} service owned by the ${s.owner_team} team; the primary on-call is ${s.oncall}. Dependencies: ${p.deps.join(", ")}.`,
      `Alerts: the service alerts its on-call when the 5-minute error rate is above ${alertError}% or p95 latency is above ${p.p95 * 3} ms for 10 minutes.`,
      `Triage:\n${steps.map((x, i) => `${i + 1}. ${x}`).join("\n")}`,
      `Mitigation:\n${d.mitigations.map((x) => `- ${x}`).join("\n")}`,
      `Escalation: if not mitigated within ${escalateAfter} minutes, page the secondary on-call and the ${s.owner_team} engineering manager (KB-012). Customer communication follows KB-013.`,
    ].join("\n\n"),
    tags: `runbook,${s.id},${s.owner_team}`,
    service_id: s.id,
    updated_at: "2026-10-01T00:00:00.000Z",
  };
}

function faqs(): ArticleRow[] {
  const faq = (n: number, title: string, tags: string, body: string): ArticleRow => ({
    id: `KB-${200 + n}`,
    kind: "faq",
    title,
    body,
    tags,
    service_id: null,
    updated_at: "2026-09-15T00:00:00.000Z",
  });
  return [
    faq(1, "Where do I find my invoices?", "faq,invoice,billing",
      "Invoices are issued on the 1st of each month and emailed to the billing contact. All invoices are also under Settings > Billing > Invoices as PDF. Card and PayPal invoices are charged automatically; bank transfer invoices are due 21 days after issue."),
    faq(2, "How do I track my order?", "faq,shipping,tracking",
      "When an order ships you receive an email with the carrier and tracking number. Tracking links: UPS, FedEx, DHL and USPS pages at track.example. Orders usually ship within 48 hours; transit takes about 2 days (FedEx express), 4 days (UPS ground), 5 days (USPS economy) or 6 days (DHL international)."),
    faq(3, "How do I reset two-factor authentication?", "faq,account,2fa,security",
      "If you still have access to your authenticator, go to Settings > Security. If you lost the device, contact support from the account email; after identity verification (KB-017) we reset 2FA and you enroll a new device at the next login."),
    faq(4, "What does each plan include?", "faq,plans,sla",
      PLANS.map(planLine).join("\n")),
    faq(5, "How do I rotate API keys?", "faq,api,technical",
      "Create a new key under Settings > API, copy the scopes of the old key, deploy the new key, then revoke the old key. Both keys work in parallel until the old one is revoked, so rotation needs no downtime."),
  ];
}
