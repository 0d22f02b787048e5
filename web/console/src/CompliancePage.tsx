// Compliance review (合规审查): the contacts the gateway refused, with each rule and its legal
// source; a preview that decides a scenario without storing it; and a content check for
// messages and scripts.
import { CaretRightOutlined, ReloadOutlined, SafetyOutlined, UndoOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, Descriptions, Input, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from "antd";
import { type ReactNode, useMemo, useState } from "react";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { type Language, useLanguage } from "../../shared/i18n";
import { labelOr, useLoad } from "./pages";
import { useLenderTimeZone } from "./session";
import { formatDateTime, zonedDateTime } from "./time";
import type { ContactDecisionItem, ContentFinding, ContentSpan, DecisionPreview, DecisionReason, GatewayDecision, StaffUser } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const decisionLimit = 200;
const noWrap = { whiteSpace: "nowrap" } as const;
const reviewable: readonly GatewayDecision[] = ["block", "defer", "warn"];
const decisionColors: Record<GatewayDecision, string> = { allow: "success", warn: "warning", defer: "orange", block: "error" };
const channels = ["call", "sms", "email", "voice_robot", "letter", "visit"] as const;
const personRoles = ["borrower", "guarantor", "emergency_contact", "third_party", "attorney"] as const;

/** A call at 22:30 under cn-default to a borrower in the lender's zone: deferred by the contact window. */
function sampleScenarioIn(timeZone: string): string {
  return JSON.stringify(
    {
      pack: "cn-default",
      request: { at: zonedDateTime("2026-11-20", "22:30", timeZone), channel: "call", personId: "borrower-1", contentClass: "collection" },
      persons: [{ id: "borrower-1", role: "borrower", timeZones: [timeZone] }],
      facts: { agentTrainedOn: "2026-06-01", institutionName: "安信消费金融（演示）" },
      history: [{ at: zonedDateTime("2026-11-20", "10:05", timeZone), channel: "call", direction: "outbound", personId: "borrower-1", outcome: "no_answer" }],
    },
    null,
    2,
  );
}

function messageOf(item: { messageZh: string; messageEn: string }, language: Language): string {
  return language === "en" ? item.messageEn : item.messageZh;
}

/** A React key for a reason or finding: a rule may hit more than once, at different places. */
function keyOf(item: { rule: string; span?: ContentSpan; messageEn: string }): string {
  return `${item.rule}:${item.span?.start ?? ""}:${item.messageEn}`;
}

function label(t: Translate, prefix: string, value: string): string {
  return labelOr(t(`${prefix}.${value}`), `${prefix}.${value}`, value);
}

export function CompliancePage({ user }: { user: StaffUser }) {
  const { t } = useLanguage();
  const canReview = user.permissions.includes("contacts:review");
  const items = [
    ...(canReview ? [{ key: "decisions", label: t("compliance.tab.decisions"), children: <DecisionsTab /> }] : []),
    { key: "preview", label: t("compliance.tab.preview"), children: <PreviewTab /> },
    { key: "content", label: t("compliance.tab.content"), children: <ContentTab /> },
  ];
  return (
    <Card title={t("menu.compliance")}>
      <Tabs data-testid="compliance-tabs" items={items} />
    </Card>
  );
}

function DecisionTag({ decision }: { decision: GatewayDecision }) {
  const { t } = useLanguage();
  return (
    <Tag color={decisionColors[decision] ?? "default"} data-decision={decision}>
      {label(t, "compliance.decision", decision)}
    </Tag>
  );
}

/** One reason: the rule id (hover for the legal source) and the message in the UI language. */
function ReasonLine({ reason }: { reason: DecisionReason }) {
  const { t, language } = useLanguage();
  const tip = (
    <div>
      <div>
        {t("compliance.rule")}: {reason.rule}
      </div>
      <div>
        {t("compliance.source")}: {reason.source}
      </div>
    </div>
  );
  return (
    <div data-testid="compliance-reason" data-rule={reason.rule} style={{ marginBottom: 4 }}>
      <Tooltip title={tip}>
        <Tag style={{ cursor: "help" }}>{reason.rule}</Tag>
      </Tooltip>
      <Typography.Text>{messageOf(reason, language)}</Typography.Text>
    </div>
  );
}

function NextAllowed({ decision, nextAllowedAt }: { decision: GatewayDecision; nextAllowedAt: string | null }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  if (nextAllowedAt)
    return (
      <span data-testid="compliance-next-allowed" style={noWrap}>
        {formatDateTime(nextAllowedAt, language, timeZone)}
      </span>
    );
  if (decision !== "block") return <span data-testid="compliance-next-allowed">—</span>;
  return (
    <Tooltip title={t("compliance.neverHint")}>
      <Typography.Text type="danger" data-testid="compliance-next-allowed">
        {t("compliance.never")}
      </Typography.Text>
    </Tooltip>
  );
}

function DecisionsTab() {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const [shown, setShown] = useState<GatewayDecision[]>(["block", "defer"]);
  const path = `/api/compliance/decisions?decision=${shown.join(",")}&limit=${decisionLimit}`;
  const { data, error, loading, reload } = useLoad<{ decisions: ContactDecisionItem[] }>(path);
  // The server orders by decision time; decisions made together (a batch) show the latest contact first.
  const rows = useMemo(
    () => [...(data?.decisions ?? [])].sort((left, right) => right.decidedAt.localeCompare(left.decidedAt) || right.contactAt.localeCompare(left.contactAt)),
    [data],
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("compliance.decisions.hint")}</Typography.Text>
      <Space wrap size="large">
        <Space>
          <Typography.Text>{t("compliance.filter")}</Typography.Text>
          <Checkbox.Group
            data-testid="compliance-decision-filter"
            value={shown}
            onChange={(values) => {
              if (values.length > 0) setShown(reviewable.filter((decision) => values.includes(decision)));
            }}
            options={reviewable.map((decision) => ({ value: decision, label: label(t, "compliance.decision", decision) }))}
          />
        </Space>
        <Button data-testid="compliance-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
        <Typography.Text type="secondary">{t("compliance.timeZoneNote", { zone: timeZone })}</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ContactDecisionItem>
        data-testid="compliance-decisions"
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: t("compliance.noDecisions") }}
        expandable={{ expandedRowRender: (item) => <DecisionDetails item={item} /> }}
        columns={[
          {
            title: t("compliance.contactAt"),
            dataIndex: "contactAt",
            width: 150,
            render: (value: string) => <span style={noWrap}>{formatDateTime(value, language, timeZone)}</span>,
          },
          { title: t("compliance.borrower"), dataIndex: "borrowerRef", render: (value: string | null) => <span style={noWrap}>{value ?? "—"}</span> },
          {
            title: t("compliance.person"),
            dataIndex: "personRole",
            render: (value: string) => <span style={noWrap}>{label(t, "compliance.role", value)}</span>,
          },
          {
            title: t("compliance.channel"),
            dataIndex: "channel",
            render: (value: string) => <span style={noWrap}>{label(t, "compliance.channel", value)}</span>,
          },
          { title: t("compliance.decision"), dataIndex: "decision", render: (value: GatewayDecision) => <DecisionTag decision={value} /> },
          {
            title: t("compliance.reasons"),
            dataIndex: "reasons",
            render: (reasons: DecisionReason[]) => (
              <div style={{ minWidth: 280 }}>
                {reasons.map((reason) => (
                  <ReasonLine key={keyOf(reason)} reason={reason} />
                ))}
              </div>
            ),
          },
          {
            title: t("compliance.nextAllowed"),
            dataIndex: "nextAllowedAt",
            width: 150,
            render: (value: string | null, item) => <NextAllowed decision={item.decision} nextAllowedAt={value} />,
          },
          { title: t("compliance.requestedBy"), dataIndex: "requestedBy", render: (value: string | null) => value ?? t("compliance.system") },
        ]}
      />
    </Space>
  );
}

/** The expanded row: when it was decided, under which pack, and every reason in full. */
function DecisionDetails({ item }: { item: ContactDecisionItem }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }} data-testid="compliance-decision-details">
      <Descriptions
        size="small"
        column={4}
        items={[
          { key: "decidedAt", label: t("compliance.decidedAt"), children: formatDateTime(item.decidedAt, language, timeZone) },
          { key: "contentClass", label: t("compliance.contentClass"), children: label(t, "compliance.contentClass", item.contentClass) },
          { key: "pack", label: t("compliance.pack"), children: <Typography.Text code>{item.pack}</Typography.Text> },
          { key: "requestedBy", label: t("compliance.requestedBy"), children: item.requestedBy ?? t("compliance.system") },
        ]}
      />
      {item.reasons.map((reason) => (
        <ReasonDetails key={keyOf(reason)} reason={reason} />
      ))}
    </Space>
  );
}

function ReasonDetails({ reason }: { reason: DecisionReason }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const rows: { key: string; label: string; children: ReactNode }[] = [
    { key: "rule", label: t("compliance.rule"), children: <Typography.Text code>{reason.rule}</Typography.Text> },
    { key: "effect", label: t("compliance.effect"), children: label(t, "compliance.effect", reason.effect) },
    { key: "source", label: t("compliance.source"), children: reason.source },
    { key: "explanation", label: t("compliance.explanation"), children: messageOf(reason, language) },
  ];
  if (reason.span) rows.push({ key: "span", label: t("compliance.matched"), children: <mark>{reason.span.text}</mark> });
  if (reason.allowedFrom)
    rows.push({ key: "allowedFrom", label: t("compliance.nextAllowed"), children: formatDateTime(reason.allowedFrom, language, timeZone) });
  return <Descriptions bordered size="small" column={1} items={rows} styles={{ label: { width: 140 } }} />;
}

type PreviewOutcome =
  | { kind: "decided"; preview: DecisionPreview }
  | { kind: "invalid"; fields: { field: string; message: string }[] }
  | { kind: "failed"; message: string };

/** The field list a 400 from the preview carries, if it carries one. */
function fieldErrorsOf(caught: unknown): { field: string; message: string }[] | null {
  if (!(caught instanceof ApiError) || caught.status !== 400) return null;
  const details = caught.details as { fields?: unknown } | undefined;
  if (!details || !Array.isArray(details.fields)) return null;
  return details.fields.filter((entry): entry is { field: string; message: string } => typeof entry?.field === "string" && typeof entry?.message === "string");
}

function PreviewTab() {
  const { t } = useLanguage();
  const timeZone = useLenderTimeZone();
  const sampleScenario = useMemo(() => sampleScenarioIn(timeZone), [timeZone]);
  const [text, setText] = useState(sampleScenario);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<PreviewOutcome | null>(null);

  const run = async () => {
    let scenario: unknown;
    try {
      scenario = JSON.parse(text);
    } catch (caught) {
      setOutcome({ kind: "failed", message: t("compliance.preview.invalidJson", { message: caught instanceof Error ? caught.message : String(caught) }) });
      return;
    }
    setRunning(true);
    try {
      const preview = await api<DecisionPreview>("POST", "/api/compliance/decisions/preview", scenario);
      setOutcome({ kind: "decided", preview });
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      setOutcome(fields && fields.length > 0 ? { kind: "invalid", fields } : { kind: "failed", message: describeError(t, caught) });
    } finally {
      setRunning(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("compliance.preview.hint")}</Typography.Text>
      <div style={{ display: "flex", gap: 16, flexWrap: "wrap", alignItems: "flex-start" }}>
        <div style={{ flex: "1 1 420px", minWidth: 320 }}>
          <Typography.Text strong>{t("compliance.preview.scenario")}</Typography.Text>
          <Input.TextArea
            data-testid="compliance-preview-input"
            aria-label={t("compliance.preview.scenario")}
            value={text}
            onChange={(event) => setText(event.target.value)}
            autoSize={{ minRows: 12, maxRows: 28 }}
            spellCheck={false}
            style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 12, marginTop: 4 }}
          />
          <Space style={{ marginTop: 8 }}>
            <Button data-testid="compliance-preview-run" type="primary" icon={<CaretRightOutlined />} loading={running} disabled={!text.trim()} onClick={run}>
              {t("compliance.preview.run")}
            </Button>
            <Button
              data-testid="compliance-preview-reset"
              icon={<UndoOutlined />}
              onClick={() => {
                setText(sampleScenario);
                setOutcome(null);
              }}
            >
              {t("compliance.preview.reset")}
            </Button>
          </Space>
        </div>
        <div data-testid="compliance-preview-result" style={{ flex: "1 1 420px", minWidth: 320 }}>
          {outcome && <PreviewResult outcome={outcome} />}
        </div>
      </div>
    </Space>
  );
}

function PreviewResult({ outcome }: { outcome: PreviewOutcome }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  if (outcome.kind === "failed") return <Alert type="error" showIcon title={outcome.message} />;
  if (outcome.kind === "invalid") {
    return (
      <Alert
        data-testid="compliance-preview-errors"
        type="error"
        showIcon
        title={t("compliance.preview.invalidScenario")}
        description={
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {outcome.fields.map((entry) => (
              <li key={`${entry.field}: ${entry.message}`}>
                <Typography.Text code>{entry.field}</Typography.Text> {entry.message}
              </li>
            ))}
          </ul>
        }
      />
    );
  }
  const { preview } = outcome;
  return (
    <Card size="small">
      <Space orientation="vertical" size="small" style={{ width: "100%" }}>
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: "decision",
              label: t("compliance.decision"),
              children: (
                <Space size={4}>
                  <DecisionTag decision={preview.decision} />
                  <Typography.Text code>{preview.decision}</Typography.Text>
                </Space>
              ),
            },
            {
              key: "nextAllowed",
              label: t("compliance.nextAllowed"),
              children: <NextAllowed decision={preview.decision} nextAllowedAt={preview.nextAllowedAt} />,
            },
            {
              key: "pack",
              label: t("compliance.pack"),
              children: t("compliance.preview.packVersion", { pack: preview.pack.id, version: preview.pack.version }),
            },
          ]}
        />
        <Typography.Text strong>{t("compliance.reasons")}</Typography.Text>
        {preview.reasons.length === 0 ? (
          <Typography.Text type="secondary">{t("compliance.preview.noReasons")}</Typography.Text>
        ) : (
          preview.reasons.map((reason) => (
            <div key={keyOf(reason)}>
              <ReasonLine reason={reason} />
              {reason.allowedFrom && (
                <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                  {t("compliance.allowedFrom", { time: formatDateTime(reason.allowedFrom, language, timeZone) })}
                </Typography.Text>
              )}
            </div>
          ))
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("compliance.timeZoneNote", { zone: timeZone })}
        </Typography.Text>
      </Space>
    </Card>
  );
}

interface Segment {
  start: number;
  text: string;
  rules: string[];
}

/** The text cut at the findings' spans, overlapping spans merged, so each match can be marked. */
function segmentsOf(text: string, findings: readonly ContentFinding[]): Segment[] {
  const spans = findings
    .filter((finding): finding is ContentFinding & { span: ContentSpan } => finding.span !== undefined)
    .map((finding) => ({ start: finding.span.start, end: finding.span.end, rules: [finding.rule] }))
    .filter((span) => span.start >= 0 && span.end <= text.length && span.start < span.end)
    .sort((left, right) => left.start - right.start);
  const merged: typeof spans = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (!last.rules.includes(span.rules[0] as string)) last.rules.push(...span.rules);
    } else {
      merged.push({ ...span, rules: [...span.rules] });
    }
  }
  const segments: Segment[] = [];
  let position = 0;
  for (const span of merged) {
    if (span.start > position) segments.push({ start: position, text: text.slice(position, span.start), rules: [] });
    segments.push({ start: span.start, text: text.slice(span.start, span.end), rules: span.rules });
    position = span.end;
  }
  if (position < text.length) segments.push({ start: position, text: text.slice(position), rules: [] });
  return segments;
}

interface ContentResult {
  text: string;
  passes: boolean;
  findings: ContentFinding[];
}

function ContentTab() {
  const { t } = useLanguage();
  const [text, setText] = useState("");
  const [channel, setChannel] = useState<string>("sms");
  const [role, setRole] = useState<string>("borrower");
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ContentResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setFailure(null);
    try {
      const response = await api<{ passes: boolean; findings: ContentFinding[] }>("POST", "/api/compliance/content-checks", { text, channel, role });
      setResult({ text, ...response });
    } catch (caught) {
      setResult(null);
      setFailure(describeError(t, caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("compliance.content.hint")}</Typography.Text>
      <Input.TextArea
        data-testid="compliance-content-input"
        aria-label={t("compliance.content.text")}
        placeholder={t("compliance.content.placeholder")}
        value={text}
        onChange={(event) => setText(event.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        maxLength={20_000}
      />
      <Space wrap>
        <Typography.Text>{t("compliance.channel")}</Typography.Text>
        <Select
          data-testid="compliance-content-channel"
          aria-label={t("compliance.channel")}
          value={channel}
          onChange={setChannel}
          style={{ width: 140 }}
          options={channels.map((value) => ({ value, label: label(t, "compliance.channel", value) }))}
        />
        <Typography.Text>{t("compliance.content.recipient")}</Typography.Text>
        <Select
          data-testid="compliance-content-role"
          aria-label={t("compliance.content.recipient")}
          value={role}
          onChange={setRole}
          style={{ width: 160 }}
          options={personRoles.map((value) => ({ value, label: label(t, "compliance.role", value) }))}
        />
        <Button data-testid="compliance-content-run" type="primary" icon={<SafetyOutlined />} loading={running} disabled={!text.trim()} onClick={run}>
          {t("compliance.content.run")}
        </Button>
      </Space>
      <div data-testid="compliance-content-result">
        {failure && <Alert type="error" showIcon title={failure} />}
        {result && <ContentFindings result={result} />}
      </div>
    </Space>
  );
}

function ContentFindings({ result }: { result: ContentResult }) {
  const { t, language } = useLanguage();
  if (result.passes) return <Alert type="success" showIcon title={t("compliance.content.passes")} />;
  const segments = segmentsOf(result.text, result.findings);
  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Alert type="warning" showIcon title={t("compliance.content.found", { count: result.findings.length })} />
      <div
        data-testid="compliance-content-text"
        style={{ whiteSpace: "pre-wrap", padding: "8px 12px", background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6 }}
      >
        {segments.map((segment) =>
          segment.rules.length > 0 ? (
            <Tooltip key={segment.start} title={segment.rules.join(", ")}>
              <mark data-testid="compliance-content-span" style={{ background: "#ffccc7", padding: "0 2px" }}>
                {segment.text}
              </mark>
            </Tooltip>
          ) : (
            <span key={segment.start}>{segment.text}</span>
          ),
        )}
      </div>
      {result.findings.map((finding) => (
        <div key={keyOf(finding)} data-testid="compliance-finding" data-rule={finding.rule}>
          <Tag color={finding.kind === "forbidden" ? "error" : "warning"}>{t(`compliance.content.kind.${finding.kind}`)}</Tag>
          <Tooltip title={`${t("compliance.source")}: ${finding.source}`}>
            <Tag style={{ cursor: "help" }}>{finding.rule}</Tag>
          </Tooltip>
          <Typography.Text>{messageOf(finding, language)}</Typography.Text>
        </div>
      ))}
    </Space>
  );
}
