// The console's pages of the foundation: a home per role, the audit log and the development
// outbox (the agent's queue and case page live in QueuePage.tsx and CasePage.tsx).
import { ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Row, Space, Statistic, Switch, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { useLenderTimeZone } from "./session";
import { formatDateTime } from "./time";
import type { StaffUser } from "./types";

/** GETs a path on mount (and on reload); the error is described in the current language. */
export function useLoad<T>(path: string) {
  const { t } = useLanguage();
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(() => {
    setLoading(true);
    api<T>("GET", path)
      .then((value) => {
        setData(value);
        setFailure(null);
      })
      .catch((caught: unknown) => setFailure(caught))
      .finally(() => setLoading(false));
  }, [path]);
  useEffect(reload, [reload]);
  return { data, error: failure === null ? null : describeError(t, failure), loading, reload };
}

/** A translated label, or the raw value when the dictionary has no entry for it. */
export function labelOr(text: string, key: string, raw: string): string {
  return text === key ? raw : text;
}

interface HomeSummary {
  lender: { name: string; nameEn: string };
  counts: { borrowers: number; loanAccounts: number; openCases: number; myCases: number };
}

export function HomePage({ user }: { user: StaffUser }) {
  const { t, language } = useLanguage();
  const { data, error } = useLoad<HomeSummary>("/api/home");
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t("greeting", { name: user.displayName })}
        </Typography.Title>
        {data && <Typography.Text type="secondary">{language === "en" ? data.lender.nameEn : data.lender.name}</Typography.Text>}
      </div>
      {error && <Alert type="error" message={error} />}
      <Row gutter={[16, 16]}>
        {(["borrowers", "loanAccounts", "openCases", "myCases"] as const).map((key) => (
          <Col key={key} xs={12} md={6}>
            <Card>
              <Statistic title={t(`count.${key}`)} value={data?.counts[key] ?? "—"} />
            </Card>
          </Col>
        ))}
      </Row>
      {user.roles.map((role) => (
        <Card key={role} size="small" title={t(`role.${role}`)}>
          <Typography.Paragraph style={{ margin: 0 }}>{t(`home.${role}`)}</Typography.Paragraph>
        </Card>
      ))}
    </Space>
  );
}

interface AuditEntry {
  sequence: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
}

export function AuditPage() {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { data, error, loading, reload } = useLoad<{ entries: AuditEntry[] }>("/api/audit?limit=100");
  return (
    <Card
      title={t("menu.audit")}
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t("refresh")}
        </Button>
      }
    >
      {error && <Alert type="error" message={error} />}
      <Table<AuditEntry>
        data-testid="audit-table"
        rowKey="sequence"
        pagination={{ pageSize: 20 }}
        size="small"
        loading={loading}
        dataSource={data?.entries ?? []}
        columns={[
          { title: t("audit.sequence"), dataIndex: "sequence", width: 70 },
          { title: t("audit.time"), dataIndex: "occurredAt", render: (value: string) => formatDateTime(value, language, timeZone) },
          { title: t("audit.actor"), render: (_value, entry) => `${entry.actorType}${entry.actorId ? ` ${entry.actorId.slice(0, 8)}` : ""}` },
          { title: t("audit.action"), dataIndex: "action", render: (action: string) => <Tag>{action}</Tag> },
          { title: t("audit.target"), render: (_value, entry) => (entry.targetType ? `${entry.targetType} ${entry.targetId ?? ""}` : "") },
          { title: t("audit.reason"), dataIndex: "reason" },
        ]}
      />
    </Card>
  );
}

interface OutboxMessage {
  id: string;
  channel: string;
  recipientMasked: string;
  purpose: string;
  body: string;
  createdAt: string;
}

export function OutboxPage() {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { data, error, loading, reload } = useLoad<{ messages: OutboxMessage[] }>("/api/dev/outbox");
  const [auto, setAuto] = useState(false);
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [auto, reload]);
  return (
    <Card
      title={t("menu.outbox")}
      extra={
        <Space>
          <Switch data-testid="outbox-auto-refresh" size="small" checked={auto} onChange={setAuto} />
          <Typography.Text>{t("autoRefresh")}</Typography.Text>
          <Button data-testid="outbox-refresh" icon={<ReloadOutlined />} onClick={reload}>
            {t("refresh")}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={t("outbox.hint")} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" message={error} style={{ marginBottom: 16 }} />}
      <Table<OutboxMessage>
        data-testid="outbox-table"
        rowKey="id"
        loading={loading && !data}
        dataSource={data?.messages ?? []}
        columns={[
          { title: t("outbox.time"), dataIndex: "createdAt", width: 190, render: (value: string) => formatDateTime(value, language, timeZone) },
          { title: t("outbox.channel"), dataIndex: "channel", render: (channel: string) => <Tag>{channel.toUpperCase()}</Tag> },
          { title: t("outbox.recipient"), dataIndex: "recipientMasked" },
          { title: t("outbox.purpose"), dataIndex: "purpose" },
          {
            title: t("outbox.body"),
            dataIndex: "body",
            render: (body: string) => <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{body}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );
}
