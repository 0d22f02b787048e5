// The words of the contact gateway: channels, who is contacted, what a message is for, and how
// an attempt ended. Kept apart so the scenario, the rule packs and the rules share one list.

export const channels = ["call", "sms", "email", "voice_robot", "letter", "visit"] as const;
export type Channel = (typeof channels)[number];

/** Channels that place a telephone call (a robot call is a prerecorded telephone call). */
export const telephoneChannels: readonly Channel[] = ["call", "voice_robot"];

export const personRoles = ["borrower", "guarantor", "emergency_contact", "third_party", "attorney"] as const;
export type PersonRole = (typeof personRoles)[number];

/** Roles that owe the debt and may be asked to pay it. */
export const obligorRoles: readonly PersonRole[] = ["borrower", "guarantor"];

export const contentClasses = ["collection", "location_only", "limited_content", "plan_reminder"] as const;
export type ContentClass = (typeof contentClasses)[number];

export const contactOutcomes = ["not_connected", "no_answer", "voicemail", "limited_content_message", "conversation", "connected"] as const;
export type ContactOutcome = (typeof contactOutcomes)[number];

export const directions = ["outbound", "inbound"] as const;
export type Direction = (typeof directions)[number];

export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];

export const decisions = ["allow", "warn", "defer", "block"] as const;
export type Decision = (typeof decisions)[number];

/** What a fired rule does to the contact; "info" explains without changing the decision. */
export type RuleEffect = "block" | "defer" | "warn" | "info";
