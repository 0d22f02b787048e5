// Case queues and teams (队列与团队): the queues a supervisor defined, in the order cases are
// routed through them, with their criteria, team and open cases; a form to add or change one;
// the teams and their agents. Cases move at the next assignment (after each close, or now).
import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { formatMinor, parseDecimalToMinor } from "../../shared/money";
import { useLoad } from "./pages";

interface Criteria {
  buckets?: string[];
  productCodes?: string[];
  overdueMinMinor?: string;
  overdueMaxMinor?: string;
  regionCodes?: string[];
  languages?: string[];
  scoreMin?: number;
  scoreMax?: number;
}

interface CaseQueue {
  id: string;
  code: string;
  name: string;
  priority: number;
  criteria: Criteria;
  teamId: string | null;
  teamName: string | null;
  isActive: boolean;
  openCases: number;
}

interface Team {
  id: string;
  code: string;
  name: string;
  agencyId: string | null;
  members: { id: string; displayName: string }[];
}

interface QueueForm {
  code: string;
  name: string;
  priority: number;
  teamId: string | null;
  isActive: boolean;
  buckets: string[];
  productCodes: string[];
  regionCodes: string[];
  languages: string[];
  overdueMin: string;
  overdueMax: string;
}

const buckets = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"];

function CriteriaTags({ criteria }: { criteria: Criteria }) {
  const { t } = useLanguage();
  const tags: string[] = [];
  if (criteria.buckets) tags.push(`${t("queues.buckets")}: ${criteria.buckets.join(", ")}`);
  if (criteria.productCodes) tags.push(`${t("queues.products")}: ${criteria.productCodes.join(", ")}`);
  if (criteria.overdueMinMinor || criteria.overdueMaxMinor)
    tags.push(
      `${t("queues.amount")}: ${criteria.overdueMinMinor ? formatMinor(criteria.overdueMinMinor) : "…"} – ${criteria.overdueMaxMinor ? formatMinor(criteria.overdueMaxMinor) : "…"}`,
    );
  if (criteria.regionCodes) tags.push(`${t("queues.regions")}: ${criteria.regionCodes.join(", ")}`);
  if (criteria.languages) tags.push(`${t("queues.languages")}: ${criteria.languages.join(", ")}`);
  if (criteria.scoreMin !== undefined || criteria.scoreMax !== undefined)
    tags.push(`${t("queues.score")}: ${criteria.scoreMin ?? 0}–${criteria.scoreMax ?? 1000}`);
  if (tags.length === 0) return <Tag>{t("queues.everyCase")}</Tag>;
  return (
    <Space size={[4, 4]} wrap>
      {tags.map((tag) => (
        <Tag key={tag}>{tag}</Tag>
      ))}
    </Space>
  );
}

/** The form's fields as the API's criteria; amounts typed in yuan become minor units exactly. */
function criteriaOf(values: QueueForm): Criteria | string {
  const criteria: Criteria = {};
  if (values.buckets?.length) criteria.buckets = values.buckets;
  if (values.productCodes?.length) criteria.productCodes = values.productCodes;
  if (values.regionCodes?.length) criteria.regionCodes = values.regionCodes;
  if (values.languages?.length) criteria.languages = values.languages;
  for (const [field, key] of [
    ["overdueMin", "overdueMinMinor"],
    ["overdueMax", "overdueMaxMinor"],
  ] as const) {
    const text = values[field]?.trim();
    if (!text) continue;
    const minor = parseDecimalToMinor(text);
    if (minor === null || minor < 0n) return field;
    criteria[key] = minor.toString();
  }
  return criteria;
}

export function QueuesPage() {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const queues = useLoad<{ queues: CaseQueue[] }>("/api/case-queues");
  const teams = useLoad<{ teams: Team[] }>("/api/teams");
  const [editing, setEditing] = useState<CaseQueue | "new" | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [form] = Form.useForm<QueueForm>();

  const open = (queue: CaseQueue | "new") => {
    setFailure(null);
    setEditing(queue);
    const source = queue === "new" ? null : queue;
    form.setFieldsValue({
      code: source?.code ?? "",
      name: source?.name ?? "",
      priority: source?.priority ?? 100,
      teamId: source?.teamId ?? null,
      isActive: source?.isActive ?? true,
      buckets: source?.criteria.buckets ?? [],
      productCodes: source?.criteria.productCodes ?? [],
      regionCodes: source?.criteria.regionCodes ?? [],
      languages: source?.criteria.languages ?? [],
      overdueMin: source?.criteria.overdueMinMinor ? formatMinor(source.criteria.overdueMinMinor).replace(/[^\d.]/g, "") : "",
      overdueMax: source?.criteria.overdueMaxMinor ? formatMinor(source.criteria.overdueMaxMinor).replace(/[^\d.]/g, "") : "",
    });
  };

  const save = async () => {
    const values = await form.validateFields();
    const criteria = criteriaOf(values);
    if (typeof criteria === "string") {
      setFailure(t("queues.badAmount", { field: t(`queues.${criteria}`) }));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const body = { code: values.code, name: values.name, priority: values.priority, teamId: values.teamId ?? null, isActive: values.isActive, criteria };
      if (editing === "new") await api("POST", "/api/case-queues", body);
      else if (editing) await api("PUT", `/api/case-queues/${editing.id}`, body);
      setEditing(null);
      message.success(t("queues.saved"));
      queues.reload();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setSaving(false);
    }
  };

  const assignNow = async () => {
    setAssigning(true);
    try {
      const result = await api<{ assigned: number; unassigned: number; requeued: number }>("POST", "/api/cases/assign-open", {});
      message.success(t("queues.assigned", { assigned: result.assigned, requeued: result.requeued, unassigned: result.unassigned }));
      queues.reload();
    } catch (caught) {
      message.error(describeError(t, caught));
    } finally {
      setAssigning(false);
    }
  };

  const teamOptions = (teams.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }));
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Space style={{ justifyContent: "space-between", width: "100%" }}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t("queues.title")}
          </Typography.Title>
          <Typography.Text type="secondary">{t("queues.intro")}</Typography.Text>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={queues.reload}>
            {t("refresh")}
          </Button>
          <Button data-testid="queues-assign-now" loading={assigning} onClick={assignNow}>
            {t("queues.assignNow")}
          </Button>
          <Button data-testid="queues-new" type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
            {t("queues.new")}
          </Button>
        </Space>
      </Space>
      {queues.error && <Alert type="error" showIcon message={queues.error} />}
      <Card title={t("queues.queues")}>
        <Table<CaseQueue>
          data-testid="queues-table"
          rowKey="id"
          size="middle"
          loading={queues.loading}
          pagination={false}
          dataSource={queues.data?.queues ?? []}
          locale={{ emptyText: t("queues.none") }}
          onRow={(queue) => ({ onClick: () => open(queue), style: { cursor: "pointer" } })}
          columns={[
            { title: t("queues.priority"), dataIndex: "priority", width: 90 },
            { title: t("queues.code"), dataIndex: "code", width: 120 },
            { title: t("queues.name"), dataIndex: "name" },
            { title: t("queues.criteria"), render: (_, queue) => <CriteriaTags criteria={queue.criteria} /> },
            { title: t("queues.team"), render: (_, queue) => queue.teamName ?? <Typography.Text type="secondary">{t("queues.anyTeam")}</Typography.Text> },
            { title: t("queues.openCases"), dataIndex: "openCases", width: 110, align: "right" },
            {
              title: t("queues.active"),
              width: 90,
              render: (_, queue) => (queue.isActive ? <Tag color="green">{t("queues.on")}</Tag> : <Tag>{t("queues.off")}</Tag>),
            },
          ]}
        />
      </Card>
      <Card title={t("queues.teams")}>
        {teams.error && <Alert type="error" showIcon message={teams.error} />}
        <Table<Team>
          rowKey="id"
          size="middle"
          pagination={false}
          loading={teams.loading}
          dataSource={teams.data?.teams ?? []}
          locale={{ emptyText: t("queues.noTeams") }}
          columns={[
            { title: t("queues.code"), dataIndex: "code", width: 120 },
            { title: t("queues.name"), dataIndex: "name" },
            {
              title: t("queues.members"),
              render: (_, team) => (
                <Space size={[4, 4]} wrap>
                  {team.members.map((member) => (
                    <Tag key={member.id}>{member.displayName}</Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("queues.new") : t("queues.edit")}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText={t("queues.save")}
        cancelText={t("cancel")}
        confirmLoading={saving}
        okButtonProps={{ "data-testid": "queue-save" } as Record<`data-${string}`, string>}
        width={640}
      >
        {failure && <Alert data-testid="queue-error" type="error" showIcon message={failure} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Space>
            <Form.Item name="code" label={t("queues.code")} rules={[{ required: true, message: t("required", { field: t("queues.code") }) }]}>
              <Input data-testid="queue-code" disabled={editing !== "new"} />
            </Form.Item>
            <Form.Item name="name" label={t("queues.name")} rules={[{ required: true, message: t("required", { field: t("queues.name") }) }]}>
              <Input data-testid="queue-name" />
            </Form.Item>
            <Form.Item name="priority" label={t("queues.priority")} rules={[{ required: true }]}>
              <InputNumber data-testid="queue-priority" min={0} max={100000} />
            </Form.Item>
          </Space>
          <Form.Item name="buckets" label={t("queues.buckets")}>
            <Select data-testid="queue-buckets" mode="multiple" options={buckets.map((bucket) => ({ value: bucket, label: bucket }))} />
          </Form.Item>
          <Form.Item name="productCodes" label={t("queues.products")}>
            <Select mode="tags" tokenSeparators={[",", " "]} />
          </Form.Item>
          <Space>
            <Form.Item name="overdueMin" label={t("queues.overdueMin")}>
              <Input data-testid="queue-overdue-min" inputMode="decimal" placeholder="0.00" />
            </Form.Item>
            <Form.Item name="overdueMax" label={t("queues.overdueMax")}>
              <Input inputMode="decimal" placeholder="0.00" />
            </Form.Item>
          </Space>
          <Form.Item name="regionCodes" label={t("queues.regions")} extra={t("queues.regionsHelp")}>
            <Select mode="tags" tokenSeparators={[",", " "]} />
          </Form.Item>
          <Form.Item name="languages" label={t("queues.languages")}>
            <Select
              data-testid="queue-languages"
              mode="multiple"
              options={[
                { value: "zh-CN", label: "中文" },
                { value: "en", label: "English" },
              ]}
            />
          </Form.Item>
          <Space>
            <Form.Item name="teamId" label={t("queues.team")}>
              <Select data-testid="queue-team" allowClear style={{ minWidth: 200 }} placeholder={t("queues.anyTeam")} options={teamOptions} />
            </Form.Item>
            <Form.Item name="isActive" label={t("queues.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}
