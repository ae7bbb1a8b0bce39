/**
 * The company database schema: one SQL script, applied once when the database file is created.
 *
 * Ids are readable strings with a domain prefix (`CUS-1042`, `ORD-10233`) because the model and the user both
 * quote them; money is stored in integer cents so sums are exact.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS plans (
  id                    TEXT PRIMARY KEY,          -- PLAN-STARTER, PLAN-PRO, PLAN-BUSINESS, PLAN-ENTERPRISE
  name                  TEXT NOT NULL,
  monthly_price_cents   INTEGER NOT NULL,
  sla_first_response_h  INTEGER NOT NULL,          -- hours to first response
  sla_resolution_h      INTEGER NOT NULL,          -- hours to resolution
  uptime_target_pct     REAL NOT NULL,
  support_channels      TEXT NOT NULL              -- comma separated: email,chat,phone
);

CREATE TABLE IF NOT EXISTS customers (
  id          TEXT PRIMARY KEY,                    -- CUS-1000 ...
  name        TEXT NOT NULL,
  email       TEXT NOT NULL UNIQUE,
  company     TEXT NOT NULL,
  plan_id     TEXT NOT NULL REFERENCES plans(id),
  country     TEXT NOT NULL,
  address     TEXT NOT NULL,
  created_at  TEXT NOT NULL,                       -- ISO 8601
  status      TEXT NOT NULL CHECK (status IN ('active','suspended','churned')),
  credit_balance_cents INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS tickets (
  id            TEXT PRIMARY KEY,                  -- TCK-5000 ...
  customer_id   TEXT NOT NULL REFERENCES customers(id),
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  category      TEXT NOT NULL CHECK (category IN ('billing','shipping','technical','account','other')),
  priority      TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  status        TEXT NOT NULL CHECK (status IN ('open','pending','escalated','resolved','closed')),
  created_at    TEXT NOT NULL,
  first_response_at TEXT,
  resolved_at   TEXT,
  escalated_to  TEXT
);

CREATE TABLE IF NOT EXISTS ticket_messages (
  id          TEXT PRIMARY KEY,                    -- MSG-...
  ticket_id   TEXT NOT NULL REFERENCES tickets(id),
  author      TEXT NOT NULL CHECK (author IN ('customer','agent','system')),
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS credits (
  id           TEXT PRIMARY KEY,                   -- CRD-...
  customer_id  TEXT NOT NULL REFERENCES customers(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason       TEXT NOT NULL,
  ticket_id    TEXT REFERENCES tickets(id),
  created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS invoices (
  id            TEXT PRIMARY KEY,                  -- INV-20000 ...
  customer_id   TEXT NOT NULL REFERENCES customers(id),
  period        TEXT NOT NULL,                     -- YYYY-MM
  amount_cents  INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft','open','paid','overdue','void')),
  issued_at     TEXT NOT NULL,
  due_at        TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS payments (
  id            TEXT PRIMARY KEY,                  -- PAY-30000 ...
  invoice_id    TEXT NOT NULL REFERENCES invoices(id),
  customer_id   TEXT NOT NULL REFERENCES customers(id),
  amount_cents  INTEGER NOT NULL,
  method        TEXT NOT NULL CHECK (method IN ('card','bank_transfer','paypal')),
  status        TEXT NOT NULL CHECK (status IN ('succeeded','failed','refunded','partially_refunded')),
  created_at    TEXT NOT NULL,
  card_last4    TEXT
);

CREATE TABLE IF NOT EXISTS refunds (
  id            TEXT PRIMARY KEY,                  -- RFD-...
  payment_id    TEXT NOT NULL REFERENCES payments(id),
  amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
  reason        TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS carriers (
  id            TEXT PRIMARY KEY,                  -- CAR-UPS ...
  name          TEXT NOT NULL,
  service_level TEXT NOT NULL,
  on_time_rate  REAL NOT NULL,
  tracking_url  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
  id               TEXT PRIMARY KEY,               -- ORD-10000 ...
  customer_id      TEXT NOT NULL REFERENCES customers(id),
  created_at       TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending','processing','shipped','delivered','cancelled','returned')),
  total_cents      INTEGER NOT NULL,
  items            TEXT NOT NULL,                  -- JSON array of {sku, name, qty, price_cents}
  shipping_address TEXT NOT NULL,
  notes            TEXT
);

CREATE TABLE IF NOT EXISTS shipments (
  id            TEXT PRIMARY KEY,                  -- SHP-40000 ...
  order_id      TEXT NOT NULL REFERENCES orders(id),
  carrier_id    TEXT NOT NULL REFERENCES carriers(id),
  tracking_number TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL CHECK (status IN ('label_created','in_transit','out_for_delivery','delivered','exception','returned')),
  shipped_at    TEXT NOT NULL,
  eta           TEXT NOT NULL,
  delivered_at  TEXT
);

CREATE TABLE IF NOT EXISTS shipment_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  shipment_id  TEXT NOT NULL REFERENCES shipments(id),
  status       TEXT NOT NULL,
  location     TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS services (
  id           TEXT PRIMARY KEY,                   -- payments-api, checkout-web, ...
  name         TEXT NOT NULL,
  tier         INTEGER NOT NULL CHECK (tier IN (1,2,3)),
  status       TEXT NOT NULL CHECK (status IN ('operational','degraded','partial_outage','major_outage')),
  owner_team   TEXT NOT NULL,
  oncall       TEXT NOT NULL                        -- on-call engineer's handle
);

CREATE TABLE IF NOT EXISTS incidents (
  id           TEXT PRIMARY KEY,                   -- INC-700 ...
  service_id   TEXT NOT NULL REFERENCES services(id),
  title        TEXT NOT NULL,
  severity     TEXT NOT NULL CHECK (severity IN ('sev1','sev2','sev3','sev4')),
  status       TEXT NOT NULL CHECK (status IN ('investigating','identified','monitoring','resolved')),
  started_at   TEXT NOT NULL,
  resolved_at  TEXT,
  summary      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS incident_updates (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id  TEXT NOT NULL REFERENCES incidents(id),
  body         TEXT NOT NULL,
  public       INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS pages (
  id           TEXT PRIMARY KEY,                   -- PGE-...
  incident_id  TEXT REFERENCES incidents(id),
  service_id   TEXT NOT NULL REFERENCES services(id),
  oncall       TEXT NOT NULL,
  message      TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS metrics (
  service_id   TEXT NOT NULL REFERENCES services(id),
  ts           TEXT NOT NULL,                      -- hourly buckets, ISO 8601
  latency_p95_ms REAL NOT NULL,
  error_rate   REAL NOT NULL,                      -- 0..1
  requests     INTEGER NOT NULL,
  PRIMARY KEY (service_id, ts)
);

CREATE TABLE IF NOT EXISTS logs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id   TEXT NOT NULL REFERENCES services(id),
  ts           TEXT NOT NULL,
  level        TEXT NOT NULL CHECK (level IN ('debug','info','warn','error')),
  message      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS channel_messages (
  id           TEXT PRIMARY KEY,                   -- CHM-...
  channel      TEXT NOT NULL,                      -- #inc-payments, #ops, ...
  author       TEXT NOT NULL,
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS kb_articles (
  id           TEXT PRIMARY KEY,                   -- KB-001 ...
  kind         TEXT NOT NULL CHECK (kind IN ('policy','runbook','faq')),
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  tags         TEXT NOT NULL,                      -- comma separated
  service_id   TEXT REFERENCES services(id),       -- runbooks only
  updated_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  actor        TEXT NOT NULL,
  tool         TEXT NOT NULL,
  args         TEXT NOT NULL,                      -- JSON
  result       TEXT NOT NULL,                      -- JSON
  created_at   TEXT NOT NULL
);

-- Exactly-once side effects: the result of each write/destructive/egress tool call, by idempotency key
-- (thread, checkpoint namespace, tool call id). A retried or resumed call returns the recorded result.
CREATE TABLE IF NOT EXISTS tool_ledger (
  key          TEXT PRIMARY KEY,
  tool         TEXT NOT NULL,
  args         TEXT NOT NULL,
  result       TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

-- Human feedback: every approve, edit and reject of an approval, with what was proposed, what was approved and
-- the difference between them (src/observability/feedback.ts); also sent to LangSmith when tracing is on.
CREATE TABLE IF NOT EXISTS approval_feedback (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id     TEXT NOT NULL,
  run_id        TEXT,                              -- root run of the turn that asked (LangSmith run id)
  interrupt_id  TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('action','review','budget')),
  tool          TEXT NOT NULL,
  decision      TEXT NOT NULL CHECK (decision IN ('approve','edit','reject')),
  proposed_args TEXT NOT NULL,                     -- JSON
  approved_args TEXT,                              -- JSON; NULL when rejected
  diff          TEXT NOT NULL,                     -- JSON: [{path, op, before?, after?}]
  reason        TEXT,
  user_id       TEXT,
  tenant_id     TEXT,
  sent_to_langsmith INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_feedback_thread ON approval_feedback(thread_id);

CREATE INDEX IF NOT EXISTS idx_tickets_customer   ON tickets(customer_id);
CREATE INDEX IF NOT EXISTS idx_ticket_msgs_ticket ON ticket_messages(ticket_id);
CREATE INDEX IF NOT EXISTS idx_invoices_customer  ON invoices(customer_id);
CREATE INDEX IF NOT EXISTS idx_payments_customer  ON payments(customer_id);
CREATE INDEX IF NOT EXISTS idx_payments_invoice   ON payments(invoice_id);
CREATE INDEX IF NOT EXISTS idx_orders_customer    ON orders(customer_id);
CREATE INDEX IF NOT EXISTS idx_shipments_order    ON shipments(order_id);
CREATE INDEX IF NOT EXISTS idx_events_shipment    ON shipment_events(shipment_id);
CREATE INDEX IF NOT EXISTS idx_incidents_service  ON incidents(service_id);
CREATE INDEX IF NOT EXISTS idx_logs_service_ts    ON logs(service_id, ts);
CREATE INDEX IF NOT EXISTS idx_channel_msgs       ON channel_messages(channel, created_at);
`;
