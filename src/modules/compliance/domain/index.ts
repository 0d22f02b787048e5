// The compliance domain's public face: scenarios, the contact decision, rule packs, content
// checks and the rule catalogue. The gateway, CLI and routes import from here only.

export type { ContactDecision, DecideOptions, DecisionReason } from "./contact-decision.js";
export { decideContact } from "./contact-decision.js";
export {
  type Attitude,
  attitudes,
  isRightPartyPossible,
  type OverdueReasonCode,
  outcomeOfResult,
  overdueReasons,
  type ResultCode,
  resultCodes,
} from "./contact-record.js";
export type { Channel, ContactOutcome, ContentClass, Decision, Direction, Locale, PersonRole, RuleEffect } from "./contact-vocabulary.js";
export { channels, contactOutcomes, contentClasses, decisions, directions, locales, personRoles } from "./contact-vocabulary.js";
export type { ContactWindow, LocalTimeRange } from "./contact-window.js";
export type { ContentCheckOptions, ContentFinding, ContentSpan, TemplateCheck } from "./content-check.js";
export { checkContent, checkTemplate } from "./content-check.js";
export type { Weekday } from "./local-time.js";
export { epochDayOfPlainDate, instantOfWall, isTimeZone, minutesOfClock, weekdays } from "./local-time.js";
export type { CnParameters, ParameterDefinition, ParameterValue, Tightening, UsParameters } from "./pack-parameters.js";
export { cnParameterDefinitions, usParameterDefinitions } from "./pack-parameters.js";
export type { PackId, RuleDescriptor, RuleId, RuleParameter } from "./rule-catalogue.js";
export { ruleCatalogue, ruleDescriptor, ruleIds } from "./rule-catalogue.js";
export { ruleTexts } from "./rule-messages.js";
export type { PackOverrides, PackRegistry, ResolvedPack, RuleEngine, RulePackProblem, RulePackVersion } from "./rule-packs.js";
export { cnDefault2024, cnDefault2025, defaultPackRegistry, packVersionAt, RulePackError, resolvePack, usRegF2021 } from "./rule-packs.js";
export type {
  CallConsent,
  ContactFacts,
  ContactHistoryItem,
  ContactPerson,
  ContactRequest,
  ContactScenario,
  ParseScenarioResult,
  ScenarioInput,
  ScenarioProblem,
} from "./scenario.js";
export { normalizeScenario, parseScenario } from "./scenario.js";
