// The daily close (日终批量): the date the lender is closed through, the run history with its
// counts, a run's partitions with the time each step took, and starting a close (admins).
import { PlayCircleOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Input, Progress, Space, Statistic, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { labelOr, useLoad } from "./pages";
import { useLenderTimeZone } from "./session";
import { addDays, formatDateTime, todayIn } from "./time";
import type { StaffUser } from "./types";

interface RunTotals {
  accountsTouched: number;
  installmentsFallingDue: number;
  lateFees: number;
  accrualEntries: number;
  paymentsApplied: number;
  ledgerRows: number;
  becameOverdue: number;
  bucketChanged: number;
  cured: number;
  paidOff: number;
  writeOffCandidates: number;
  casesOpened: number;
  casesClosed: number;
  rowsWritten: number;
}

interface CloseRun {
  id: string;
  businessDate: string;
  mode: string;
  status: string;
  partitionCount: number;
  partitionsDone: number;
  startedAt: string;
  finishedAt: string | null;
  totals: Partial<RunTotals> | null;
}

interface StepTimes {
  loadMs: number;
  computeMs: number;
  ledgerMs: number;
  stateMs: number;
  eventsMs: number;
  casesMs: number;
}

interface ClosePartition {
  partitionNo: number;
  rangeStart: string;
  rangeEnd: string | null;
  status: string;
  accountsTouched: number | null;
  rowsWritten: number | null;
  counts: Record<string, number> | null;
  stepMs: Partial<StepTimes> | null;
  finishedAt: string | null;
}

const steps = ["loadMs", "computeMs", "ledgerMs", "stateMs", "casesMs", "eventsMs"] as const;
const pollMs = 2000;
/** How long the page keeps asking for a run it just started before giving up on seeing it. */
const startWaitMs = 30_000;

type Translate = (key: string, values?: Record<string, string | number>) => string;

function formatDuration(t: Translate, ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return t("close.durationMs", { value });
  if (value < 60_000) return t("close.durationSeconds", { value: (value / 1000).toFixed(1) });
  return t("close.durationMinutes", { minutes: Math.floor(value / 60_000), seconds: Math.round((value % 60_000) / 1000) });
}

export function ClosePage({ user }: { user: StaffUser }) {
  const { t, language } = useLanguage();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad<{ closedThrough: string | null; runs: CloseRun[] }>("/api/close/runs?limit=60");
  const canRun = user.permissions.includes("close:run");
  const timeZone = useLenderTimeZone();
  // The lender's business date before today: the one a morning close is for.
  const [date, setDate] = useState(() => addDays(todayIn(timeZone), -1));
  const [submitting, setSubmitting] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  // The date just asked for, until its run shows up (the server starts it in the background).
  const [awaiting, setAwaiting] = useState<{ date: string; since: number } | null>(null);

  const runs = data?.runs ?? [];
  const anyRunning = runs.some((run) => run.status === "running");

  useEffect(() => {
    if (!awaiting) return;
    const arrived = runs.some((run) => run.businessDate === awaiting.date);
    if (arrived || Date.now() - awaiting.since > startWaitMs) setAwaiting(null);
  }, [awaiting, runs]);

  useEffect(() => {
    if (!anyRunning && !awaiting) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [anyRunning, awaiting, reload]);

  const number = useCallback((value: number | null | undefined) => (value === null || value === undefined ? "—" : value.toLocaleString(language)), [language]);

  const runClose = async () => {
    setSubmitting(true);
    setRunError(null);
    try {
      const result = await api<{ date: string; started: boolean }>("POST", "/api/close/runs", { date });
      if (result.started) {
        message.success(t("close.started", { date: result.date }));
        setAwaiting({ date: result.date, since: Date.now() });
      } else {
        message.info(t("close.alreadyRunning"));
      }
      reload();
    } catch (caught) {
      setRunError(describeError(t, caught));
    } finally {
      setSubmitting(false);
    }
  };

  const total = (run: CloseRun, key: keyof RunTotals) => number(run.totals ? (run.totals[key] ?? 0) : null);

  return (
    <Card
      title={t("menu.close")}
      extra={
        <Button data-testid="close-refresh" icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space size="large" wrap align="end">
          <div data-testid="close-closed-through">
            <Statistic title={t("close.closedThrough")} value={data ? (data.closedThrough ?? t("close.neverClosed")) : "—"} />
          </div>
          {canRun && (
            <Space wrap align="end">
              <Space orientation="vertical" size={4}>
                <Typography.Text type="secondary">{t("close.businessDate")}</Typography.Text>
                <Input
                  data-testid="close-date"
                  type="date"
                  aria-label={t("close.businessDate")}
                  value={date}
                  onChange={(event) => setDate(event.target.value)}
                  style={{ width: 170 }}
                />
              </Space>
              <Button data-testid="close-run" type="primary" icon={<PlayCircleOutlined />} loading={submitting} disabled={!date} onClick={runClose}>
                {t("close.run")}
              </Button>
            </Space>
          )}
        </Space>
        {canRun && <Typography.Text type="secondary">{t("close.hint")}</Typography.Text>}
        {runError && <Alert data-testid="close-error" type="error" showIcon title={runError} closable={{ onClose: () => setRunError(null) }} />}
        {error && <Alert type="error" showIcon title={error} />}
        <Table<CloseRun>
          data-testid="close-runs-table"
          rowKey="id"
          size="small"
          loading={loading && !data}
          dataSource={runs}
          pagination={{ pageSize: 20 }}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("close.noRuns") }}
          expandable={{
            expandRowByClick: true,
            expandedRowRender: (run) => <PartitionsTable run={run} />,
          }}
          onRow={() => ({ style: { cursor: "pointer" } })}
          columns={[
            { title: t("close.businessDate"), dataIndex: "businessDate", render: (value: string) => <Typography.Text strong>{value}</Typography.Text> },
            { title: t("close.mode"), dataIndex: "mode", render: (mode: string) => labelOr(t(`close.mode.${mode}`), `close.mode.${mode}`, mode) },
            {
              title: t("close.status"),
              dataIndex: "status",
              render: (status: string, run) =>
                status === "running" ? (
                  <Space orientation="vertical" size={0} style={{ minWidth: 140 }}>
                    <Tag color="processing">{t("close.status.running")}</Tag>
                    <Progress
                      size="small"
                      percent={run.partitionCount > 0 ? Math.floor((run.partitionsDone / run.partitionCount) * 100) : 0}
                      format={() => `${run.partitionsDone}/${run.partitionCount}`}
                    />
                  </Space>
                ) : (
                  <Tag color={status === "completed" ? "success" : "default"}>{labelOr(t(`close.status.${status}`), `close.status.${status}`, status)}</Tag>
                ),
            },
            { title: t("close.accountsTouched"), align: "right", render: (_value, run) => total(run, "accountsTouched") },
            { title: t("close.rowsWritten"), align: "right", render: (_value, run) => total(run, "rowsWritten") },
            { title: t("close.becameOverdue"), align: "right", render: (_value, run) => total(run, "becameOverdue") },
            { title: t("close.bucketChanged"), align: "right", render: (_value, run) => total(run, "bucketChanged") },
            { title: t("close.cured"), align: "right", render: (_value, run) => total(run, "cured") },
            { title: t("close.paidOff"), align: "right", render: (_value, run) => total(run, "paidOff") },
            {
              title: t("close.casesOpenedClosed"),
              align: "right",
              render: (_value, run) => `${total(run, "casesOpened")} / ${total(run, "casesClosed")}`,
            },
            {
              title: t("close.duration"),
              align: "right",
              render: (_value, run) =>
                run.finishedAt
                  ? formatDuration(t, Date.parse(run.finishedAt) - Date.parse(run.startedAt))
                  : t("close.elapsed", { duration: formatDuration(t, Date.now() - Date.parse(run.startedAt)) }),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

function PartitionsTable({ run }: { run: CloseRun }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { data, error, loading, reload } = useLoad<{ partitions: ClosePartition[] }>(`/api/close/runs/${run.id}`);
  const { partitionsDone, status } = run;
  // The run list is polled while a run is running; follow its progress here.
  const progress = `${status}:${partitionsDone}`;
  const shown = useRef(progress);
  useEffect(() => {
    if (shown.current === progress) return;
    shown.current = progress;
    reload();
  }, [progress, reload]);
  const number = (value: number | null | undefined) => (value === null || value === undefined ? "—" : value.toLocaleString(language));
  const ms = (value: number | null | undefined) => (value === null || value === undefined ? "—" : value.toLocaleString(language, { maximumFractionDigits: 1 }));
  const stepTotal = (partition: ClosePartition) => (partition.stepMs ? steps.reduce((sum, step) => sum + (partition.stepMs?.[step] ?? 0), 0) : null);
  return (
    <div data-testid={`close-partitions-${run.businessDate}`}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<ClosePartition>
        data-testid="close-partitions-table"
        rowKey="partitionNo"
        size="small"
        bordered
        pagination={false}
        loading={loading && !data}
        dataSource={data?.partitions ?? []}
        scroll={{ x: "max-content" }}
        columns={[
          { title: t("close.partition"), dataIndex: "partitionNo", render: (value: number) => `#${value + 1}` },
          {
            title: t("close.range"),
            render: (_value, partition) => (
              <Typography.Text code>{`${partition.rangeStart.slice(0, 8)} – ${partition.rangeEnd?.slice(0, 8) ?? t("close.rangeEnd")}`}</Typography.Text>
            ),
          },
          {
            title: t("close.status"),
            dataIndex: "status",
            render: (value: string) => (
              <Tag color={value === "done" ? "success" : "default"}>
                {labelOr(t(`close.partitionStatus.${value}`), `close.partitionStatus.${value}`, value)}
              </Tag>
            ),
          },
          { title: t("close.accountsTouched"), dataIndex: "accountsTouched", align: "right", render: number },
          { title: t("close.rowsWritten"), dataIndex: "rowsWritten", align: "right", render: number },
          {
            title: t("close.stepTimes"),
            children: steps.map((step) => ({
              title: t(`close.step.${step}`),
              key: step,
              align: "right" as const,
              render: (_value: unknown, partition: ClosePartition) => ms(partition.stepMs?.[step]),
            })),
          },
          { title: t("close.stepTotal"), key: "total", align: "right", render: (_value, partition) => ms(stepTotal(partition)) },
          {
            title: t("close.finishedAt"),
            dataIndex: "finishedAt",
            render: (value: string | null) => (value ? formatDateTime(value, language, timeZone) : "—"),
          },
        ]}
      />
    </div>
  );
}
