/**
 * Row types of the company database tables (see `schema.ts`), one per table, and the value lists of the columns
 * the schema constrains with CHECK. The seed, the tools and the reports all read rows through these, so a column
 * is described once. A query that selects fewer columns uses `Pick`/`Omit` of the table's row type.
 */

export const CUSTOMER_STATUSES = ["active", "suspended", "churned"] as const;
export const TICKET_CATEGORIES = ["billing", "shipping", "technical", "account", "other"] as const;
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TICKET_STATUSES = ["open", "pending", "escalated", "resolved", "closed"] as const;
export const MESSAGE_AUTHORS = ["customer", "agent", "system"] as const;
export const INVOICE_STATUSES = ["draft", "open", "paid", "overdue", "void"] as const;
export const PAYMENT_METHODS = ["card", "bank_transfer", "paypal"] as const;
export const PAYMENT_STATUSES = ["succeeded", "failed", "refunded", "partially_refunded"] as const;
export const ORDER_STATUSES = ["pending", "processing", "shipped", "delivered", "cancelled", "returned"] as const;
export const SHIPMENT_STATUSES = ["label_created", "in_transit", "out_for_delivery", "delivered", "exception", "returned"] as const;
export const SERVICE_STATUSES = ["operational", "degraded", "partial_outage", "major_outage"] as const;
export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"] as const;
export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export const ARTICLE_KINDS = ["policy", "runbook", "faq"] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface PlanRow {
  id: string;
  name: string;
  monthly_price_cents: number;
  sla_first_response_h: number;
  sla_resolution_h: number;
  uptime_target_pct: number;
  /** Comma separated: email,chat,phone. */
  support_channels: string;
}

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  company: string;
  plan_id: string;
  country: string;
  address: string;
  created_at: string;
  status: (typeof CUSTOMER_STATUSES)[number];
  credit_balance_cents: number;
}

export interface TicketRow {
  id: string;
  customer_id: string;
  subject: string;
  body: string;
  category: (typeof TICKET_CATEGORIES)[number];
  priority: (typeof TICKET_PRIORITIES)[number];
  status: TicketStatus;
  created_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  escalated_to: string | null;
}

export interface TicketMessageRow {
  id: string;
  ticket_id: string;
  author: (typeof MESSAGE_AUTHORS)[number];
  body: string;
  created_at: string;
}

export interface CreditRow {
  id: string;
  customer_id: string;
  amount_cents: number;
  reason: string;
  ticket_id: string | null;
  created_at: string;
}

export interface InvoiceRow {
  id: string;
  customer_id: string;
  /** YYYY-MM. */
  period: string;
  amount_cents: number;
  status: (typeof INVOICE_STATUSES)[number];
  issued_at: string;
  due_at: string;
}

export interface PaymentRow {
  id: string;
  invoice_id: string;
  customer_id: string;
  amount_cents: number;
  method: (typeof PAYMENT_METHODS)[number];
  status: (typeof PAYMENT_STATUSES)[number];
  created_at: string;
  card_last4: string | null;
}

export interface RefundRow {
  id: string;
  payment_id: string;
  amount_cents: number;
  reason: string;
  created_at: string;
}

export interface CarrierRow {
  id: string;
  name: string;
  service_level: string;
  on_time_rate: number;
  tracking_url: string;
}

export interface OrderRow {
  id: string;
  customer_id: string;
  created_at: string;
  status: OrderStatus;
  total_cents: number;
  /** JSON array of {sku, name, qty, price_cents}. */
  items: string;
  shipping_address: string;
  notes: string | null;
}

export interface ShipmentRow {
  id: string;
  order_id: string;
  carrier_id: string;
  tracking_number: string;
  status: (typeof SHIPMENT_STATUSES)[number];
  shipped_at: string;
  eta: string;
  delivered_at: string | null;
}

export interface ShipmentEventRow {
  id: number;
  shipment_id: string;
  status: string;
  location: string;
  created_at: string;
}

export interface ServiceRow {
  id: string;
  name: string;
  tier: number;
  status: (typeof SERVICE_STATUSES)[number];
  owner_team: string;
  oncall: string;
}

export interface IncidentRow {
  id: string;
  service_id: string;
  title: string;
  severity: (typeof SEVERITIES)[number];
  status: (typeof INCIDENT_STATUSES)[number];
  started_at: string;
  resolved_at: string | null;
  summary: string;
}

export interface IncidentUpdateRow {
  id: number;
  incident_id: string;
  body: string;
  /** 1 for a public status-page update, 0 for an internal note. */
  public: 0 | 1;
  created_at: string;
}

export interface PageRow {
  id: string;
  incident_id: string | null;
  service_id: string;
  oncall: string;
  message: string;
  created_at: string;
}

export interface MetricRow {
  service_id: string;
  /** Start of the hourly bucket, ISO 8601. */
  ts: string;
  latency_p95_ms: number;
  /** 0..1. */
  error_rate: number;
  requests: number;
}

export interface LogRow {
  id: number;
  service_id: string;
  ts: string;
  level: (typeof LOG_LEVELS)[number];
  message: string;
}

export interface ChannelMessageRow {
  id: string;
  channel: string;
  author: string;
  body: string;
  created_at: string;
}

export interface ArticleRow {
  id: string;
  kind: (typeof ARTICLE_KINDS)[number];
  title: string;
  body: string;
  /** Comma separated. */
  tags: string;
  /** Runbooks only. */
  service_id: string | null;
  updated_at: string;
}

export interface AuditRow {
  id: number;
  actor: string;
  tool: string;
  /** JSON. */
  args: string;
  /** JSON. */
  result: string;
  created_at: string;
}
