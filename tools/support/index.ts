/** The support domain's primitive tools. */
import { findCustomer, getCustomer, getPlanSla } from "./customers.js";
import { checkTicketSla, getTicket, listCustomerTickets } from "./tickets.js";
import { escalateTicket, replyToTicket, updateTicketStatus } from "./ticket-actions.js";
import { getKbArticle, searchPolicies } from "./knowledge.js";
import { issueCredit, listCustomerCredits } from "./credits.js";

export const supportTools = [
  findCustomer,
  getCustomer,
  getPlanSla,
  listCustomerTickets,
  getTicket,
  checkTicketSla,
  searchPolicies,
  getKbArticle,
  listCustomerCredits,
  issueCredit,
  escalateTicket,
  updateTicketStatus,
  replyToTicket,
];
