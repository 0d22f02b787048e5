// Reminder strategies (策略): the lender's strategies in the order accounts are matched against
// them, with status, segment, and the variants' shares and cadences; a form to draft or change
// one (segment, champion and challengers, each with its steps); activate and retire. A refused
// save names the field the server named, on the field itself and above the form.
import { DeleteOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, App, AutoComplete, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { formatMinor, parseDecimalToMinor } from "../../shared/money";
import { useLoad } from "./pages";
import type { StaffUser } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

interface Segment {
  buckets?: string[];
  dpdMin?: number;
  dpdMax?: number;
  scoreMin?: number;
  scoreMax?: number;
  overdueReasons?: string[];
  overdueMinMinor?: string;
  overdueMaxMinor?: string;
  productCodes?: string[];
  daysBeforeDueMin?: number;
  daysBeforeDueMax?: number;
}

interface CadenceStep {
  key: string;
  anchor: "due" | "dpd";
  day: number;
  channel: "sms" | "email" | "voice_robot" | "agent";
  templateCode?: string;
  at: string;
}

interface Variant {
  id: string;
  code: string;
  shareBasisPoints: number;
  cadence: CadenceStep[];
}

interface Strategy {
  id: string;
  code: string;
  name: string;
  priority: number;
  status: "draft" | "active" | "retired";
  version: number;
  segment: Segment;
  variants: Variant[];
  updatedBy: string | null;
  updatedAt: string;
}

interface StepForm {
  key?: string;
  anchor?: "due" | "dpd";
  day?: number | null;
  channel?: CadenceStep["channel"];
  templateCode?: string;
  at?: string;
}

interface VariantForm {
  code?: string;
  shareBasisPoints?: number | null;
  cadence?: StepForm[];
}

interface StrategyForm {
  code: string;
  name: string;
  priority: number;
  buckets?: string[];
  dpdMin?: number | null;
  dpdMax?: number | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  overdueReasons?: string[];
  overdueMin?: string;
  overdueMax?: string;
  productCodes?: string[];
  daysBeforeDueMin?: number | null;
  daysBeforeDueMax?: number | null;
  variants?: VariantForm[];
}

interface TemplateSummary {
  code: string;
  channel: string;
  inUse: { version: number } | null;
}

const buckets = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"];
const overdueReasons = ["income_drop", "illness", "unemployment", "family_emergency", "forgot", "dispute", "suspected_fraud", "refuses", "other"];
const channels = ["sms", "email", "voice_robot", "agent"] as const;
const numberFields = ["dpdMin", "dpdMax", "scoreMin", "scoreMax", "daysBeforeDueMin", "daysBeforeDueMax"] as const;
const statusColors: Record<Strategy["status"], string> = { draft: "default", active: "green", retired: "default" };

function channelLabel(t: Translate, channel: string): string {
  return channel === "agent" ? t("strategies.channel.agent") : t(`compliance.channel.${channel}`);
}

function percentOf(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(basisPoints % 100 === 0 ? 0 : 2)}%`;
}

function SegmentTags({ segment }: { segment: Segment }) {
  const { t } = useLanguage();
  const range = (low: number | string | undefined, high: number | string | undefined) => `${low ?? "…"}–${high ?? "…"}`;
  const tags: string[] = [];
  if (segment.buckets) tags.push(`${t("strategies.buckets")}: ${segment.buckets.join(", ")}`);
  if (segment.dpdMin !== undefined || segment.dpdMax !== undefined) tags.push(`${t("strategies.dpd")}: ${range(segment.dpdMin, segment.dpdMax)}`);
  if (segment.daysBeforeDueMin !== undefined || segment.daysBeforeDueMax !== undefined)
    tags.push(`${t("strategies.daysBeforeDue")}: ${range(segment.daysBeforeDueMin, segment.daysBeforeDueMax)}`);
  if (segment.scoreMin !== undefined || segment.scoreMax !== undefined) tags.push(`${t("strategies.score")}: ${range(segment.scoreMin, segment.scoreMax)}`);
  if (segment.overdueMinMinor || segment.overdueMaxMinor)
    tags.push(
      `${t("strategies.amount")}: ${range(segment.overdueMinMinor ? formatMinor(segment.overdueMinMinor) : undefined, segment.overdueMaxMinor ? formatMinor(segment.overdueMaxMinor) : undefined)}`,
    );
  if (segment.overdueReasons) tags.push(`${t("strategies.reasons")}: ${segment.overdueReasons.map((reason) => t(`overdueReason.${reason}`)).join(", ")}`);
  if (segment.productCodes) tags.push(`${t("strategies.products")}: ${segment.productCodes.join(", ")}`);
  if (tags.length === 0) return <Tag>{t("strategies.everyAccount")}</Tag>;
  return (
    <Space size={[4, 4]} wrap>
      {tags.map((tag) => (
        <Tag key={tag}>{tag}</Tag>
      ))}
    </Space>
  );
}

function stepDay(t: Translate, step: CadenceStep): string {
  if (step.anchor === "dpd") return t("strategies.dayDpd", { day: step.day });
  return step.day === 0 ? t("strategies.dayDue") : t("strategies.dayBeforeDue", { day: -step.day });
}

function CadenceTable({ variant }: { variant: Variant }) {
  const { t } = useLanguage();
  return (
    <Table<CadenceStep>
      data-testid={`cadence-${variant.code}`}
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={variant.cadence}
      locale={{ emptyText: t("strategies.holdOut") }}
      columns={[
        { title: t("strategies.stepKey"), dataIndex: "key", width: 120 },
        { title: t("strategies.day"), render: (_, step) => stepDay(t, step), width: 160 },
        { title: t("strategies.channel"), render: (_, step) => channelLabel(t, step.channel), width: 120 },
        { title: t("strategies.template"), render: (_, step) => step.templateCode ?? "—" },
        { title: t("strategies.at"), dataIndex: "at", width: 90 },
      ]}
    />
  );
}

/** "variants[0].cadence[2].templateCode" → the form's name path, and the words a user reads for it. */
function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.split(".")) {
    const match = /^([A-Za-z]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [];
    path.push(match[1] as string);
    for (const index of (match[2] as string).matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  if (path[0] !== "segment") return path;
  // The segment's fields sit at the top of the form; amounts are typed in yuan.
  const leaf = path[1];
  return [leaf === "overdueMinMinor" ? "overdueMin" : leaf === "overdueMaxMinor" ? "overdueMax" : (leaf as string), ...path.slice(2)];
}

function fieldLabel(t: Translate, field: string): string {
  const words: string[] = [];
  for (const part of fieldPath(field)) {
    if (typeof part === "number") words[words.length - 1] = `${words[words.length - 1]} ${part + 1}`;
    else words.push(t(`strategies.field.${part}`));
  }
  return words.join(" · ");
}

function segmentOf(values: StrategyForm): Segment | string {
  const segment: Segment = {};
  if (values.buckets?.length) segment.buckets = values.buckets;
  if (values.overdueReasons?.length) segment.overdueReasons = values.overdueReasons;
  if (values.productCodes?.length) segment.productCodes = values.productCodes;
  for (const key of numberFields) {
    const value = values[key];
    if (value !== undefined && value !== null) segment[key] = value;
  }
  for (const [field, key] of [
    ["overdueMin", "overdueMinMinor"],
    ["overdueMax", "overdueMaxMinor"],
  ] as const) {
    const text = values[field]?.trim();
    if (!text) continue;
    const minor = parseDecimalToMinor(text);
    if (minor === null || minor < 0n) return field;
    segment[key] = minor.toString();
  }
  return segment;
}

function variantsOf(values: StrategyForm) {
  return (values.variants ?? []).map((variant) => ({
    code: variant.code?.trim() ?? "",
    shareBasisPoints: variant.shareBasisPoints ?? 0,
    cadence: (variant.cadence ?? []).map((step) => ({
      key: step.key?.trim() ?? "",
      anchor: step.anchor ?? "dpd",
      day: step.day ?? 0,
      channel: step.channel ?? "sms",
      ...(step.channel !== "agent" && step.templateCode?.trim() ? { templateCode: step.templateCode.trim() } : {}),
      at: step.at?.trim() ?? "",
    })),
  }));
}

const newStep: StepForm = { anchor: "dpd", day: 1, channel: "sms", at: "10:00" };

export function StrategiesPage({ user }: { user: StaffUser }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const canManage = user.permissions.includes("strategies:manage");
  const strategies = useLoad<{ strategies: Strategy[] }>("/api/strategies");
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [editing, setEditing] = useState<Strategy | "new" | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [form] = Form.useForm<StrategyForm>();

  const loadTemplates = () => {
    if (templates !== null) return;
    api<{ templates: TemplateSummary[] }>("GET", "/api/templates")
      .then((response) => setTemplates(response.templates))
      .catch(() => setTemplates([]));
  };

  const open = (strategy: Strategy | "new") => {
    loadTemplates();
    setFailure(null);
    setEditing(strategy);
    form.resetFields();
    const source = strategy === "new" ? null : strategy;
    const segment = source?.segment ?? {};
    form.setFieldsValue({
      code: source?.code ?? "",
      name: source?.name ?? "",
      priority: source?.priority ?? 100,
      buckets: segment.buckets ?? [],
      overdueReasons: segment.overdueReasons ?? [],
      productCodes: segment.productCodes ?? [],
      ...Object.fromEntries(numberFields.map((key) => [key, segment[key] ?? null])),
      overdueMin: segment.overdueMinMinor ? formatMinor(segment.overdueMinMinor).replace(/[^\d.]/g, "") : "",
      overdueMax: segment.overdueMaxMinor ? formatMinor(segment.overdueMaxMinor).replace(/[^\d.]/g, "") : "",
      variants: source
        ? source.variants.map((variant) => ({
            code: variant.code,
            shareBasisPoints: variant.shareBasisPoints,
            cadence: variant.cadence.map((step) => ({ ...step })),
          }))
        : [{ code: "champion", shareBasisPoints: 10_000, cadence: [{ ...newStep, key: "dpd-1" }] }],
    });
  };

  const showFailure = (caught: unknown) => {
    const field = caught instanceof ApiError ? (caught.details as { field?: string } | undefined)?.field : undefined;
    if (field) {
      const label = fieldLabel(t, field);
      setFailure(t("strategies.fieldError", { label, field, message: (caught as ApiError).message }));
      const name = fieldPath(field);
      if (name.length > 0) form.setFields([{ name: name as never, errors: [label] }]);
    } else setFailure(describeError(t, caught));
  };

  const save = async () => {
    const values = await form.validateFields();
    const segment = segmentOf(values);
    if (typeof segment === "string") {
      setFailure(t("queues.badAmount", { field: t(`strategies.field.${segment}`) }));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const body = { name: values.name, priority: values.priority, segment, variants: variantsOf(values) };
      if (editing === "new") await api("POST", "/api/strategies", { code: values.code, ...body });
      else if (editing) await api("PUT", `/api/strategies/${editing.id}`, body);
      setEditing(null);
      message.success(t("strategies.saved"));
      strategies.reload();
    } catch (caught) {
      showFailure(caught);
    } finally {
      setSaving(false);
    }
  };

  const changeStatus = async (strategy: Strategy, action: "activate" | "retire") => {
    try {
      await api("POST", `/api/strategies/${strategy.id}/${action}`);
      message.success(t(action === "activate" ? "strategies.activated" : "strategies.retired", { code: strategy.code }));
    } catch (caught) {
      const field = caught instanceof ApiError ? (caught.details as { field?: string } | undefined)?.field : undefined;
      message.error(
        field ? t("strategies.fieldError", { label: fieldLabel(t, field), field, message: (caught as ApiError).message }) : describeError(t, caught),
      );
    }
    strategies.reload();
  };

  const templateOptions = (channel: string | undefined) =>
    (templates ?? [])
      .filter((template) => template.channel === channel && template.inUse)
      .map((template) => template.code)
      .filter((code, index, codes) => codes.indexOf(code) === index)
      .map((code) => ({ value: code }));

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Space style={{ justifyContent: "space-between", width: "100%" }}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t("strategies.title")}
          </Typography.Title>
          <Typography.Text type="secondary">{t("strategies.intro")}</Typography.Text>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={strategies.reload}>
            {t("refresh")}
          </Button>
          {canManage && (
            <Button data-testid="strategies-new" type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
              {t("strategies.new")}
            </Button>
          )}
        </Space>
      </Space>
      {strategies.error && <Alert type="error" showIcon message={strategies.error} />}
      <Card>
        <Table<Strategy>
          data-testid="strategies-table"
          rowKey="id"
          size="middle"
          loading={strategies.loading}
          pagination={false}
          dataSource={strategies.data?.strategies ?? []}
          locale={{ emptyText: t("strategies.none") }}
          expandable={{
            expandedRowRender: (strategy) => (
              <Space direction="vertical" style={{ width: "100%" }}>
                {strategy.variants.map((variant) => (
                  <div key={variant.id}>
                    <Typography.Text strong>
                      {variant.code} · {percentOf(variant.shareBasisPoints)}
                    </Typography.Text>
                    <CadenceTable variant={variant} />
                  </div>
                ))}
              </Space>
            ),
          }}
          columns={[
            { title: t("strategies.priority"), dataIndex: "priority", width: 80 },
            { title: t("strategies.code"), dataIndex: "code", width: 130 },
            { title: t("strategies.name"), dataIndex: "name" },
            {
              title: t("strategies.status"),
              width: 110,
              render: (_, strategy) => (
                <Tag data-testid={`strategy-status-${strategy.code}`} color={statusColors[strategy.status]}>
                  {t(`strategies.status.${strategy.status}`)} · v{strategy.version}
                </Tag>
              ),
            },
            { title: t("strategies.segment"), render: (_, strategy) => <SegmentTags segment={strategy.segment} /> },
            {
              title: t("strategies.variants"),
              render: (_, strategy) => (
                <Space size={[4, 4]} wrap>
                  {strategy.variants.map((variant) => (
                    <Tag key={variant.id} color={variant.code === "champion" ? "blue" : "purple"}>
                      {variant.code} {percentOf(variant.shareBasisPoints)} · {t("strategies.steps", { count: variant.cadence.length })}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            ...(canManage
              ? [
                  {
                    title: t("strategies.actions"),
                    width: 200,
                    render: (_: unknown, strategy: Strategy) =>
                      strategy.status === "retired" ? null : (
                        <Space size={4}>
                          <Button size="small" data-testid={`strategy-edit-${strategy.code}`} onClick={() => open(strategy)}>
                            {t("strategies.edit")}
                          </Button>
                          {strategy.status === "draft" && (
                            <Button
                              size="small"
                              type="primary"
                              data-testid={`strategy-activate-${strategy.code}`}
                              onClick={() => changeStatus(strategy, "activate")}
                            >
                              {t("strategies.activate")}
                            </Button>
                          )}
                          <Popconfirm
                            title={t("strategies.retireConfirm")}
                            onConfirm={() => changeStatus(strategy, "retire")}
                            okText={t("strategies.retire")}
                            cancelText={t("cancel")}
                          >
                            <Button size="small" danger data-testid={`strategy-retire-${strategy.code}`}>
                              {t("strategies.retire")}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("strategies.new") : t("strategies.editTitle", { code: editing?.code ?? "" })}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText={t("strategies.save")}
        cancelText={t("cancel")}
        confirmLoading={saving}
        okButtonProps={{ "data-testid": "strategy-save" } as Record<`data-${string}`, string>}
        width={980}
      >
        {failure && <Alert data-testid="strategy-error" type="error" showIcon message={failure} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Space wrap>
            <Form.Item name="code" label={t("strategies.code")} rules={[{ required: true, message: t("required", { field: t("strategies.code") }) }]}>
              <Input data-testid="strategy-code" disabled={editing !== "new"} />
            </Form.Item>
            <Form.Item name="name" label={t("strategies.name")} rules={[{ required: true, message: t("required", { field: t("strategies.name") }) }]}>
              <Input data-testid="strategy-name" style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="priority" label={t("strategies.priority")} rules={[{ required: true }]} extra={t("strategies.priorityHelp")}>
              <InputNumber data-testid="strategy-priority" min={0} max={100000} />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{t("strategies.segment")}</Typography.Title>
          <Typography.Paragraph type="secondary">{t("strategies.segmentHelp")}</Typography.Paragraph>
          <Space wrap align="start">
            <Form.Item name="buckets" label={t("strategies.field.buckets")}>
              <Select
                data-testid="strategy-buckets"
                mode="multiple"
                style={{ minWidth: 220 }}
                options={buckets.map((bucket) => ({ value: bucket, label: bucket }))}
              />
            </Form.Item>
            <Form.Item name="overdueReasons" label={t("strategies.field.overdueReasons")}>
              <Select
                mode="multiple"
                style={{ minWidth: 260 }}
                options={overdueReasons.map((reason) => ({ value: reason, label: t(`overdueReason.${reason}`) }))}
              />
            </Form.Item>
            <Form.Item name="productCodes" label={t("strategies.field.productCodes")}>
              <Select mode="tags" style={{ minWidth: 200 }} tokenSeparators={[",", " "]} />
            </Form.Item>
          </Space>
          <Space wrap>
            {numberFields.map((key) => (
              <Form.Item key={key} name={key} label={t(`strategies.field.${key}`)}>
                <InputNumber data-testid={`strategy-${key}`} min={0} max={key.startsWith("score") ? 1000 : 3650} />
              </Form.Item>
            ))}
            <Form.Item name="overdueMin" label={t("strategies.field.overdueMin")}>
              <Input inputMode="decimal" placeholder="0.00" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="overdueMax" label={t("strategies.field.overdueMax")}>
              <Input inputMode="decimal" placeholder="0.00" style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{t("strategies.variants")}</Typography.Title>
          <Typography.Paragraph type="secondary">{t("strategies.variantsHelp")}</Typography.Paragraph>
          <Form.List name="variants">
            {(variantFields, variantList) => (
              <Space direction="vertical" style={{ width: "100%" }}>
                {variantFields.map((variantField, variantIndex) => (
                  <Card
                    key={variantField.key}
                    size="small"
                    data-testid={`variant-${variantIndex}`}
                    title={
                      <Space>
                        <Form.Item name={[variantField.name, "code"]} label={t("strategies.field.code")} style={{ marginBottom: 0 }}>
                          <Input data-testid={`variant-${variantIndex}-code`} style={{ width: 160 }} />
                        </Form.Item>
                        <Form.Item name={[variantField.name, "shareBasisPoints"]} label={t("strategies.field.shareBasisPoints")} style={{ marginBottom: 0 }}>
                          <InputNumber data-testid={`variant-${variantIndex}-share`} min={0} max={10000} step={500} />
                        </Form.Item>
                      </Space>
                    }
                    extra={
                      variantFields.length > 1 && (
                        <Button size="small" icon={<DeleteOutlined />} onClick={() => variantList.remove(variantField.name)}>
                          {t("strategies.removeVariant")}
                        </Button>
                      )
                    }
                  >
                    <Form.List name={[variantField.name, "cadence"]}>
                      {(stepFields, stepList) => (
                        <Space direction="vertical" style={{ width: "100%" }}>
                          {stepFields.map((stepField, stepIndex) => {
                            const testId = `step-${variantIndex}-${stepIndex}`;
                            return (
                              <Space key={stepField.key} align="start" wrap data-testid={testId}>
                                <Form.Item
                                  name={[stepField.name, "key"]}
                                  label={stepIndex === 0 ? t("strategies.field.key") : undefined}
                                  style={{ marginBottom: 4 }}
                                >
                                  <Input data-testid={`${testId}-key`} style={{ width: 110 }} />
                                </Form.Item>
                                <Form.Item
                                  name={[stepField.name, "anchor"]}
                                  label={stepIndex === 0 ? t("strategies.field.anchor") : undefined}
                                  style={{ marginBottom: 4 }}
                                >
                                  <Select
                                    data-testid={`${testId}-anchor`}
                                    style={{ width: 130 }}
                                    options={[
                                      { value: "due", label: t("strategies.anchor.due") },
                                      { value: "dpd", label: t("strategies.anchor.dpd") },
                                    ]}
                                  />
                                </Form.Item>
                                <Form.Item
                                  name={[stepField.name, "day"]}
                                  label={stepIndex === 0 ? t("strategies.field.day") : undefined}
                                  style={{ marginBottom: 4 }}
                                >
                                  <InputNumber data-testid={`${testId}-day`} min={-30} max={720} style={{ width: 90 }} />
                                </Form.Item>
                                <Form.Item
                                  name={[stepField.name, "channel"]}
                                  label={stepIndex === 0 ? t("strategies.field.channel") : undefined}
                                  style={{ marginBottom: 4 }}
                                >
                                  <Select
                                    data-testid={`${testId}-channel`}
                                    style={{ width: 130 }}
                                    options={channels.map((channel) => ({ value: channel, label: channelLabel(t, channel) }))}
                                  />
                                </Form.Item>
                                <Form.Item noStyle shouldUpdate>
                                  {() => {
                                    const channel = form.getFieldValue(["variants", variantField.name, "cadence", stepField.name, "channel"]) as
                                      | string
                                      | undefined;
                                    return (
                                      <Form.Item
                                        name={[stepField.name, "templateCode"]}
                                        label={stepIndex === 0 ? t("strategies.field.templateCode") : undefined}
                                        style={{ marginBottom: 4 }}
                                      >
                                        <AutoComplete
                                          data-testid={`${testId}-template`}
                                          style={{ width: 180 }}
                                          disabled={channel === "agent"}
                                          placeholder={channel === "agent" ? t("strategies.agentStep") : undefined}
                                          options={templateOptions(channel)}
                                        />
                                      </Form.Item>
                                    );
                                  }}
                                </Form.Item>
                                <Form.Item
                                  name={[stepField.name, "at"]}
                                  label={stepIndex === 0 ? t("strategies.field.at") : undefined}
                                  style={{ marginBottom: 4 }}
                                >
                                  <Input data-testid={`${testId}-at`} placeholder="10:00" style={{ width: 80 }} />
                                </Form.Item>
                                <Button
                                  aria-label={t("strategies.removeStep")}
                                  icon={<DeleteOutlined />}
                                  style={stepIndex === 0 ? { marginTop: 30 } : undefined}
                                  onClick={() => stepList.remove(stepField.name)}
                                />
                              </Space>
                            );
                          })}
                          <Button
                            size="small"
                            data-testid={`variant-${variantIndex}-add-step`}
                            icon={<PlusOutlined />}
                            onClick={() => stepList.add({ ...newStep })}
                          >
                            {t("strategies.addStep")}
                          </Button>
                        </Space>
                      )}
                    </Form.List>
                  </Card>
                ))}
                <Button
                  data-testid="strategy-add-variant"
                  icon={<PlusOutlined />}
                  onClick={() => variantList.add({ code: `challenger-${variantFields.length}`, shareBasisPoints: 0, cadence: [] })}
                >
                  {t("strategies.addVariant")}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form>
      </Modal>
    </Space>
  );
}
