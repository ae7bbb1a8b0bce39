/** The shipping domain's primitive tools. */
import { getCarrierPerformance, listCarriers } from "./carriers.js";
import { notifyCustomerShipping } from "./notify.js";
import { cancelOrder, getOrder, listCustomerOrders, updateOrderStatus, updateShippingAddress } from "./orders.js";
import { findDelayedShipments, getShipment, trackShipment } from "./shipments.js";

export const shippingTools = [
  getOrder,
  listCustomerOrders,
  getShipment,
  trackShipment,
  findDelayedShipments,
  listCarriers,
  getCarrierPerformance,
  updateShippingAddress,
  updateOrderStatus,
  cancelOrder,
  notifyCustomerShipping,
];

export {
  cancelOrder,
  findDelayedShipments,
  getCarrierPerformance,
  getOrder,
  getShipment,
  listCarriers,
  listCustomerOrders,
  notifyCustomerShipping,
  trackShipment,
  updateOrderStatus,
  updateShippingAddress,
};
