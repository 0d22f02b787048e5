// Reminders (提醒): a day's plan and its dry run (strategist: dry run; admin: plan) with the
// totals and the per strategy × variant × step lines; the last days' campaign progress by
// message status; the messages with filters and paging; the champion/challenger report over a
// span of days; and the borrowers' replies and opt-outs for those who review contacts. Each part
// shows only to a user whose permissions let them use it.
import { ExperimentOutlined, ReloadOutlined, SendOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Input, InputNumber, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from "antd";
import { type HTMLAttributes, useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { labelOr, useLoad } from "./pages";
import { useLenderTimeZone } from "./session";
import { addDays, formatInstant, todayIn } from "./time";
import type { StaffUser } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const statuses = ["planned", "sending", "sent", "delivered", "failed", "skipped", "cancelled"] as const;
type ReminderStatus = (typeof statuses)[number];
const channels = ["sms", "email", "voice_robot"] as const;
const statusTagColors: Record<ReminderStatus, string> = {
  planned: "blue",
  sending: "processing",
  sent: "geekblue",
  delivered: "success",
  failed: "error",
  skipped: "warning",
  cancelled: "default",
};
const statusBarColors: Record<ReminderStatus, string> = {
  planned: "#91caff",
  sending: "#1677ff",
  sent: "#2f54eb",
  delivered: "#52c41a",
  failed: "#ff4d4f",
  skipped: "#faad14",
  cancelled: "#bfbfbf",
};
const messagesPageSize = 20;
const reportDaysDefault = 7;
const reasonsShownMax = 3;
const noWrap = { whiteSpace: "nowrap" } as const;

interface SegmentLine {
  strategyCode: string;
  variantCode: string;
  stepKey: string;
  channel: string;
  planned: number;
  deferred: number;
  skipped: number;
  reasons: Record<string, number>;
}

interface PlanResult {
  runId: string | null;
  date: string;
  dryRun: boolean;
  alreadyPlanned: boolean;
  totals: {
    accountsRead: number;
    contactsPlanned: number;
    allowed: number;
    deferred: number;
    skipped: number;
    escalations: number;
    noTemplate: number;
    segments: SegmentLine[];
    ms: number;
  };
}

interface ReminderRun {
  id: string;
  businessDate: string;
  status: "running" | "completed";
  startedAt: string;
  finishedAt: string | null;
  byStatus: Record<ReminderStatus, number>;
  planned: number;
  escalations: number;
}

interface ReminderMessage {
  id: string;
  businessDate: string;
  borrowerId: string;
  loanId: string;
  caseId: string | null;
  strategyCode: string;
  variantCode: string;
  stepKey: string;
  channel: string;
  templateCode: string;
  language: string;
  status: ReminderStatus;
  statusReason: string | null;
  decision: string | null;
  scheduledAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  attempts: number;
  provider: string | null;
  errorCode: string | null;
}

interface ReportLine {
  strategyCode: string;
  strategyName: string;
  variantCode: string;
  templateCode: string;
  channel: string;
  planned: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  replies: number;
  optOuts: number;
  paidAfter: number;
  deliveryRatePerMille: number | null;
  paymentRatePerMille: number | null;
}

interface Reply {
  provider: string;
  eventId: string;
  kind: "reply" | "stop";
  borrowerId: string | null;
  fromMasked: string | null;
  text: string;
  receivedAt: string;
}

/** A per-mille integer as a percentage with one decimal: 873 → "87.3%" (integer arithmetic only). */
function formatPerMille(perMille: number | null): string {
  if (perMille === null) return "—";
  return `${Math.trunc(perMille / 10)}.${perMille % 10}%`;
}

function statusLabel(t: Translate, status: string): string {
  return labelOr(t(`reminders.status.${status}`), `reminders.status.${status}`, status);
}

function channelLabel(t: Translate, channel: string): string {
  // A cadence's agent step is a callback task for an agent, not a message.
  if (channel === "agent") return t("strategies.channel.agent");
  return labelOr(t(`compliance.channel.${channel}`), `compliance.channel.${channel}`, channel);
}

function StatusTag({ status }: { status: ReminderStatus }) {
  const { t } = useLanguage();
  return <Tag color={statusTagColors[status] ?? "default"}>{statusLabel(t, status)}</Tag>;
}

/** Reloads when `refreshKey` changes after the first render (a plan just stored new messages). */
function useReloadOn(refreshKey: number, reload: () => void) {
  const seen = useRef(refreshKey);
  useEffect(() => {
    if (seen.current === refreshKey) return;
    seen.current = refreshKey;
    reload();
  }, [refreshKey, reload]);
}

export function RemindersPage({ user }: { user: StaffUser }) {
  const { t } = useLanguage();
  const canRead = user.permissions.includes("reports:read");
  const canDryRun = user.permissions.includes("strategies:manage");
  const canPlan = user.permissions.includes("close:run");
  const canReviewReplies = user.permissions.includes("contacts:review");
  const canOpenCases = user.permissions.includes("cases:read");
  const [refreshKey, setRefreshKey] = useState(0);
  const [messagesDate, setMessagesDate] = useState("");

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t("reminders.title")}
        </Typography.Title>
        <Typography.Text type="secondary">{t("reminders.intro")}</Typography.Text>
      </div>
      {(canDryRun || canPlan) && <PlanCard canDryRun={canDryRun} canPlan={canPlan} canRead={canRead} onPlanned={() => setRefreshKey((key) => key + 1)} />}
      {canRead && <RunsCard refreshKey={refreshKey} onPickDate={setMessagesDate} />}
      {canRead && <MessagesCard refreshKey={refreshKey} date={messagesDate} onDateChange={setMessagesDate} canOpenCases={canOpenCases} />}
      {canRead && <ReportCard refreshKey={refreshKey} />}
      {canReviewReplies && <RepliesCard />}
    </Space>
  );
}

function PlanCard({ canDryRun, canPlan, canRead, onPlanned }: { canDryRun: boolean; canPlan: boolean; canRead: boolean; onPlanned: () => void }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  // Business dates are days in the lender's zone.
  const [date, setDate] = useState(() => todayIn(timeZone));
  const [busy, setBusy] = useState<"dry" | "plan" | null>(null);
  const [result, setResult] = useState<PlanResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The day the planner would plan next: the one after the last closed date.
  useEffect(() => {
    if (!canRead) return;
    let isCurrent = true;
    api<{ closedThrough: string | null }>("GET", "/api/close/runs?limit=1")
      .then((response) => {
        if (isCurrent && response.closedThrough) setDate(addDays(response.closedThrough, 1));
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [canRead]);

  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? "dry" : "plan");
    setFailure(null);
    try {
      const response = await api<PlanResult>("POST", dryRun ? "/api/reminders/plan/dry-run" : "/api/reminders/plan", date ? { date } : {});
      setResult(response);
      if (!dryRun) onPlanned();
    } catch (caught) {
      setResult(null);
      const isNotClosed = caught instanceof ApiError && caught.code === "CONFLICT";
      setFailure(isNotClosed ? t("reminders.plan.notClosed", { message: (caught as ApiError).message }) : describeError(t, caught));
    } finally {
      setBusy(null);
    }
  };

  const totals = result?.totals;
  const number = (value: number) => value.toLocaleString(language);
  return (
    <Card title={t("reminders.plan.title")}>
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space wrap align="end">
          <Space orientation="vertical" size={4}>
            <Typography.Text type="secondary">{t("reminders.plan.date")}</Typography.Text>
            <Input
              data-testid="reminders-plan-date"
              type="date"
              aria-label={t("reminders.plan.date")}
              value={date}
              onChange={(event) => setDate(event.target.value)}
              style={{ width: 170 }}
            />
          </Space>
          {canDryRun && (
            <Button
              data-testid="reminders-dry-run"
              icon={<ExperimentOutlined />}
              loading={busy === "dry"}
              disabled={!date || busy !== null}
              onClick={() => run(true)}
            >
              {t("reminders.plan.dryRun")}
            </Button>
          )}
          {canPlan && (
            <Button
              data-testid="reminders-plan"
              type="primary"
              icon={<SendOutlined />}
              loading={busy === "plan"}
              disabled={!date || busy !== null}
              onClick={() => run(false)}
            >
              {t("reminders.plan.run")}
            </Button>
          )}
        </Space>
        <Typography.Text type="secondary">{t("reminders.plan.hint")}</Typography.Text>
        {failure && <Alert data-testid="reminders-plan-error" type="error" showIcon title={failure} closable={{ onClose: () => setFailure(null) }} />}
        {result && totals && (
          <div data-testid="reminders-plan-result">
            <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
              <Alert
                type={result.dryRun ? "info" : "success"}
                showIcon
                title={t(
                  result.dryRun ? "reminders.plan.resultDry" : result.alreadyPlanned ? "reminders.plan.alreadyPlanned" : "reminders.plan.resultPlanned",
                  {
                    date: result.date,
                  },
                )}
              />
              <Row gutter={[16, 16]}>
                {(["accountsRead", "contactsPlanned", "allowed", "deferred", "skipped", "escalations", "noTemplate"] as const).map((key) => (
                  <Col key={key} xs={12} md={6} xl={3}>
                    <div data-testid={`reminders-total-${key}`}>
                      <Statistic title={t(`reminders.totals.${key}`)} value={number(totals[key])} />
                    </div>
                  </Col>
                ))}
                <Col xs={12} md={6} xl={3}>
                  <Statistic title={t("reminders.totals.ms")} value={t("close.durationMs", { value: number(totals.ms) })} />
                </Col>
              </Row>
              <SegmentsTable segments={totals.segments} />
            </Space>
          </div>
        )}
      </Space>
    </Card>
  );
}

function SegmentsTable({ segments }: { segments: SegmentLine[] }) {
  const { t, language } = useLanguage();
  const number = (value: number) => value.toLocaleString(language);
  return (
    <Table<SegmentLine>
      data-testid="reminders-segments"
      rowKey={(line) => `${line.strategyCode}/${line.variantCode}/${line.stepKey}`}
      size="small"
      pagination={false}
      dataSource={segments}
      scroll={{ x: "max-content" }}
      locale={{ emptyText: t("reminders.segments.none") }}
      columns={[
        { title: t("reminders.strategy"), dataIndex: "strategyCode", render: (code: string) => <Typography.Text strong>{code}</Typography.Text> },
        { title: t("reminders.variant"), dataIndex: "variantCode" },
        { title: t("reminders.step"), dataIndex: "stepKey" },
        { title: t("reminders.channel"), dataIndex: "channel", render: (channel: string) => channelLabel(t, channel) },
        { title: t("reminders.segments.toSend"), dataIndex: "planned", align: "right", render: number },
        { title: t("reminders.segments.deferred"), dataIndex: "deferred", align: "right", render: number },
        { title: t("reminders.segments.skipped"), dataIndex: "skipped", align: "right", render: number },
        {
          title: t("reminders.segments.reasons"),
          key: "reasons",
          render: (_value, line) => {
            const top = Object.entries(line.reasons)
              .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
              .slice(0, reasonsShownMax);
            if (top.length === 0) return "—";
            return (
              <Space size={[4, 4]} wrap>
                {top.map(([rule, count]) => (
                  <Tag key={rule}>{`${rule} × ${number(count)}`}</Tag>
                ))}
              </Space>
            );
          },
        },
      ]}
    />
  );
}

/** One bar per run, a segment per status as wide as its count (flex weights: integers, no rounding). */
function StatusBar({ byStatus }: { byStatus: Record<ReminderStatus, number> }) {
  const { t } = useLanguage();
  const shown = statuses.filter((status) => (byStatus[status] ?? 0) > 0);
  return (
    <Space orientation="vertical" size={4} style={{ minWidth: 260 }}>
      <div style={{ display: "flex", height: 10, borderRadius: 5, overflow: "hidden", background: "#f0f0f0" }}>
        {shown.map((status) => (
          <Tooltip key={status} title={`${statusLabel(t, status)} ${byStatus[status]}`}>
            <div style={{ flex: byStatus[status], background: statusBarColors[status] }} />
          </Tooltip>
        ))}
      </div>
      <Space size={[4, 4]} wrap>
        {shown.map((status) => (
          <Tag key={status} color={statusTagColors[status]} data-testid={`reminders-run-${status}`}>
            {`${statusLabel(t, status)} ${byStatus[status]}`}
          </Tag>
        ))}
      </Space>
    </Space>
  );
}

function RunsCard({ refreshKey, onPickDate }: { refreshKey: number; onPickDate: (date: string) => void }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { data, error, loading, reload } = useLoad<{ runs: ReminderRun[] }>("/api/reminders/runs");
  useReloadOn(refreshKey, reload);
  return (
    <Card
      title={t("reminders.runs.title")}
      extra={
        <Button data-testid="reminders-runs-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      <Space orientation="vertical" size="small" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{t("reminders.runs.hint")}</Typography.Text>
        {error && <Alert type="error" showIcon title={error} />}
        <Table<ReminderRun>
          data-testid="reminders-runs"
          rowKey="id"
          size="small"
          loading={loading && !data}
          pagination={false}
          dataSource={data?.runs ?? []}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("reminders.runs.none") }}
          onRow={(run) => ({ style: { cursor: "pointer" }, onClick: () => onPickDate(run.businessDate) }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t("reminders.businessDate"), dataIndex: "businessDate", render: (value: string) => <Typography.Text strong>{value}</Typography.Text> },
            {
              title: t("reminders.runs.status"),
              dataIndex: "status",
              render: (status: string) => (
                <Tag color={status === "completed" ? "success" : "processing"}>
                  {labelOr(t(`reminders.runs.status.${status}`), `reminders.runs.status.${status}`, status)}
                </Tag>
              ),
            },
            {
              title: t("reminders.runs.messages"),
              dataIndex: "planned",
              align: "right",
              render: (value: number) => <span data-testid="reminders-run-messages">{value.toLocaleString(language)}</span>,
            },
            { title: t("reminders.runs.progress"), key: "progress", render: (_value, run) => <StatusBar byStatus={run.byStatus} /> },
            { title: t("reminders.runs.escalations"), dataIndex: "escalations", align: "right", render: (value: number) => value.toLocaleString(language) },
            {
              title: t("reminders.runs.finishedAt"),
              dataIndex: "finishedAt",
              render: (value: string | null) => <span style={noWrap}>{value ? formatInstant(value, language, timeZone) : "—"}</span>,
            },
          ]}
        />
      </Space>
    </Card>
  );
}

function MessagesCard({
  refreshKey,
  date,
  onDateChange,
  canOpenCases,
}: {
  refreshKey: number;
  date: string;
  onDateChange: (date: string) => void;
  canOpenCases: boolean;
}) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [channel, setChannel] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  // A new filter starts again from the first page.
  const filterKey = `${date}|${status ?? ""}|${channel ?? ""}`;
  const filterSeen = useRef(filterKey);
  useEffect(() => {
    if (filterSeen.current === filterKey) return;
    filterSeen.current = filterKey;
    setPage(1);
  }, [filterKey]);
  const query = new URLSearchParams({ limit: String(messagesPageSize), offset: String((page - 1) * messagesPageSize) });
  if (date) query.set("date", date);
  if (status) query.set("status", status);
  if (channel) query.set("channel", channel);
  const { data, error, loading, reload } = useLoad<{ total: number; messages: ReminderMessage[] }>(`/api/reminders/messages?${query.toString()}`);
  useReloadOn(refreshKey, reload);
  const time = (value: string | null) => <span style={noWrap}>{value ? formatInstant(value, language, timeZone) : "—"}</span>;

  return (
    <Card
      title={t("reminders.messages.title")}
      extra={
        <Button data-testid="reminders-messages-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space wrap size="middle">
          <Space size={4}>
            <Typography.Text>{t("reminders.businessDate")}</Typography.Text>
            <Input
              data-testid="reminders-messages-date"
              type="date"
              aria-label={t("reminders.businessDate")}
              value={date}
              onChange={(event) => onDateChange(event.target.value)}
              style={{ width: 160 }}
            />
          </Space>
          <Space size={4}>
            <Typography.Text>{t("reminders.status")}</Typography.Text>
            <Select
              data-testid="reminders-messages-status"
              aria-label={t("reminders.status")}
              allowClear
              placeholder={t("reminders.messages.allStatuses")}
              value={status}
              onChange={(value?: string) => setStatus(value)}
              style={{ width: 130 }}
              virtual={false}
              options={statuses.map((value) => ({ value, label: statusLabel(t, value) }))}
            />
          </Space>
          <Space size={4}>
            <Typography.Text>{t("reminders.channel")}</Typography.Text>
            <Select
              data-testid="reminders-messages-channel"
              aria-label={t("reminders.channel")}
              allowClear
              placeholder={t("reminders.messages.allChannels")}
              value={channel}
              onChange={(value?: string) => setChannel(value)}
              style={{ width: 130 }}
              virtual={false}
              options={channels.map((value) => ({ value, label: channelLabel(t, value) }))}
            />
          </Space>
          {data && (
            <Typography.Text data-testid="reminders-messages-total" type="secondary">
              {t("reminders.messages.total", { total: data.total.toLocaleString(language) })}
            </Typography.Text>
          )}
        </Space>
        {error && <Alert type="error" showIcon title={error} />}
        <Table<ReminderMessage>
          data-testid="reminders-messages"
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.messages ?? []}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("reminders.messages.none") }}
          pagination={{ current: page, pageSize: messagesPageSize, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          columns={[
            { title: t("reminders.businessDate"), dataIndex: "businessDate", render: (value: string) => <span style={noWrap}>{value}</span> },
            {
              title: t("reminders.messages.strategyVariantStep"),
              key: "strategy",
              render: (_value, message) => (
                <span style={noWrap}>
                  <Typography.Text strong>{message.strategyCode}</Typography.Text> / {message.variantCode} / {message.stepKey}
                </span>
              ),
            },
            { title: t("reminders.channel"), dataIndex: "channel", render: (value: string) => <Tag>{channelLabel(t, value)}</Tag> },
            {
              title: t("reminders.template"),
              key: "template",
              render: (_value, message) => <span style={noWrap}>{`${message.templateCode} · ${message.language}`}</span>,
            },
            {
              title: t("reminders.status"),
              key: "status",
              render: (_value, message) => (
                <Space size={4} style={noWrap}>
                  <StatusTag status={message.status} />
                  {message.statusReason && <Typography.Text type="secondary">{message.statusReason}</Typography.Text>}
                </Space>
              ),
            },
            { title: t("reminders.messages.scheduledAt"), dataIndex: "scheduledAt", render: time },
            { title: t("reminders.messages.sentAt"), dataIndex: "sentAt", render: time },
            { title: t("reminders.messages.deliveredAt"), dataIndex: "deliveredAt", render: time },
            { title: t("reminders.messages.attempts"), dataIndex: "attempts", align: "right" },
            { title: t("reminders.messages.errorCode"), dataIndex: "errorCode", render: (value: string | null) => value ?? "—" },
            {
              title: t("reminders.messages.case"),
              dataIndex: "caseId",
              render: (caseId: string | null) => {
                if (!caseId) return "—";
                const short = caseId.slice(0, 8);
                return canOpenCases ? (
                  <Link to={`/cases/${caseId}`} data-testid="reminders-message-case">
                    {short}
                  </Link>
                ) : (
                  <Typography.Text code>{short}</Typography.Text>
                );
              },
            },
          ]}
        />
      </Space>
    </Card>
  );
}

function ReportCard({ refreshKey }: { refreshKey: number }) {
  const { t } = useLanguage();
  const timeZone = useLenderTimeZone();
  const [to, setTo] = useState(() => todayIn(timeZone));
  const [from, setFrom] = useState(() => addDays(todayIn(timeZone), 1 - reportDaysDefault));
  const [paidWithinDays, setPaidWithinDays] = useState(3);
  const isSpanValid = Boolean(from && to && from <= to);
  const query = new URLSearchParams({ from, to, paidWithinDays: String(paidWithinDays) });
  // A plan elsewhere on the page, or the refresh button here, asks the table to load again.
  const [refreshCount, setRefreshCount] = useState(0);

  return (
    <Card
      title={t("reminders.report.title")}
      extra={
        <Button data-testid="reminders-report-refresh" icon={<ReloadOutlined />} disabled={!isSpanValid} onClick={() => setRefreshCount((count) => count + 1)}>
          {t("refresh")}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space wrap size="middle">
          <Space size={4}>
            <Typography.Text>{t("reminders.report.from")}</Typography.Text>
            <Input
              data-testid="reminders-report-from"
              type="date"
              aria-label={t("reminders.report.from")}
              value={from}
              max={to}
              onChange={(event) => setFrom(event.target.value)}
              style={{ width: 160 }}
            />
          </Space>
          <Space size={4}>
            <Typography.Text>{t("reminders.report.to")}</Typography.Text>
            <Input
              data-testid="reminders-report-to"
              type="date"
              aria-label={t("reminders.report.to")}
              value={to}
              min={from}
              onChange={(event) => setTo(event.target.value)}
              style={{ width: 160 }}
            />
          </Space>
          <Space size={4}>
            <Typography.Text>{t("reminders.report.paidWithinDays")}</Typography.Text>
            <InputNumber
              data-testid="reminders-report-paid-within"
              aria-label={t("reminders.report.paidWithinDays")}
              min={0}
              max={30}
              precision={0}
              value={paidWithinDays}
              onChange={(value) => setPaidWithinDays(typeof value === "number" ? value : 3)}
              style={{ width: 80 }}
            />
          </Space>
        </Space>
        <Typography.Text type="secondary">{t("reminders.report.hint", { days: paidWithinDays })}</Typography.Text>
        {isSpanValid ? (
          <ReportTable path={`/api/reminders/report?${query.toString()}`} refreshKey={refreshKey + refreshCount} />
        ) : (
          <Alert type="warning" showIcon title={t("reminders.report.badSpan")} />
        )}
      </Space>
    </Card>
  );
}

function ReportTable({ path, refreshKey }: { path: string; refreshKey: number }) {
  const { t, language } = useLanguage();
  const { data, error, loading, reload } = useLoad<{ lines: ReportLine[] }>(path);
  useReloadOn(refreshKey, reload);
  const number = (value: number) => value.toLocaleString(language);
  const count = (key: keyof ReportLine) => ({ title: t(`reminders.report.${key}`), dataIndex: key, align: "right" as const, render: number });
  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ReportLine>
        data-testid="reminders-report"
        rowKey={(line) => `${line.strategyCode}/${line.variantCode}/${line.templateCode}/${line.channel}`}
        size="small"
        loading={loading}
        pagination={false}
        dataSource={data?.lines ?? []}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("reminders.report.none") }}
        columns={[
          {
            title: t("reminders.strategy"),
            key: "strategy",
            render: (_value, line) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{line.strategyCode}</Typography.Text>
                <Typography.Text type="secondary">{line.strategyName}</Typography.Text>
              </Space>
            ),
          },
          { title: t("reminders.variant"), dataIndex: "variantCode" },
          { title: t("reminders.template"), dataIndex: "templateCode" },
          { title: t("reminders.channel"), dataIndex: "channel", render: (value: string) => channelLabel(t, value) },
          count("planned"),
          count("sent"),
          count("delivered"),
          count("failed"),
          count("skipped"),
          count("replies"),
          count("optOuts"),
          count("paidAfter"),
          {
            title: t("reminders.report.deliveryRate"),
            dataIndex: "deliveryRatePerMille",
            align: "right",
            render: (value: number | null) => <Typography.Text strong>{formatPerMille(value)}</Typography.Text>,
          },
          {
            title: t("reminders.report.paymentRate"),
            dataIndex: "paymentRatePerMille",
            align: "right",
            render: (value: number | null) => <Typography.Text strong>{formatPerMille(value)}</Typography.Text>,
          },
        ]}
      />
    </Space>
  );
}

function RepliesCard() {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { data, error, loading, reload } = useLoad<{ replies: Reply[] }>("/api/reminders/replies?limit=100");
  return (
    <Card
      title={t("reminders.replies.title")}
      extra={
        <Button data-testid="reminders-replies-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<Reply>
        data-testid="reminders-replies"
        rowKey={(reply) => `${reply.provider}/${reply.eventId}`}
        size="small"
        loading={loading && !data}
        dataSource={data?.replies ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: t("reminders.replies.none") }}
        columns={[
          {
            title: t("reminders.replies.receivedAt"),
            dataIndex: "receivedAt",
            render: (value: string) => <span style={noWrap}>{formatInstant(value, language, timeZone)}</span>,
          },
          {
            title: t("reminders.replies.kind"),
            dataIndex: "kind",
            render: (kind: Reply["kind"]) => <Tag color={kind === "stop" ? "red" : "blue"}>{t(`reminders.replies.kind.${kind}`)}</Tag>,
          },
          { title: t("reminders.replies.from"), dataIndex: "fromMasked", render: (value: string | null) => value ?? "—" },
          { title: t("reminders.replies.text"), dataIndex: "text" },
          { title: t("reminders.replies.provider"), dataIndex: "provider" },
        ]}
      />
    </Card>
  );
}
