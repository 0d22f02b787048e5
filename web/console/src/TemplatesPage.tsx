// Message templates (话术模板): the lender's templates with their versions and status; an editor
// with the variable catalogue as chips and a live preview (sample values or a case) that shows
// the compliance content check's findings in place; submit, approve (four-eyes) and reject. A
// refused approval shows the findings with the matched text highlighted.
import { CheckOutlined, CloseOutlined, PlusOutlined, ReloadOutlined, SaveOutlined, SendOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Empty, Form, Input, Modal, Row, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { type Language, useLanguage } from "../../shared/i18n";
import { labelOr, useLoad } from "./pages";
import { useLenderTimeZone } from "./session";
import { formatDateTime } from "./time";
import type { ContentFinding, StaffUser } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** The variable catalogue (templates module), in the order the editor offers them. */
export const templateVariables = ["borrowerName", "amountOverdue", "daysOverdue", "penaltySoFar", "dueDate", "repaymentLink", "institutionName"] as const;
const channels = ["sms", "email", "voice_robot", "letter"] as const;
const languages = ["zh-CN", "en"] as const;
const purposes = ["overdue", "pre_due", "plan_reminder", "service"] as const;
const statusColors: Record<string, string> = {
  draft: "default",
  pending_approval: "processing",
  approved: "success",
  rejected: "error",
  superseded: "default",
  retired: "default",
};

export interface TemplateFinding extends ContentFinding {
  sourceSpan?: { field: "body" | "subject"; start: number; end: number };
}

export interface TemplateContentCheck {
  pack: string;
  packVersion: string;
  passes: boolean;
  findings: TemplateFinding[];
  renderedText: string;
  checkedAt: string;
}

export interface TemplateVersion {
  id: string;
  version: number;
  status: string;
  body: string;
  subject: string | null;
  variables: string[];
  createdBy: string | null;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  contentCheck: TemplateContentCheck | null;
}

export interface MessageTemplate {
  id: string;
  code: string;
  name: string;
  channel: string;
  language: Language;
  purpose: string;
  contentClass: string;
  retiredAt: string | null;
  inUse: { versionId: string; version: number } | null;
  versions: TemplateVersion[];
}

interface SyntaxProblem {
  code: string;
  field: "body" | "subject";
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
  messageZh: string;
  messageEn: string;
}

type PreviewAnswer =
  | { ok: true; text: string; subject: string | null; basedOn: "case" | "sample"; contentCheck: TemplateContentCheck }
  | { ok: false; problems: SyntaxProblem[] };

function label(t: Translate, prefix: string, value: string): string {
  return labelOr(t(`${prefix}.${value}`), `${prefix}.${value}`, value);
}

function messageOf(item: { messageZh: string; messageEn: string }, language: Language): string {
  return language === "en" ? item.messageEn : item.messageZh;
}

/** The text with the findings' spans marked; overlapping spans merged. */
export function MarkedText({ text, findings, testId }: { text: string; findings: readonly ContentFinding[]; testId: string }) {
  const spans = findings
    .flatMap((finding) => (finding.span ? [{ start: finding.span.start, end: finding.span.end, rule: finding.rule }] : []))
    .filter((span) => span.start >= 0 && span.end <= text.length && span.start < span.end)
    .sort((left, right) => left.start - right.start);
  const pieces: ReactNode[] = [];
  let position = 0;
  for (const span of spans) {
    if (span.start < position) continue;
    if (span.start > position) pieces.push(<span key={`t${position}`}>{text.slice(position, span.start)}</span>);
    pieces.push(
      <Tooltip key={`m${span.start}`} title={span.rule}>
        <mark data-testid={`${testId}-span`} data-rule={span.rule} style={{ background: "#ffccc7", padding: "0 2px" }}>
          {text.slice(span.start, span.end)}
        </mark>
      </Tooltip>,
    );
    position = span.end;
  }
  if (position < text.length) pieces.push(<span key={`t${position}`}>{text.slice(position)}</span>);
  return (
    <div data-testid={testId} style={{ whiteSpace: "pre-wrap", padding: "8px 12px", background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6 }}>
      {pieces}
    </div>
  );
}

function FindingList({ findings, testId }: { findings: readonly ContentFinding[]; testId: string }) {
  const { t, language } = useLanguage();
  return (
    <Space orientation="vertical" size={4} style={{ width: "100%" }}>
      {findings.map((finding) => (
        <div key={`${finding.rule}:${finding.span?.start ?? ""}:${finding.messageEn}`} data-testid={testId} data-rule={finding.rule}>
          <Tag color={finding.kind === "forbidden" ? "error" : "warning"}>{t(`compliance.content.kind.${finding.kind}`)}</Tag>
          <Tooltip title={finding.source}>
            <Tag style={{ cursor: "help" }}>{finding.rule}</Tag>
          </Tooltip>
          <Typography.Text>{messageOf(finding, language)}</Typography.Text>
        </div>
      ))}
    </Space>
  );
}

function ContentCheckView({ check, testId }: { check: TemplateContentCheck; testId: string }) {
  const { t } = useLanguage();
  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }} data-testid={testId} data-passes={String(check.passes)}>
      {check.passes ? (
        <Alert type="success" showIcon title={t("templates.checkPasses", { pack: `${check.pack}@${check.packVersion}` })} />
      ) : (
        <Alert type="warning" showIcon title={t("templates.checkFails", { count: check.findings.length })} />
      )}
      {!check.passes && <FindingList findings={check.findings} testId={`${testId}-finding`} />}
    </Space>
  );
}

export function TemplatesPage({ user }: { user: StaffUser }) {
  const { t, language } = useLanguage();
  const { data, error, loading, reload } = useLoad<{ templates: MessageTemplate[] }>("/api/templates");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const templates = data?.templates ?? [];
  const selected = templates.find((template) => template.id === selectedId) ?? null;

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={t("menu.templates")}
        extra={
          <Space>
            <Button data-testid="template-new" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("templates.new")}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t("refresh")}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t("templates.hint")}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Table<MessageTemplate>
          data-testid="templates-table"
          rowKey="id"
          size="small"
          loading={loading && !data}
          pagination={false}
          dataSource={templates}
          onRow={(template) => ({
            onClick: () => setSelectedId(template.id),
            "data-testid": `template-row-${template.code}-${template.language}`,
            style: { cursor: "pointer", background: template.id === selectedId ? "#e6f4ff" : undefined },
          })}
          columns={[
            { title: t("templates.code"), dataIndex: "code", render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
            { title: t("templates.name"), dataIndex: "name" },
            { title: t("templates.channel"), dataIndex: "channel", render: (value: string) => <Tag>{label(t, "compliance.channel", value)}</Tag> },
            { title: t("templates.language"), dataIndex: "language", render: (value: string) => (value === "en" ? "English" : "中文") },
            { title: t("templates.purpose"), dataIndex: "purpose", render: (value: string) => label(t, "templates.purpose", value) },
            {
              title: t("templates.inUse"),
              render: (_value, template) =>
                template.retiredAt ? <Tag>{label(t, "templates.status", "retired")}</Tag> : template.inUse ? `v${template.inUse.version}` : "—",
            },
            {
              title: t("templates.latest"),
              render: (_value, template) => {
                const latest = template.versions[0];
                return latest ? (
                  <Tag data-testid="template-latest-status" color={statusColors[latest.status]}>
                    v{latest.version} {label(t, "templates.status", latest.status)}
                  </Tag>
                ) : null;
              },
            },
          ]}
        />
      </Card>
      {selected ? (
        <TemplateDetail key={selected.id} template={selected} user={user} onChanged={reload} language={language} />
      ) : (
        <Card>
          <Empty description={t("templates.pick")} />
        </Card>
      )}
      <NewTemplateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(template) => {
          setCreating(false);
          reload();
          setSelectedId(template.id);
        }}
      />
    </Space>
  );
}

function TemplateDetail({ template, user, onChanged }: { template: MessageTemplate; user: StaffUser; onChanged: () => void; language: Language }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { message } = App.useApp();
  const latest = template.versions[0] ?? null;
  const open = template.versions.find((version) => version.status === "draft" || version.status === "pending_approval") ?? null;
  const [body, setBody] = useState(latest?.body ?? "");
  const [subject, setSubject] = useState(latest?.subject ?? "");
  const [caseId, setCaseId] = useState("");
  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [previewFailure, setPreviewFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<TemplateContentCheck | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState("");
  const editor = useRef<HTMLTextAreaElement | null>(null);
  const canApprove = user.permissions.includes("rules:manage");
  const isEmail = template.channel === "email";
  const changed = body !== (latest?.body ?? "") || (isEmail && subject !== (latest?.subject ?? ""));

  // The live preview follows the editor, a moment after the typing stops.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!body.trim()) return setPreview(null);
      api<PreviewAnswer>("POST", `/api/templates/${template.id}/preview`, {
        body,
        ...(isEmail ? { subject } : {}),
        ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
      })
        .then((answer) => {
          setPreview(answer);
          setPreviewFailure(null);
        })
        .catch((caught: unknown) => setPreviewFailure(describeError(t, caught)));
    }, 300);
    return () => clearTimeout(timer);
  }, [body, subject, caseId, template.id, isEmail, t]);

  const insertVariable = (name: string) => {
    const placeholder = `{{${name}}}`;
    const element = editor.current;
    const start = element?.selectionStart ?? body.length;
    const end = element?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + placeholder + body.slice(end));
  };

  const run = async (action: string, request: () => Promise<unknown>, done: string) => {
    setBusy(action);
    setFailure(null);
    setRefusal(null);
    try {
      await request();
      message.success(t(done));
      onChanged();
    } catch (caught) {
      const details = caught instanceof ApiError ? (caught.details as { reason?: string; contentCheck?: TemplateContentCheck } | undefined) : undefined;
      if (details?.reason === "content_check_failed" && details.contentCheck) setRefusal(details.contentCheck);
      else setFailure(describeError(t, caught));
    } finally {
      setBusy(null);
    }
  };

  const path = (version: TemplateVersion, verb: string) => `/api/templates/${template.id}/versions/${version.id}/${verb}`;

  return (
    <Card
      data-testid="template-detail"
      title={
        <Space>
          <Typography.Text code>{template.code}</Typography.Text>
          {template.name}
          <Tag>{label(t, "compliance.channel", template.channel)}</Tag>
          <Tag>{template.language === "en" ? "English" : "中文"}</Tag>
        </Space>
      }
      extra={
        canApprove &&
        !template.retiredAt && (
          <Button
            data-testid="template-retire"
            danger
            icon={<StopOutlined />}
            loading={busy === "retire"}
            onClick={() => run("retire", () => api("POST", `/api/templates/${template.id}/retire`), "templates.retired")}
          >
            {t("templates.retire")}
          </Button>
        )
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size="small" style={{ width: "100%" }}>
            <Typography.Text strong>{t("templates.editor")}</Typography.Text>
            <Space size={[4, 4]} wrap data-testid="template-variables">
              {templateVariables.map((name) => (
                <Tooltip key={name} title={`{{${name}}}`}>
                  <Tag.CheckableTag
                    checked={false}
                    data-testid={`template-variable-${name}`}
                    onChange={() => insertVariable(name)}
                    style={{ border: "1px solid #91caff" }}
                  >
                    {t(`templates.variable.${name}`)}
                  </Tag.CheckableTag>
                </Tooltip>
              ))}
            </Space>
            {isEmail && (
              <Input
                data-testid="template-subject"
                aria-label={t("templates.subject")}
                placeholder={t("templates.subject")}
                value={subject}
                onChange={(event) => setSubject(event.target.value)}
              />
            )}
            <Input.TextArea
              data-testid="template-body"
              aria-label={t("templates.body")}
              ref={(instance) => {
                editor.current = instance?.resizableTextArea?.textArea ?? null;
              }}
              value={body}
              disabled={Boolean(template.retiredAt)}
              onChange={(event) => setBody(event.target.value)}
              autoSize={{ minRows: 4, maxRows: 12 }}
              maxLength={4000}
              showCount
            />
            <Space wrap>
              <Button
                data-testid="template-save"
                type="primary"
                icon={<SaveOutlined />}
                disabled={!changed || Boolean(template.retiredAt)}
                loading={busy === "save"}
                onClick={() =>
                  run("save", () => api("POST", `/api/templates/${template.id}/versions`, { body, subject: isEmail ? subject : null }), "templates.saved")
                }
              >
                {t("templates.saveVersion")}
              </Button>
              {template.inUse && open && <Typography.Text type="secondary">{t("templates.inUseWhile", { version: template.inUse.version })}</Typography.Text>}
            </Space>
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size="small" style={{ width: "100%" }}>
            <Space wrap>
              <Typography.Text strong>{t("templates.preview")}</Typography.Text>
              <Input
                data-testid="template-preview-case"
                size="small"
                allowClear
                style={{ width: 320 }}
                placeholder={t("templates.previewCase")}
                value={caseId}
                onChange={(event) => setCaseId(event.target.value)}
              />
            </Space>
            {previewFailure && <Alert type="error" showIcon title={previewFailure} />}
            {preview && !preview.ok && (
              <Alert
                data-testid="template-syntax"
                type="error"
                showIcon
                title={t("templates.syntax")}
                description={preview.problems.map((problem) => <div key={`${problem.field}:${problem.start}`}>{messageOf(problem, language)}</div>)}
              />
            )}
            {preview?.ok && (
              <>
                <Typography.Text type="secondary">{t(preview.basedOn === "case" ? "templates.basedOnCase" : "templates.basedOnSample")}</Typography.Text>
                <div data-testid="template-preview">
                  <MarkedText
                    text={preview.basedOn === "sample" ? preview.contentCheck.renderedText : `${preview.subject ? `${preview.subject}\n` : ""}${preview.text}`}
                    findings={preview.basedOn === "sample" ? preview.contentCheck.findings : []}
                    testId="template-preview-text"
                  />
                </div>
                <ContentCheckView check={preview.contentCheck} testId="template-preview-check" />
              </>
            )}
          </Space>
        </Col>
      </Row>
      {refusal && (
        <Alert
          data-testid="template-refusal"
          type="error"
          showIcon
          style={{ marginTop: 16 }}
          title={t("templates.refused", { count: refusal.findings.length })}
          description={
            <Space orientation="vertical" size="small" style={{ width: "100%" }}>
              <MarkedText text={refusal.renderedText} findings={refusal.findings} testId="template-refusal-text" />
              <FindingList findings={refusal.findings} testId="template-refusal-finding" />
            </Space>
          }
        />
      )}
      {failure && <Alert data-testid="template-failure" type="error" showIcon title={failure} style={{ marginTop: 16 }} />}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("templates.versions")}
      </Typography.Title>
      <Table<TemplateVersion>
        data-testid="template-versions"
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={template.versions}
        expandable={{
          expandedRowRender: (version) => (
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{version.subject ? `${version.subject}\n${version.body}` : version.body}</Typography.Text>
              {version.decisionNote && (
                <Typography.Text type="secondary">
                  {t("templates.note")}: {version.decisionNote}
                </Typography.Text>
              )}
              {version.contentCheck && <ContentCheckView check={version.contentCheck} testId="template-version-check" />}
            </Space>
          ),
        }}
        onRow={(version) => ({ "data-testid": `template-version-${version.version}` }) as never}
        columns={[
          { title: t("templates.version"), dataIndex: "version", render: (value: number) => `v${value}`, width: 70 },
          {
            title: t("templates.status"),
            dataIndex: "status",
            render: (status: string) => (
              <Tag data-testid="template-version-status" color={statusColors[status]}>
                {label(t, "templates.status", status)}
              </Tag>
            ),
          },
          { title: t("templates.author"), dataIndex: "createdBy" },
          { title: t("templates.submittedBy"), dataIndex: "submittedBy", render: (value: string | null) => value ?? "—" },
          { title: t("templates.decidedBy"), dataIndex: "decidedBy", render: (value: string | null) => value ?? "—" },
          {
            title: t("templates.when"),
            render: (_value, version) => formatDateTime(version.decidedAt ?? version.submittedAt ?? version.createdAt, language, timeZone),
          },
          {
            title: t("templates.actions"),
            render: (_value, version) => (
              <Space size={4}>
                {version.status === "draft" && (
                  <Button
                    data-testid="template-submit"
                    size="small"
                    icon={<SendOutlined />}
                    loading={busy === "submit"}
                    onClick={() => run("submit", () => api("POST", path(version, "submit")), "templates.submitted")}
                  >
                    {t("templates.submit")}
                  </Button>
                )}
                {version.status === "pending_approval" && canApprove && (
                  <>
                    <Button
                      data-testid="template-approve"
                      size="small"
                      type="primary"
                      icon={<CheckOutlined />}
                      loading={busy === "approve"}
                      onClick={() => run("approve", () => api("POST", path(version, "approve")), "templates.approved")}
                    >
                      {t("templates.approve")}
                    </Button>
                    <Button data-testid="template-reject" size="small" danger icon={<CloseOutlined />} onClick={() => setRejecting(true)}>
                      {t("templates.reject")}
                    </Button>
                    <Modal
                      open={rejecting}
                      title={t("templates.rejectTitle")}
                      onCancel={() => setRejecting(false)}
                      okButtonProps={{ "data-testid": "template-reject-confirm", disabled: note.trim().length < 2, danger: true } as never}
                      okText={t("templates.reject")}
                      cancelText={t("cancel")}
                      onOk={async () => {
                        await run("reject", () => api("POST", path(version, "reject"), { note }), "templates.rejected");
                        setRejecting(false);
                        setNote("");
                      }}
                    >
                      <Input.TextArea
                        data-testid="template-reject-note"
                        placeholder={t("templates.rejectNote")}
                        value={note}
                        onChange={(event) => setNote(event.target.value)}
                      />
                    </Modal>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

interface NewTemplateForm {
  code: string;
  name: string;
  channel: string;
  language: string;
  purpose: string;
  subject?: string;
  body: string;
}

function NewTemplateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (template: MessageTemplate) => void }) {
  const { t } = useLanguage();
  const [form] = Form.useForm<NewTemplateForm>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const channel = Form.useWatch("channel", form);
  const options = useMemo(
    () => ({
      channels: channels.map((value) => ({ value, label: label(t, "compliance.channel", value) })),
      languages: languages.map((value) => ({ value, label: value === "en" ? "English" : "中文" })),
      purposes: purposes.map((value) => ({ value, label: label(t, "templates.purpose", value) })),
    }),
    [t],
  );
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setFailure(null);
    try {
      const created = await api<MessageTemplate>("POST", "/api/templates", {
        ...values,
        subject: values.channel === "email" ? (values.subject ?? null) : null,
      });
      form.resetFields();
      onCreated(created);
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("templates.new")}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t("templates.create")}
      cancelText={t("cancel")}
      destroyOnHidden
    >
      <Form<NewTemplateForm> form={form} layout="vertical" initialValues={{ channel: "sms", language: "zh-CN", purpose: "overdue" }} preserve={false}>
        <Form.Item
          name="code"
          label={t("templates.code")}
          rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_.-]{0,63}$/, message: t("templates.codeRule") }]}
        >
          <Input data-testid="template-new-code" placeholder="overdue-m2" />
        </Form.Item>
        <Form.Item name="name" label={t("templates.name")} rules={[{ required: true, message: t("templates.nameRequired") }]}>
          <Input data-testid="template-new-name" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="channel" label={t("templates.channel")}>
            <Select style={{ width: 140 }} options={options.channels} />
          </Form.Item>
          <Form.Item name="language" label={t("templates.language")}>
            <Select style={{ width: 120 }} options={options.languages} />
          </Form.Item>
          <Form.Item name="purpose" label={t("templates.purpose")}>
            <Select style={{ width: 160 }} options={options.purposes} />
          </Form.Item>
        </Space>
        {channel === "email" && (
          <Form.Item name="subject" label={t("templates.subject")} rules={[{ required: true, message: t("templates.subjectRequired") }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="body" label={t("templates.body")} rules={[{ required: true, message: t("templates.bodyRequired") }]} extra={t("templates.bodyHint")}>
          <Input.TextArea data-testid="template-new-body" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
