// The variables a message template (话术模板) may use, each with its type, and the values a
// rendering takes: the borrower's own figures for a real case, or the built-in sample values
// for a preview. Amounts are bigint minor units with their currency; dates are YYYY-MM-DD.

export const variableTypes = ["money", "date", "integer", "text", "url"] as const;
export type VariableType = (typeof variableTypes)[number];

export const templateLanguages = ["zh-CN", "en"] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];

export interface Money {
  amountMinor: bigint;
  currency: string;
}

export interface VariableDefinition {
  type: VariableType;
  labelZh: string;
  labelEn: string;
}

export const variableCatalogue = {
  borrowerName: { type: "text", labelZh: "借款人姓名", labelEn: "Borrower name" },
  amountOverdue: { type: "money", labelZh: "逾期金额", labelEn: "Amount overdue" },
  daysOverdue: { type: "integer", labelZh: "逾期天数", labelEn: "Days overdue" },
  penaltySoFar: { type: "money", labelZh: "已产生罚息", labelEn: "Penalty so far" },
  dueDate: { type: "date", labelZh: "还款日", labelEn: "Due date" },
  repaymentLink: { type: "url", labelZh: "还款链接", labelEn: "Repayment link" },
  institutionName: { type: "text", labelZh: "机构名称", labelEn: "Institution name" },
} as const satisfies Record<string, VariableDefinition>;

export type VariableName = keyof typeof variableCatalogue;
export const variableNames = Object.keys(variableCatalogue) as VariableName[];

type ValueOf<Type extends VariableType> = Type extends "money" ? Money : Type extends "integer" ? bigint : string;

/** A value for every variable; null where the case has none (no installment left, no name on file). */
export type TemplateValues = {
  [Name in VariableName]: ValueOf<(typeof variableCatalogue)[Name]["type"]> | null;
};

export function isVariableName(name: string): name is VariableName {
  return Object.hasOwn(variableCatalogue, name);
}

/**
 * The values a preview without a case uses: ordinary figures of an M1 account, and an amount
 * with every digit group so a reviewer sees the formatting.
 */
export function sampleValues(input: { institutionName: string; repaymentLink: string | null; currency?: string; language: TemplateLanguage }): TemplateValues {
  const currency = input.currency ?? "CNY";
  return {
    borrowerName: input.language === "en" ? "Zhang San" : "张三",
    amountOverdue: { amountMinor: 123_456n, currency },
    daysOverdue: 15n,
    penaltySoFar: { amountMinor: 2_345n, currency },
    dueDate: "2026-12-15",
    repaymentLink: input.repaymentLink ?? "https://pay.example.com/portal",
    institutionName: input.institutionName,
  };
}
