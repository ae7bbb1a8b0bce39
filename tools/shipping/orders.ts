/** Order tools: look up orders, list a customer's orders, change the address or status, cancel. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError, notFound } from "../../src/toolkit/tool-result.js";
import { ORDER_STATUSES, type OrderStatus } from "../../src/db/rows.js";
import { auditedWrite, noChange } from "../shared/db-helpers.js";
import { reasonField } from "../shared/fields.js";
import {
  PRE_SHIPMENT_STATUSES,
  customerIdField,
  limitField,
  loadOrder,
  orderIdField,
  orderShipments,
  orderView,
  parseItems,
  shipmentView,
} from "./records.js";

export const getOrder = defineTool({
  name: "get_order",
  description:
    "Gets one order by id: customer, status, items, total, shipping address, notes and its shipments (carrier, tracking number, status, eta). " +
    "Use it first for any question about an order; for the carrier's tracking events use track_shipment.",
  schema: z.object({ order_id: orderIdField("The order to fetch") }),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["What's the status of order ORD-10233?", "What did ORD-10500 contain?", "Where is order ORD-10233 being shipped?"],
    retrievalExamples: [
      "Show me order ORD-10412",
      "What items are in ORD-10233 and what's the total?",
      "Has ORD-10500 shipped yet?",
      "What address is on ORD-10412?",
      "Give me the details of this order",
      "order information for ORD-10601",
    ],
  },
  run: ({ order_id }, ctx) => {
    const order = loadOrder(ctx.db, order_id);
    const shipments = orderShipments(ctx.db, order.id).slice(0, 10);
    return {
      ...orderView(order),
      notes: order.notes,
      items: parseItems(order.items),
      address_changeable: PRE_SHIPMENT_STATUSES.includes(order.status),
      cancellable: PRE_SHIPMENT_STATUSES.includes(order.status),
      shipments: shipments.map(shipmentView),
    };
  },
});

export const listCustomerOrders = defineTool({
  name: "list_customer_orders",
  description:
    "Lists a customer's orders, newest first, optionally only those in one status, with totals and the total count. " +
    "Use it when the user gives a customer but not an order id; for one order's details use get_order.",
  schema: z.object({
    customer_id: customerIdField("The customer whose orders to list"),
    status: z.enum(ORDER_STATUSES).optional().describe("Only orders in this status, e.g. shipped (default: all)"),
    limit: limitField(10, 50, "orders"),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["Show the orders of CUS-1077", "Does customer CUS-1077 have any orders in processing?", "List recent orders for CUS-1042"],
    retrievalExamples: [
      "What has CUS-1063 ordered from us?",
      "Show pending orders for CUS-1042",
      "How many orders has CUS-1077 placed?",
      "Find the most recent order of CUS-1100",
      "List delivered orders for this customer",
      "order history for CUS-1010",
    ],
  },
  run: ({ customer_id, status, limit = 10 }, ctx) => {
    const customer = ctx.db.sql.prepare("SELECT id, name FROM customers WHERE id = ?").get(customer_id) as { id: string; name: string } | undefined;
    if (!customer) throw notFound("customer", customer_id, "customer_id");
    const clause = status ? "customer_id = ? AND status = ?" : "customer_id = ?";
    const params = status ? [customer_id, status] : [customer_id];
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM orders WHERE ${clause}`).pluck().get(...params) as number;
    const orders = ctx.db.sql
      .prepare(`SELECT * FROM orders WHERE ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params, limit) as Parameters<typeof orderView>[0][];
    return {
      customer_id: customer.id,
      customer_name: customer.name,
      total_matched: total,
      returned: orders.length,
      orders: orders.map((o) => {
        const { shipping_address: _address, customer_id: _customer, ...rest } = orderView(o);
        return rest;
      }),
    };
  },
});

export const updateShippingAddress = defineTool({
  name: "update_shipping_address",
  description:
    "Changes the shipping address of an order that has not shipped yet (status pending or processing). " +
    "Refused with invalid_state once the order has shipped; then the parcel must be redirected with the carrier instead.",
  schema: z.object({
    order_id: orderIdField("The order whose address changes"),
    address: z.string().trim().min(10).max(300).describe("The full new shipping address, e.g. '12 Harbour St, Leeds LS1 4AB, UK'"),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "write",
    idempotent: true,
    scopes: ["shipping:write"],
    examples: ["Change the delivery address of ORD-10500 to 5 Elm Road, Bristol BS1 2AA", "Customer moved; update the shipping address on their order"],
    retrievalExamples: [
      "Update the delivery address on ORD-10412 to 12 High Street, Leeds",
      "The customer gave a new address for ORD-10233 before shipping",
      "Correct the postcode on order ORD-10500",
      "Ship ORD-10601 to a different address",
      "Fix a typo in the shipping address of this order",
      "change where the order will be delivered",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const order = loadOrder(ctx.db, args.order_id);
      if (!PRE_SHIPMENT_STATUSES.includes(order.status)) {
        const shipment = orderShipments(ctx.db, order.id)[0];
        throw new ToolError(
          "invalid_state",
          `Order ${order.id} is ${order.status}${shipment ? ` (shipment ${shipment.id} with ${shipment.carrier_id})` : ""}; its address can no longer be changed.`,
          "Tell the user the address cannot be changed after shipping; offer to contact the carrier or to notify the customer.",
          "order_id",
        );
      }
      if (order.shipping_address === args.address) {
        return noChange({ order_id: order.id, previous_address: order.shipping_address, address: args.address, changed: false });
      }
      ctx.db.sql.prepare("UPDATE orders SET shipping_address = ? WHERE id = ?").run(args.address, order.id);
      return { order_id: order.id, previous_address: order.shipping_address, address: args.address, changed: true };
    });
  },
});

/** Allowed manual status changes. Cancelling goes through cancel_order. */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["processing"],
  processing: ["shipped"],
  shipped: ["delivered", "returned"],
  delivered: ["returned"],
  cancelled: [],
  returned: [],
};

export const updateOrderStatus = defineTool({
  name: "update_order_status",
  description:
    "Moves an order to its next status along pending -> processing -> shipped -> delivered (or shipped/delivered -> returned); other jumps are refused with invalid_state. " +
    "Use it to correct an order's status; to cancel an order use cancel_order, to change its address use update_shipping_address.",
  schema: z.object({
    order_id: orderIdField("The order whose status changes"),
    status: z.enum(ORDER_STATUSES).describe("The new status, e.g. processing"),
    reason: reasonField("Why the status changes, e.g. 'carrier confirmed delivery'").optional(),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "write",
    idempotent: true,
    scopes: ["shipping:write"],
    examples: ["Mark ORD-10500 as shipped", "Set order ORD-10233 to delivered, the customer confirmed receipt", "Move ORD-10412 to processing"],
    retrievalExamples: [
      "Mark ORD-10412 as delivered",
      "Set ORD-10233 to returned",
      "Order ORD-10500 has shipped, update it",
      "Move order ORD-10601 from pending to processing",
      "Record that the customer sent ORD-10233 back",
      "change the order status",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const order = loadOrder(ctx.db, args.order_id);
      if (args.status === "cancelled") {
        throw new ToolError("invalid_state", "Orders are cancelled with cancel_order, not by a status change.", "Use cancel_order (it needs a reason and the user's approval).", "status");
      }
      if (order.status === args.status) {
        return noChange({ order_id: order.id, previous_status: order.status, status: order.status, changed: false });
      }
      const allowed = ORDER_TRANSITIONS[order.status];
      if (!allowed.includes(args.status)) {
        throw new ToolError(
          "invalid_state",
          `Order ${order.id} is ${order.status}; it cannot move to ${args.status}${allowed.length ? ` (allowed: ${allowed.join(", ")})` : " (final status)"}.`,
          "Tell the user the change is not possible and why; do not try intermediate statuses on your own.",
          "status",
        );
      }
      if (args.status === "shipped" && orderShipments(ctx.db, order.id).length === 0) {
        throw new ToolError(
          "invalid_state",
          `Order ${order.id} has no shipment; it cannot be marked shipped before a carrier label exists.`,
          "Tell the user the order has not been handed to a carrier yet.",
          "status",
        );
      }
      ctx.db.sql.prepare("UPDATE orders SET status = ? WHERE id = ?").run(args.status, order.id);
      return { order_id: order.id, previous_status: order.status, status: args.status, changed: true };
    });
  },
});

export const cancelOrder = defineTool({
  name: "cancel_order",
  description:
    "Cancels an order that has not shipped yet (status pending or processing) and records the reason in the order's notes. " +
    "Refused with invalid_state once shipped or delivered (use a return instead); it does not refund the payment (that is a finance action).",
  schema: z.object({
    order_id: orderIdField("The order to cancel"),
    reason: reasonField("Why the order is cancelled, e.g. 'customer ordered the wrong size'"),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "destructive",
    idempotent: true,
    scopes: ["shipping:write"],
    examples: ["Cancel order ORD-10500, the customer changed their mind", "Please cancel my order ORD-10412"],
    retrievalExamples: [
      "Cancel ORD-10601 before it ships",
      "The customer no longer wants ORD-10233, cancel it",
      "Stop order ORD-10412 from being sent",
      "Cancel CUS-1077's pending order",
      "Call off this order, it was placed by mistake",
      "cancel an unshipped order",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const order = loadOrder(ctx.db, args.order_id);
      if (!PRE_SHIPMENT_STATUSES.includes(order.status)) {
        throw new ToolError(
          "invalid_state",
          `Order ${order.id} is ${order.status}; only pending or processing orders can be cancelled.`,
          order.status === "cancelled"
            ? "Tell the user the order is already cancelled."
            : "Tell the user the order can no longer be cancelled; offer a return once it is delivered.",
          "order_id",
        );
      }
      const note = `Cancelled ${ctx.now.toISOString().slice(0, 10)}: ${args.reason}`;
      const notes = order.notes ? `${order.notes}\n${note}` : note;
      ctx.db.sql.prepare("UPDATE orders SET status = 'cancelled', notes = ? WHERE id = ?").run(notes, order.id);
      return {
        order_id: order.id,
        previous_status: order.status,
        status: "cancelled",
        total_usd: orderView(order).total_usd,
        refund: "not issued; refunds are a separate finance action",
      };
    });
  },
});
