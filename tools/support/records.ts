/** The compact views the support tools answer with. */
import type { CustomerRow, PlanRow, TicketRow } from "../../src/db/rows.js";
import { formatUsd } from "../shared/db-helpers.js";

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
