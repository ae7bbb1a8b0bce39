/**
 * Customer shipping notifications. The company has no separate outbox table: a sent notification is recorded
 * in `channel_messages` on the `#customer-notifications` channel (and in the audit log), so it can be cited
 * and read back with get_channel_messages.
 */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { notFound } from "../../src/toolkit/tool-result.js";
import { auditedWrite, nextId } from "../shared/db-helpers.js";
import { loadOrder, orderIdField, orderShipments } from "./records.js";

export const NOTIFICATION_CHANNEL = "#customer-notifications";

export const notifyCustomerShipping = defineTool({
  name: "notify_customer_shipping",
  description:
    "Emails the customer of an order a shipping update (delay, new eta, address or status change); returns the notification id and address it went to. " +
    "Use it only with a message the user approved; it does not change the order or shipment.",
  schema: z.object({
    order_id: orderIdField("The order the update is about"),
    message: z
      .string()
      .trim()
      .min(10)
      .max(1000)
      .describe("The text sent to the customer, e.g. 'Your parcel is delayed at the carrier hub; we expect delivery by Friday.'"),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "egress",
    idempotent: false,
    scopes: ["comms:send"],
    examples: ["Tell the customer of ORD-10233 their parcel is delayed", "Email CUS-1077 an update about order ORD-10233", "Notify the customer that ORD-10500 will ship tomorrow"],
    retrievalExamples: [
      "Email the customer about the new ETA for ORD-10412",
      "Let the buyer of ORD-10233 know the parcel is stuck with the carrier",
      "Send a shipping update to the customer of ORD-10500",
      "Notify CUS-1063 that their address was changed",
      "Tell the customer their order has been dispatched",
      "send a delivery delay notice",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const order = loadOrder(ctx.db, args.order_id);
      const customer = ctx.db.sql.prepare("SELECT id, name, email FROM customers WHERE id = ?").get(order.customer_id) as
        | { id: string; name: string; email: string }
        | undefined;
      if (!customer) throw notFound("customer", order.customer_id, "order_id");
      const id = nextId(ctx.db, "channel_messages", "CHM");
      const sentAt = ctx.now.toISOString();
      const shipment = orderShipments(ctx.db, order.id)[0];
      const body = `To ${customer.email} (${customer.id}) re ${order.id}${shipment ? ` / ${shipment.id}` : ""}: ${args.message}`;
      ctx.db.sql
        .prepare("INSERT INTO channel_messages (id, channel, author, body, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(id, NOTIFICATION_CHANNEL, ctx.actor, body, sentAt);
      return {
        notification_id: id,
        order_id: order.id,
        customer_id: customer.id,
        sent_to: customer.email,
        channel: NOTIFICATION_CHANNEL,
        sent_at: sentAt,
      };
    });
  },
});
