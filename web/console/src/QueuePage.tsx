// The agent's queue (我的案件): open cases in the caller's scope in the order the server puts
// them — callbacks due, broken promises, promises due, then the most overdue — with filters by
// status and bucket and sortable columns; a row opens the case.
import { ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useNavigate } from "react-router-dom";
import { useLanguage } from "../../shared/i18n";
import { compareMinor, formatMinor } from "../../shared/money";
import { labelOr, useLoad } from "./pages";
import { useLenderTimeZone } from "./session";
import { formatInstant, zonedDateTime } from "./time";
import type { DueReason, QueueItem } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const queueLimit = 200;
const noWrap = { whiteSpace: "nowrap" } as const;

export const openStatuses = ["new", "in_progress", "promised", "promise_broken", "plan_requested", "plan_active", "paused"] as const;
const buckets = ["M1", "M2", "M3", "M4", "M5", "M6", "M7+"] as const;

export const caseStatusColors: Record<string, string> = {
  new: "blue",
  in_progress: "geekblue",
  promised: "green",
  promise_broken: "red",
  plan_requested: "purple",
  plan_active: "cyan",
  paused: "orange",
};
const dueReasonColors: Record<DueReason, string> = { action_due: "magenta", promise_broken: "red", promise_due: "gold", overdue: "default" };
const bucketColors: Record<string, string> = { M1: "gold", M2: "orange", M3: "volcano", M4: "red", M5: "red", M6: "red", "M7+": "magenta" };

/**
 * An amount as the last daily close left it. An overdue account the close has not counted yet
 * (a book imported today, before its first close) holds zero there: that shows as "pending
 * close", never as ¥0.00 against a debt that is days past due.
 */
export function ClosedAmount({
  amountMinor,
  currency,
  daysPastDue,
  strong = false,
  danger = false,
  testId,
}: {
  amountMinor: string;
  currency: string;
  daysPastDue: number;
  strong?: boolean;
  danger?: boolean;
  testId?: string;
}) {
  const { t } = useLanguage();
  if (daysPastDue > 0 && BigInt(amountMinor) === 0n)
    return (
      <Tooltip title={t("amount.notClosedHint")}>
        <Typography.Text type="secondary" data-testid={testId} data-pending-close="true" style={{ cursor: "help", ...noWrap }}>
          {t("amount.notClosed")}
        </Typography.Text>
      </Tooltip>
    );
  return (
    <Typography.Text strong={strong} type={danger ? "danger" : undefined} data-testid={testId} style={noWrap}>
      {formatMinor(amountMinor, currency)}
    </Typography.Text>
  );
}

function label(t: Translate, prefix: string, value: string): string {
  return labelOr(t(`${prefix}.${value}`), `${prefix}.${value}`, value);
}

/** When the case next wants something, in epoch ms: the scheduled action, else the start of the promised day in the lender's zone. */
function dueSortKey(item: QueueItem, timeZone: string): number {
  if (item.nextActionAt) return Date.parse(item.nextActionAt);
  if (item.promiseDueOn) return Date.parse(zonedDateTime(item.promiseDueOn, "00:00", timeZone));
  return Number.MAX_SAFE_INTEGER;
}

function DueCell({ item }: { item: QueueItem }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  return (
    <Space orientation="vertical" size={0}>
      <Tag color={dueReasonColors[item.dueReason]} data-testid="queue-due-reason" data-due-reason={item.dueReason}>
        {label(t, "queue.due", item.dueReason)}
      </Tag>
      {item.nextActionAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12, ...noWrap }}>
          {label(t, "actionKind", item.nextActionKind ?? "callback")} {formatInstant(item.nextActionAt, language, timeZone)}
        </Typography.Text>
      )}
      {item.promiseDueOn && (
        <Typography.Text type="secondary" style={{ fontSize: 12, ...noWrap }}>
          {t("queue.promiseOn", { date: item.promiseDueOn })}
        </Typography.Text>
      )}
    </Space>
  );
}

export function QueuePage() {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [bucket, setBucket] = useState<string | undefined>(undefined);
  const query = new URLSearchParams({ limit: String(queueLimit) });
  if (status) query.set("status", status);
  if (bucket) query.set("bucket", bucket);
  const { data, error, loading, reload } = useLoad<{ cases: QueueItem[] }>(`/api/cases/queue?${query.toString()}`);

  return (
    <Card
      title={t("menu.cases")}
      extra={
        <Button data-testid="queue-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space wrap size="middle">
          <Space size={4}>
            <Typography.Text>{t("cases.status")}</Typography.Text>
            <Select
              data-testid="queue-status-filter"
              aria-label={t("cases.status")}
              allowClear
              placeholder={t("queue.all")}
              value={status}
              onChange={(value?: string) => setStatus(value)}
              style={{ width: 150 }}
              virtual={false}
              options={openStatuses.map((value) => ({ value, label: label(t, "status", value) }))}
            />
          </Space>
          <Space size={4}>
            <Typography.Text>{t("queue.bucket")}</Typography.Text>
            <Select
              data-testid="queue-bucket-filter"
              aria-label={t("queue.bucket")}
              allowClear
              placeholder={t("queue.all")}
              value={bucket}
              onChange={(value?: string) => setBucket(value)}
              style={{ width: 110 }}
              virtual={false}
              options={buckets.map((value) => ({ value, label: value }))}
            />
          </Space>
          <Typography.Text type="secondary">{t("queue.hint")}</Typography.Text>
        </Space>
        {error && <Alert type="error" showIcon title={error} />}
        <Table<QueueItem>
          data-testid="case-queue"
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.cases ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("queue.empty") }}
          onRow={(item) =>
            ({
              "data-testid": "queue-row",
              "data-case-id": item.id,
              style: { cursor: "pointer" },
              onClick: () => navigate(`/cases/${item.id}`),
            }) as HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: t("cases.borrower"),
              key: "borrower",
              sorter: (left, right) => (left.borrowerName ?? "").localeCompare(right.borrowerName ?? "", language),
              render: (_value, item) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong data-testid="queue-borrower">
                    {item.borrowerName ?? "—"}
                  </Typography.Text>
                  <Typography.Text type="secondary" data-testid="queue-phone" style={noWrap}>
                    {item.phoneMasked}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("queue.overdue"),
              dataIndex: "overdueMinor",
              align: "right",
              sorter: (left, right) => compareMinor(left.overdueMinor, right.overdueMinor),
              render: (value: string, item) => (
                <ClosedAmount amountMinor={value} currency={item.currency} daysPastDue={item.daysPastDueMax} strong testId="queue-overdue" />
              ),
            },
            {
              title: t("queue.dpd"),
              dataIndex: "daysPastDueMax",
              align: "right",
              sorter: (left, right) => left.daysPastDueMax - right.daysPastDueMax,
            },
            {
              title: t("queue.bucket"),
              dataIndex: "bucket",
              sorter: (left, right) => left.daysPastDueMax - right.daysPastDueMax,
              render: (value: string) => <Tag color={bucketColors[value] ?? "default"}>{value}</Tag>,
            },
            {
              title: t("cases.status"),
              dataIndex: "status",
              sorter: (left, right) => openStatuses.indexOf(left.status as never) - openStatuses.indexOf(right.status as never),
              render: (value: string) => <Tag color={caseStatusColors[value] ?? "default"}>{label(t, "status", value)}</Tag>,
            },
            {
              title: t("queue.due"),
              key: "due",
              sorter: (left, right) => dueSortKey(left, timeZone) - dueSortKey(right, timeZone),
              render: (_value, item) => <DueCell item={item} />,
            },
            {
              title: t("queue.lastContact"),
              dataIndex: "lastContactAt",
              sorter: (left, right) => (left.lastContactAt ?? "").localeCompare(right.lastContactAt ?? ""),
              render: (value: string | null) =>
                value ? (
                  <span style={noWrap}>{formatInstant(value, language, timeZone)}</span>
                ) : (
                  <Typography.Text type="secondary">{t("queue.never")}</Typography.Text>
                ),
            },
            {
              title: t("cases.agent"),
              dataIndex: "assignedAgent",
              render: (value: string | null) => (
                <span data-testid="queue-agent" style={noWrap}>
                  {value ?? t("cases.unassigned")}
                </span>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
