/** The incidents domain's primitive tools. */
import { createIncident, pageOncall, postStatusUpdate, updateIncident } from "./incident-actions.js";
import { getIncident, getIncidentStats, listIncidents, listOpenIncidents } from "./incidents.js";
import { getChannelMessages, getRunbook, searchRunbooks } from "./knowledge.js";
import { getServiceStatus, listServices, setServiceStatus } from "./services.js";
import { getServiceMetrics, searchLogs } from "./telemetry.js";

export const incidentTools = [
  listServices,
  getServiceStatus,
  getServiceMetrics,
  searchLogs,
  getChannelMessages,
  searchRunbooks,
  getRunbook,
  getIncident,
  listOpenIncidents,
  listIncidents,
  getIncidentStats,
  createIncident,
  updateIncident,
  setServiceStatus,
  pageOncall,
  postStatusUpdate,
];

export {
  createIncident,
  getChannelMessages,
  getIncident,
  getIncidentStats,
  getRunbook,
  getServiceMetrics,
  getServiceStatus,
  listIncidents,
  listOpenIncidents,
  listServices,
  pageOncall,
  postStatusUpdate,
  searchLogs,
  searchRunbooks,
  setServiceStatus,
  updateIncident,
};
