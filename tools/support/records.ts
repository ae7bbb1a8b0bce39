/** Row shapes of the support tables and the compact views the support tools answer with. */
import { formatUsd } from "../shared/db-helpers.js";

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  company: string;
  plan_id: string;
  country: string;
  address: string;
  created_at: string;
  status: "active" | "suspended" | "churned";
  credit_balance_cents: number;
}

export interface PlanRow {
  id: string;
  name: string;
  monthly_price_cents: number;
  sla_first_response_h: number;
  sla_resolution_h: number;
  uptime_target_pct: number;
  support_channels: string;
}

export const TICKET_STATUSES = ["open", "pending", "escalated", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketRow {
  id: string;
  customer_id: string;
  subject: string;
  body: string;
  category: string;
  priority: string;
  status: TicketStatus;
  created_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  escalated_to: string | null;
}

export interface TicketMessageRow {
  id: string;
  ticket_id: string;
  author: "customer" | "agent" | "system";
  body: string;
  created_at: string;
}

export function customerView(c: CustomerRow) {
  return {
    customer_id: c.id,
    name: c.name,
    email: c.email,
    company: c.company,
    plan_id: c.plan_id,
    status: c.status,
  };
}

export function planView(p: PlanRow) {
  return {
    plan_id: p.id,
    name: p.name,
    monthly_price_cents: p.monthly_price_cents,
    monthly_price: formatUsd(p.monthly_price_cents),
    sla_first_response_hours: p.sla_first_response_h,
    sla_resolution_hours: p.sla_resolution_h,
    uptime_target_pct: p.uptime_target_pct,
    support_channels: p.support_channels.split(","),
  };
}

export function ticketView(t: TicketRow) {
  return {
    ticket_id: t.id,
    customer_id: t.customer_id,
    subject: t.subject,
    category: t.category,
    priority: t.priority,
    status: t.status,
    created_at: t.created_at,
  };
}
