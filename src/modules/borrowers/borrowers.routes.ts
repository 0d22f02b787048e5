import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { getBorrowerProfile, revealBorrowerField } from "./borrowers.service.js";
import {
  addBorrowerAddress,
  addBorrowerContact,
  getContactDetails,
  listContactDetailHistory,
  updateBorrowerAddress,
  updateBorrowerContact,
} from "./contact-details.service.js";

const piiField = z.enum(["name", "national_id", "phone", "address", "email"]);
const contactView = z.object({
  id: z.string(),
  kind: z.string(),
  relationship: z.string().nullable(),
  name: z.string().nullable(),
  phoneMasked: z.string(),
  isPreAgreed: z.boolean(),
  hasRefused: z.boolean(),
  source: z.string(),
  verification: z.string(),
  invalidReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});
const addressView = z.object({
  id: z.string(),
  kind: z.string(),
  address: z.string().nullable(),
  source: z.string(),
  verification: z.string(),
  invalidReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});
// Codes are checked by the service so that the error names the field in the platform's words.
const detailPatch = z.object({
  verification: z.string().max(32).optional(),
  invalidReason: z.string().max(32).nullable().optional(),
  hasRefused: z.boolean().optional(),
  note: z.string().max(500).nullable().optional(),
});
const profile = z.object({
  id: z.string(),
  externalRef: z.string(),
  name: z.string().nullable(),
  nationalId: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  birthDate: z.string().nullable(),
  locale: z.string(),
  timeZone: z.string(),
});

export const borrowerRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/borrowers/:borrowerId",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["borrowers"],
        summary: "A borrower's identity, masked for the caller's role",
        params: z.object({ borrowerId: z.uuid() }),
        response: { 200: z.object({ borrower: profile }) },
      },
    },
    async (request) => ({ borrower: await getBorrowerProfile(context, request.actor, request.params.borrowerId) }),
  );

  app.post(
    "/api/borrowers/:borrowerId/reveal",
    {
      config: { access: "pii:reveal" },
      schema: {
        tags: ["borrowers"],
        summary: "Reveal one identifier in full, with a reason (audited)",
        params: z.object({ borrowerId: z.uuid() }),
        body: z.object({ field: piiField, reason: z.string().min(1).max(500) }),
        response: { 200: z.object({ field: piiField, value: z.string().nullable() }) },
      },
    },
    async (request) => ({
      field: request.body.field,
      value: await revealBorrowerField(context, request.actor, request.params.borrowerId, request.body.field, request.body.reason, request.ip),
    }),
  );

  app.get(
    "/api/borrowers/:borrowerId/contact-details",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["borrowers"],
        summary: "A borrower's phones and addresses with source and verification, masked for the caller's role",
        params: z.object({ borrowerId: z.uuid() }),
        response: { 200: z.object({ contacts: z.array(contactView), addresses: z.array(addressView) }) },
      },
    },
    async (request) => getContactDetails(context, request.actor, request.params.borrowerId),
  );

  app.get(
    "/api/borrowers/:borrowerId/contact-history",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["borrowers"],
        summary: "Every change to a borrower's contacts and addresses: who, when, from what to what (masked)",
        params: z.object({ borrowerId: z.uuid() }),
      },
    },
    async (request) => ({ changes: await listContactDetailHistory(context, request.actor, request.params.borrowerId) }),
  );

  app.post(
    "/api/borrowers/:borrowerId/contacts",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["borrowers"],
        summary: "Add a phone: the borrower's own, a guarantor's or an emergency contact's (relationship, pre-agreed), with its source",
        params: z.object({ borrowerId: z.uuid() }),
        body: z.object({
          kind: z.string().max(32),
          phone: z.string().max(32),
          name: z.string().max(200).nullable().optional(),
          relationship: z.string().max(32).nullable().optional(),
          isPreAgreed: z.boolean().optional(),
          source: z.string().max(32).optional(),
        }),
        response: { 200: z.object({ contact: contactView }), 201: z.object({ contact: contactView }) },
      },
    },
    async (request, reply) => {
      const { contact, created } = await addBorrowerContact(context, request.actor, request.params.borrowerId, request.body, request.ip);
      reply.code(created ? 201 : 200);
      return { contact };
    },
  );

  app.patch(
    "/api/borrower-contacts/:contactId",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["borrowers"],
        summary: "Mark a contact verified or invalid (with a reason such as wrong_number or not_in_service), or record a refusal",
        params: z.object({ contactId: z.uuid() }),
        body: detailPatch,
        response: { 200: z.object({ contact: contactView }) },
      },
    },
    async (request) => ({ contact: await updateBorrowerContact(context, request.actor, request.params.contactId, request.body, request.ip) }),
  );

  app.post(
    "/api/borrowers/:borrowerId/addresses",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["borrowers"],
        summary: "Add a home, work or mailing address (encrypted at rest), with its source",
        params: z.object({ borrowerId: z.uuid() }),
        body: z.object({ kind: z.string().max(32), address: z.string().max(1000), source: z.string().max(32).optional() }),
        response: { 200: z.object({ address: addressView }), 201: z.object({ address: addressView }) },
      },
    },
    async (request, reply) => {
      const { address, created } = await addBorrowerAddress(context, request.actor, request.params.borrowerId, request.body, request.ip);
      reply.code(created ? 201 : 200);
      return { address };
    },
  );

  app.patch(
    "/api/borrower-addresses/:addressId",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["borrowers"],
        summary: "Mark an address verified or invalid (with a reason such as not_found or moved)",
        params: z.object({ addressId: z.uuid() }),
        body: detailPatch,
        response: { 200: z.object({ address: addressView }) },
      },
    },
    async (request) => ({ address: await updateBorrowerAddress(context, request.actor, request.params.addressId, request.body, request.ip) }),
  );
};
