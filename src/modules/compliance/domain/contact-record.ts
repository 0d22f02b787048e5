// A contact record (催记) in the agent's words, and what the rules count from it. Pure.
import type { ContactOutcome } from "./contact-vocabulary.js";

export const resultCodes = ["connected", "no_answer", "busy", "switched_off", "not_in_service", "wrong_person", "refused", "hung_up", "voicemail"] as const;
export type ResultCode = (typeof resultCodes)[number];

export const overdueReasons = [
  "income_drop",
  "illness",
  "unemployment",
  "family_emergency",
  "forgot",
  "dispute",
  "suspected_fraud",
  "refuses",
  "other",
] as const;
export type OverdueReasonCode = (typeof overdueReasons)[number];

export const attitudes = ["cooperative", "neutral", "evasive", "hostile"] as const;
export type Attitude = (typeof attitudes)[number];

/**
 * The outcome the rules count. A call that never reached the number (busy, switched off, not in
 * service) is "not connected" (Regulation F 1006.14(b)(3)(ii) excludes it); one answered by the
 * right party is a conversation, and hanging up or refusing ends it by the consumer; one answered
 * by someone else still reached the number and counts as connected (conservatively, toward the
 * daily cap too).
 */
export function outcomeOfResult(resultCode: ResultCode, rightPartyContact: boolean): { outcome: ContactOutcome; endedByConsumer: boolean } {
  switch (resultCode) {
    case "busy":
    case "switched_off":
    case "not_in_service":
      return { outcome: "not_connected", endedByConsumer: false };
    case "no_answer":
      return { outcome: "no_answer", endedByConsumer: false };
    case "voicemail":
      return { outcome: "voicemail", endedByConsumer: false };
    case "wrong_person":
      return { outcome: "connected", endedByConsumer: false };
    case "hung_up":
      return { outcome: rightPartyContact ? "conversation" : "connected", endedByConsumer: rightPartyContact };
    case "refused":
      return { outcome: rightPartyContact ? "conversation" : "connected", endedByConsumer: false };
    case "connected":
      return { outcome: rightPartyContact ? "conversation" : "connected", endedByConsumer: false };
  }
}

/** Right-party contact only makes sense when someone answered. */
export function isRightPartyPossible(resultCode: ResultCode): boolean {
  return resultCode === "connected" || resultCode === "refused" || resultCode === "hung_up";
}
