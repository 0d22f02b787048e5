export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  locale: string;
  /** The lender's IANA zone: every page shows dates and times there. */
  lenderTimeZone: string;
}

/** Why the contact gateway decided as it did: one rule, its effect, the law behind it. */
export interface DecisionReason {
  rule: string;
  effect: string;
  source: string;
  message: string;
  messageZh: string;
  messageEn: string;
  allowedFrom?: string;
  span?: ContentSpan;
}

export type GatewayDecision = "allow" | "warn" | "defer" | "block";

/** A stored gateway decision, as the compliance review lists it. */
export interface ContactDecisionItem {
  id: string;
  decidedAt: string;
  contactAt: string;
  borrowerId: string | null;
  borrowerRef: string | null;
  personRole: string;
  channel: string;
  contentClass: string;
  decision: GatewayDecision;
  reasons: DecisionReason[];
  nextAllowedAt: string | null;
  /** "pack@version", e.g. "cn-default@2025.02". */
  pack: string;
  requestedBy: string | null;
}

/** What the scenario preview answers. */
export interface DecisionPreview {
  decision: GatewayDecision;
  reasons: DecisionReason[];
  nextAllowedAt: string | null;
  pack: { id: string; version: string };
}

/** UTF-16 offsets into the checked text, as JavaScript indexes strings. */
export interface ContentSpan {
  start: number;
  end: number;
  text: string;
}

export interface ContentFinding {
  rule: string;
  kind: "forbidden" | "missing";
  span?: ContentSpan;
  message: string;
  messageZh: string;
  messageEn: string;
  source: string;
}

/** Why a case is where it is in the queue. */
export type DueReason = "action_due" | "promise_broken" | "promise_due" | "overdue";

/** One row of the agent's queue (我的案件); amounts are minor units (fen) as strings. */
export interface QueueItem {
  id: string;
  borrowerId: string;
  borrowerName: string | null;
  phoneMasked: string;
  status: string;
  openedOn: string;
  assignedAgent: string | null;
  overdueMinor: string;
  /** The currency of overdueMinor: the lender's. */
  currency: string;
  daysPastDueMax: number;
  bucket: string;
  nextActionAt: string | null;
  nextActionKind: string | null;
  promiseDueOn: string | null;
  lastContactAt: string | null;
  dueReason: DueReason;
}

/** A borrower as the reader's role may see them (identifiers masked or hidden by role). */
export interface BorrowerProfile {
  id: string;
  externalRef: string;
  name: string | null;
  nationalId: string | null;
  phone: string | null;
  address: string | null;
  email: string | null;
  birthDate: string | null;
  locale: string;
  timeZone: string;
}

/** A loan of the case's borrower as the last close left it; amounts in minor units. */
export interface CaseAccount {
  loanId: string;
  externalRef: string;
  product: string;
  productEn: string;
  status: string;
  daysPastDue: number;
  bucket: string;
  overdueMinor: string;
  outstandingMinor: string;
  currency: string;
}

export interface CaseContact {
  id: string;
  kind: string;
  relationship: string | null;
  phoneMasked: string;
  isPreAgreed: boolean;
  hasRefused: boolean;
  verification: string;
  name: string | null;
  /** Where the number came from: import, agent, borrower, system. */
  source: string;
  invalidReason: string | null;
  updatedAt: string | null;
}

/** A borrower's address as the case page shows it: masked by role, with source and verification. */
export interface CaseAddress {
  id: string;
  kind: string;
  address: string | null;
  source: string;
  verification: string;
  invalidReason: string | null;
  updatedAt: string | null;
}

/** The suggested script (建议话术) for the case, in the borrower's language and own numbers. */
export interface SuggestedScript {
  bucket: string;
  reason: string | null;
  language: "zh-CN" | "en";
  opening: string;
  points: { key: string; text: string }[];
  offers: { key: string; text: string }[];
  closing: string;
}

/** One entry of the contact timeline with the gateway decision it ran under and its 催记. */
export interface ContactAttemptView {
  id: string;
  at: string;
  channel: string;
  direction: string;
  personRole: string;
  contactId: string | null;
  status: string;
  outcome: string | null;
  decision: GatewayDecision | null;
  reasons: DecisionReason[] | null;
  nextAllowedAt: string | null;
  /** The agent's username. */
  agent: string | null;
  resultCode: string | null;
  rightPartyContact: boolean | null;
  overdueReason: string | null;
  attitude: string | null;
  note: string | null;
}

export interface PromiseView {
  id: string;
  caseId: string | null;
  loanId: string | null;
  promisedOn: string;
  status: string;
  recordedBy: string | null;
  totalMinor: string;
  installments: { installmentNo: number; dueOn: string; amountMinor: string; status: string; paidMinor: string | null }[];
}

export interface RestrictionView {
  id: string;
  kind: string;
  startedAt: string;
  endedAt: string | null;
  note: string | null;
}

/** What the gateway would decide for a contact right now. */
export interface GatewayOutlook {
  decision: GatewayDecision;
  reasons: DecisionReason[];
  nextAllowedAt: string | null;
}

/** A case as the agent works it (borrower 360°). */
export interface CaseDetail {
  id: string;
  status: string;
  openedOn: string;
  assignedAgent: string | null;
  holdUntil: string | null;
  borrower: BorrowerProfile;
  accounts: CaseAccount[];
  totals: { overdueMinor: string; outstandingMinor: string; daysPastDueMax: number };
  contacts: CaseContact[];
  addresses: CaseAddress[];
  suggestedScript: SuggestedScript | null;
  attempts: ContactAttemptView[];
  promises: PromiseView[];
  restrictions: RestrictionView[];
  actions: { id: string; kind: string; dueAt: string; note: string | null; doneAt: string | null }[];
  allowedNow: { call: GatewayOutlook; sms: GatewayOutlook };
}

/** What POST /api/contact-attempts answers: the attempt and the stored decision. */
export interface ContactAttemptResult extends GatewayOutlook {
  attemptId: string;
  status: "in_progress" | "sent" | "blocked" | "deferred";
  decisionId: string;
}

/** One component of an installment; decimal strings in the loan's currency. */
export interface ComponentBalance {
  charged: string;
  paid: string;
  outstanding: string;
}

/** What is owed on a loan on a date, and why (GET /api/loans/:id/statement); decimal strings. */
export interface LoanStatement {
  asOf: string;
  currency: string;
  daysPastDue: number;
  bucket: string;
  overdue: string;
  penaltyPerDay: string;
  principalOutstanding: string;
  credit: string;
  outstanding: { principal: string; interest: string; penalty: string; fee: string };
  legalCap: { allowance: string | null; claimed: string; notClaimed: string };
  installments: {
    number: number;
    dueDate: string;
    graceEndsOn: string;
    status: string;
    daysPastDue: number;
    principal: ComponentBalance;
    interest: ComponentBalance;
    penalty: ComponentBalance;
    fee: ComponentBalance;
    penaltyLines: { from: string; to: string; days: number; base: string; dailyRatePercent: string; perDay: string; amount: string; notClaimed: string }[];
    lateFee: { chargedOn: string; amount: string; notClaimed: string } | null;
  }[];
}

/** One agent's day on the team board (GET /api/reports/team-board); amounts in minor units. */
export interface TeamBoardFigures {
  openCases: number;
  heldCases: number;
  contactAttempts: number;
  connected: number;
  rightPartyContacts: number;
  promisesMade: number;
  promisesDue: number;
  promisedDueMinor: string;
  promisesKept: number;
  promisesBroken: number;
  paymentsRecovered: number;
  recoveredMinor: string;
  loadPercent: number | null;
}

export interface TeamBoardAgent extends TeamBoardFigures {
  agentId: string;
  username: string;
  displayName: string;
  agencyId: string | null;
  isActive: boolean;
  capacity: number;
}

export interface TeamBoard {
  date: string;
  timeZone: string;
  currency: string;
  scope: { kind: "lender" | "agency"; agencyId: string | null };
  agents: TeamBoardAgent[];
  totals: TeamBoardFigures & { agents: number; capacity: number };
  unassignedCases: number;
}

/** An open case of one agent (or of the pool), as the team board lists it for reassignment. */
export interface AgentCaseItem {
  id: string;
  borrowerId: string;
  borrowerName: string | null;
  phoneMasked: string;
  status: string;
  openedOn: string;
  holdUntil: string | null;
  isHeld: boolean;
  overdueMinor: string;
  daysPastDueMax: number;
  bucket: string;
  lastContactAt: string | null;
}
