/**
 * Fixed reference data of the company: the rows every other table points at. Tools import these lists so that
 * their zod schemas can name the valid values (a model picks from an enum far better than it guesses a string).
 */
export const PLANS = [
  { id: "PLAN-STARTER", name: "Starter", monthly_price_cents: 2900, sla_first_response_h: 48, sla_resolution_h: 120, uptime_target_pct: 99.0, support_channels: "email" },
  { id: "PLAN-PRO", name: "Pro", monthly_price_cents: 9900, sla_first_response_h: 24, sla_resolution_h: 72, uptime_target_pct: 99.5, support_channels: "email,chat" },
  { id: "PLAN-BUSINESS", name: "Business", monthly_price_cents: 29900, sla_first_response_h: 8, sla_resolution_h: 48, uptime_target_pct: 99.9, support_channels: "email,chat,phone" },
  { id: "PLAN-ENTERPRISE", name: "Enterprise", monthly_price_cents: 99900, sla_first_response_h: 1, sla_resolution_h: 24, uptime_target_pct: 99.95, support_channels: "email,chat,phone" },
] as const;

export const SERVICES = [
  { id: "payments-api", name: "Payments API", tier: 1, owner_team: "payments", oncall: "@maya.chen" },
  { id: "checkout-web", name: "Checkout Web", tier: 1, owner_team: "storefront", oncall: "@leo.park" },
  { id: "orders-api", name: "Orders API", tier: 1, owner_team: "commerce", oncall: "@ana.souza" },
  { id: "shipping-api", name: "Shipping API", tier: 2, owner_team: "logistics", oncall: "@tom.okafor" },
  { id: "auth-service", name: "Auth Service", tier: 1, owner_team: "identity", oncall: "@priya.nair" },
  { id: "search-api", name: "Search API", tier: 2, owner_team: "discovery", oncall: "@jon.berg" },
  { id: "notifications", name: "Notifications", tier: 2, owner_team: "messaging", oncall: "@sara.ito" },
  { id: "billing-worker", name: "Billing Worker", tier: 2, owner_team: "payments", oncall: "@maya.chen" },
  { id: "inventory-db", name: "Inventory DB", tier: 1, owner_team: "platform", oncall: "@omar.haddad" },
  { id: "analytics-pipeline", name: "Analytics Pipeline", tier: 3, owner_team: "data", oncall: "@lena.vogel" },
  { id: "support-portal", name: "Support Portal", tier: 3, owner_team: "support-eng", oncall: "@raj.mehta" },
  { id: "cdn-edge", name: "CDN Edge", tier: 2, owner_team: "platform", oncall: "@omar.haddad" },
] as const;

export const SERVICE_IDS = SERVICES.map((s) => s.id) as unknown as readonly [string, ...string[]];

export const CARRIERS = [
  { id: "CAR-UPS", name: "UPS", service_level: "ground", on_time_rate: 0.94, tracking_url: "https://track.example/ups/" },
  { id: "CAR-FEDEX", name: "FedEx", service_level: "express", on_time_rate: 0.96, tracking_url: "https://track.example/fedex/" },
  { id: "CAR-DHL", name: "DHL", service_level: "international", on_time_rate: 0.91, tracking_url: "https://track.example/dhl/" },
  { id: "CAR-USPS", name: "USPS", service_level: "economy", on_time_rate: 0.88, tracking_url: "https://track.example/usps/" },
] as const;

export const CARRIER_IDS = CARRIERS.map((c) => c.id) as unknown as readonly [string, ...string[]];

/** Id formats, shared by the seed, the tool schemas and the offline model's argument extraction. */
export const ID_PATTERNS = {
  customer_id: /^CUS-\d{4}$/,
  ticket_id: /^TCK-\d{4,5}$/,
  invoice_id: /^INV-\d{5}$/,
  payment_id: /^PAY-\d{5}$/,
  order_id: /^ORD-\d{5}$/,
  shipment_id: /^SHP-\d{5}$/,
  incident_id: /^INC-\d{3,4}$/,
  article_id: /^KB-\d{3}$/,
} as const;
