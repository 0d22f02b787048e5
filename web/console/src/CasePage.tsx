// The case page (案件工作台): the borrower 360° as the agent works a case — who they are (masked,
// with an audited reveal), what they owe on each loan and why, every contact with the gateway's
// decision and reasons, promises and restrictions — and the agent's actions: dial and log the
// call (催记) with an optional promise to pay, send an approved SMS, schedule a callback, and
// record a dispute or complaint. Every contact goes through the gateway; a refusal is shown
// with its reasons and the next allowed time.
import {
  ArrowLeftOutlined,
  BookOutlined,
  CalendarOutlined,
  EyeOutlined,
  FlagOutlined,
  MessageOutlined,
  PhoneOutlined,
  PlusOutlined,
  ReloadOutlined,
} from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { type HTMLAttributes, type ReactNode, useEffect, useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { type Language, useLanguage } from "../../shared/i18n";
import { formatDecimal, formatMinor, parseDecimalToMinor } from "../../shared/money";
import { labelOr, useLoad } from "./pages";
import { ClosedAmount, caseStatusColors } from "./QueuePage";
import { useLenderTimeZone } from "./session";
import { addDays, formatDateTime, todayIn, zonedDateTime } from "./time";
import type {
  CaseAccount,
  CaseDetail,
  ContactAttemptResult,
  ContactAttemptView,
  DecisionReason,
  GatewayDecision,
  GatewayOutlook,
  LoanStatement,
  PromiseView,
  RestrictionView,
  StaffUser,
  SuggestedScript,
} from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const noWrap = { whiteSpace: "nowrap" } as const;
const decisionColors: Record<GatewayDecision, string> = { allow: "success", warn: "warning", defer: "orange", block: "error" };
const resultCodes = ["connected", "no_answer", "busy", "switched_off", "not_in_service", "wrong_person", "refused", "hung_up", "voicemail"] as const;
/** Only a call someone answered can have reached the right party. */
const answeredResults: readonly string[] = ["connected", "refused", "hung_up"];
const overdueReasons = ["income_drop", "illness", "unemployment", "family_emergency", "forgot", "dispute", "suspected_fraud", "refuses", "other"] as const;
const attitudes = ["cooperative", "neutral", "evasive", "hostile"] as const;
const actionKinds = ["callback", "follow_up", "visit", "send_document"] as const;
/** What an agent may record on the spot; lifting a restriction is a reviewer's call. */
const restrictionKinds = ["dispute_open", "complaint_open", "cease_requested", "stop_calling", "attorney_represented", "deceased"] as const;
/** Contact details (the server's lists, borrowers module). */
const contactKinds = ["self", "guarantor", "emergency", "other"] as const;
const relationships = ["spouse", "parent", "child", "sibling", "relative", "friend", "colleague", "other"] as const;
const addressKinds = ["home", "work", "mailing"] as const;
const detailSources = ["agent", "borrower"] as const;
const contactInvalidReasons = ["wrong_number", "not_in_service", "not_the_person", "other"] as const;
const addressInvalidReasons = ["not_found", "moved", "not_the_person", "other"] as const;
/** The server wants a reason that says why: at least this many characters. */
const revealReasonMin = 4;

function label(t: Translate, prefix: string, value: string): string {
  return labelOr(t(`${prefix}.${value}`), `${prefix}.${value}`, value);
}

function messageOf(item: { messageZh: string; messageEn: string }, language: Language): string {
  return language === "en" ? item.messageEn : item.messageZh;
}

function isRefused(decision: GatewayDecision | null): boolean {
  return decision === "block" || decision === "defer";
}

/** Tomorrow at 10:00 in the lender's zone, as a datetime-local value. */
function tomorrowMorning(timeZone: string): string {
  return `${addDays(todayIn(timeZone), 1)}T10:00`;
}

/** A datetime-local value read as a wall-clock time in the lender's zone, as an instant; null when incomplete. */
function instantInZone(value: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!match) return null;
  const instant = new Date(zonedDateTime(match[1] as string, match[2] as string, timeZone));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

// ——— the gateway's word ———

function DecisionTag({ decision, testId }: { decision: GatewayDecision; testId?: string }) {
  const { t } = useLanguage();
  return (
    <Tag color={decisionColors[decision] ?? "default"} data-testid={testId} data-decision={decision}>
      {label(t, "compliance.decision", decision)}
    </Tag>
  );
}

function ReasonList({ reasons }: { reasons: readonly DecisionReason[] }) {
  const { t, language } = useLanguage();
  return (
    <div>
      {reasons.map((reason) => (
        <div key={`${reason.rule}:${reason.messageEn}`} data-testid="gateway-reason" data-rule={reason.rule} style={{ marginTop: 4 }}>
          <Tooltip title={`${t("compliance.source")}: ${reason.source}`}>
            <Tag style={{ cursor: "help" }}>{reason.rule}</Tag>
          </Tooltip>
          <Typography.Text style={{ fontSize: 13 }}>{messageOf(reason, language)}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

function NextAllowed({ decision, nextAllowedAt, testId }: { decision: GatewayDecision; nextAllowedAt: string | null; testId?: string }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  if (nextAllowedAt)
    return (
      <Typography.Text data-testid={testId} style={noWrap}>
        {formatDateTime(nextAllowedAt, language, timeZone)}
      </Typography.Text>
    );
  if (decision !== "block") return <Typography.Text data-testid={testId}>—</Typography.Text>;
  return (
    <Tooltip title={t("compliance.neverHint")}>
      <Typography.Text type="danger" data-testid={testId}>
        {t("compliance.never")}
      </Typography.Text>
    </Tooltip>
  );
}

/** A decision with its reasons and, when refused, the next allowed time. */
function Outlook({ outlook, prefix }: { outlook: GatewayOutlook; prefix: string }) {
  const { t } = useLanguage();
  return (
    <div>
      <Space size={4} wrap>
        <Typography.Text type="secondary">{t("case.gatewayNow")}</Typography.Text>
        <DecisionTag decision={outlook.decision} testId={`${prefix}-decision`} />
        {isRefused(outlook.decision) && (
          <>
            <Typography.Text type="secondary">{t("compliance.nextAllowed")}:</Typography.Text>
            <NextAllowed decision={outlook.decision} nextAllowedAt={outlook.nextAllowedAt} testId={`${prefix}-next-allowed`} />
          </>
        )}
      </Space>
      {outlook.reasons.length > 0 && (
        <div data-testid={`${prefix}-reasons`}>
          <ReasonList reasons={outlook.reasons} />
        </div>
      )}
    </div>
  );
}

/** What the gateway answered to a contact the agent just tried. */
function AttemptRefusal({ result, testId }: { result: ContactAttemptResult; testId: string }) {
  const { t } = useLanguage();
  return (
    <Alert
      data-testid={testId}
      type={result.decision === "block" ? "error" : "warning"}
      showIcon
      title={
        <Space size={4} wrap>
          {t("case.refused")}
          <DecisionTag decision={result.decision} />
          <Typography.Text type="secondary">{t("compliance.nextAllowed")}:</Typography.Text>
          <NextAllowed decision={result.decision} nextAllowedAt={result.nextAllowedAt} />
        </Space>
      }
      description={<ReasonList reasons={result.reasons} />}
    />
  );
}

// ——— the page ———

interface HomeLender {
  lender: { name: string; nameEn: string };
}

export function CasePage({ user }: { user: StaffUser }) {
  const { t } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { id = "" } = useParams();
  const { data, error, reload } = useLoad<CaseDetail>(`/api/cases/${id}`);
  const home = useLoad<HomeLender>("/api/home");

  if (!data) {
    return (
      <Card>
        <BackLink />
        {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} /> : <Spin style={{ display: "block", margin: 48 }} />}
      </Card>
    );
  }
  const currency = data.accounts[0]?.currency ?? "CNY";
  return (
    <Space data-testid="case-page" orientation="vertical" size="middle" style={{ width: "100%" }}>
      {error && <Alert type="error" showIcon title={error} />}
      <CaseHeader detail={data} currency={currency} onReload={reload} />
      <ActionsCard detail={data} user={user} lender={home.data?.lender ?? null} onChanged={reload} />
      {data.suggestedScript && <ScriptCard script={data.suggestedScript} />}
      <AccountsCard accounts={data.accounts} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <PromisesCard promises={data.promises} currency={currency} />
        </Col>
        <Col xs={24} lg={8}>
          <RestrictionsCard restrictions={data.restrictions} />
        </Col>
        <Col xs={24} lg={8}>
          <ContactsCard detail={data} canEdit={user.permissions.includes("contacts:make")} onChanged={reload} />
        </Col>
      </Row>
      <TimelineCard detail={data} user={user} onChanged={reload} />
      <Typography.Text type="secondary">{t("compliance.timeZoneNote", { zone: timeZone })}</Typography.Text>
    </Space>
  );
}

function BackLink() {
  const { t } = useLanguage();
  return (
    <Link to="/cases" data-testid="case-back">
      <ArrowLeftOutlined /> {t("case.back")}
    </Link>
  );
}

function CaseHeader({ detail, currency, onReload }: { detail: CaseDetail; currency: string; onReload: () => void }) {
  const { t } = useLanguage();
  const { borrower, totals } = detail;
  const bucket = detail.accounts.reduce((worst, account) => (account.daysPastDue > (worst?.daysPastDue ?? -1) ? account : worst), detail.accounts[0])?.bucket;
  return (
    <Card
      data-testid="case-header"
      title={
        <Space wrap size="small">
          <BackLink />
          <Typography.Title level={4} style={{ margin: "0 0 0 12px" }} data-testid="case-borrower-name">
            {borrower.name ?? borrower.externalRef}
          </Typography.Title>
          <Tag color={caseStatusColors[detail.status] ?? "default"}>{label(t, "status", detail.status)}</Tag>
          {bucket && <Tag color="red">{bucket}</Tag>}
        </Space>
      }
      extra={
        <Button data-testid="case-refresh" icon={<ReloadOutlined />} onClick={onReload}>
          {t("refresh")}
        </Button>
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 4 }}
        items={[
          { key: "phone", label: t("cases.phone"), children: <PhoneWithReveal borrowerId={borrower.id} masked={borrower.phone} /> },
          { key: "ref", label: t("case.borrowerRef"), children: borrower.externalRef },
          { key: "nationalId", label: t("case.nationalId"), children: borrower.nationalId ?? "—" },
          { key: "address", label: t("case.address"), children: borrower.address ?? "—" },
          {
            key: "overdue",
            label: t("queue.overdue"),
            children: (
              <ClosedAmount amountMinor={totals.overdueMinor} currency={currency} daysPastDue={totals.daysPastDueMax} strong danger testId="case-overdue" />
            ),
          },
          {
            key: "outstanding",
            label: t("case.outstanding"),
            children: <ClosedAmount amountMinor={totals.outstandingMinor} currency={currency} daysPastDue={totals.daysPastDueMax} />,
          },
          { key: "dpd", label: t("queue.dpd"), children: totals.daysPastDueMax },
          { key: "agent", label: t("cases.agent"), children: detail.assignedAgent ?? t("cases.unassigned") },
          { key: "opened", label: t("cases.openedOn"), children: detail.openedOn },
          { key: "hold", label: t("case.holdUntil"), children: detail.holdUntil ?? "—" },
          { key: "email", label: t("case.email"), children: borrower.email ?? "—" },
          { key: "language", label: t("case.language"), children: label(t, "case.locale", borrower.locale) },
        ]}
      />
    </Card>
  );
}

/** The masked phone, and a reveal that asks for a reason first (the server audits it). */
function PhoneWithReveal({ borrowerId, masked }: { borrowerId: string; masked: string | null }) {
  const { t } = useLanguage();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const result = await api<{ field: string; value: string | null }>("POST", `/api/borrowers/${borrowerId}/reveal`, {
        field: "phone",
        reason: reason.trim(),
      });
      setRevealed(result.value ?? "—");
      setOpen(false);
      setReason("");
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  if (revealed !== null)
    return (
      <Typography.Text strong copyable={{ text: revealed }}>
        <span data-testid="revealed-phone">{revealed}</span>
      </Typography.Text>
    );
  return (
    <Space size={4}>
      <Typography.Text data-testid="case-phone">{masked ?? "—"}</Typography.Text>
      <Button data-testid="reveal-phone" size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)}>
        {t("reveal.button")}
      </Button>
      <Modal
        open={open}
        title={t("reveal.title")}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>,
          <Button key="submit" data-testid="reveal-submit" type="primary" loading={busy} disabled={reason.trim().length < revealReasonMin} onClick={submit}>
            {t("reveal.submit")}
          </Button>,
        ]}
      >
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Alert type="info" showIcon title={t("reveal.hint")} />
          <Input.TextArea
            data-testid="reveal-reason"
            aria-label={t("reveal.reason")}
            placeholder={t("reveal.placeholder")}
            value={reason}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
            onChange={(event) => setReason(event.target.value)}
          />
          {failure && <Alert type="error" showIcon title={failure} />}
        </Space>
      </Modal>
    </Space>
  );
}

// ——— actions ———

function ActionsCard({
  detail,
  user,
  lender,
  onChanged,
}: {
  detail: CaseDetail;
  user: StaffUser;
  lender: { name: string; nameEn: string } | null;
  onChanged: () => void;
}) {
  const { t } = useLanguage();
  const canContact = user.permissions.includes("contacts:make");
  const block = (icon: ReactNode, title: string, children: ReactNode) => (
    <Col xs={24} md={12} xl={6}>
      <Card
        size="small"
        type="inner"
        title={
          <Space size={6}>
            {icon}
            {title}
          </Space>
        }
        style={{ height: "100%" }}
      >
        {children}
      </Card>
    </Col>
  );
  return (
    <Card data-testid="case-actions" title={t("case.actions")} size="small">
      {!canContact && <Alert type="info" showIcon title={t("case.readOnly")} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        {block(<PhoneOutlined />, t("call.title"), <CallAction detail={detail} disabled={!canContact} onChanged={onChanged} />)}
        {block(<MessageOutlined />, t("sms.title"), <SmsAction detail={detail} lender={lender} disabled={!canContact} onChanged={onChanged} />)}
        {block(
          <CalendarOutlined />,
          t("callback.title"),
          <CallbackAction caseId={detail.id} actions={detail.actions} disabled={!canContact} onChanged={onChanged} />,
        )}
        {block(<FlagOutlined />, t("restriction.title"), <RestrictionAction detail={detail} disabled={!canContact} onChanged={onChanged} />)}
      </Row>
    </Card>
  );
}

function CallAction({ detail, disabled, onChanged }: { detail: CaseDetail; disabled: boolean; onChanged: () => void }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const [dialing, setDialing] = useState(false);
  const [refusal, setRefusal] = useState<ContactAttemptResult | null>(null);
  const [recording, setRecording] = useState<string | null>(null);

  const dial = async () => {
    setDialing(true);
    setRefusal(null);
    try {
      const result = await api<ContactAttemptResult>("POST", "/api/contact-attempts", { borrowerId: detail.borrower.id, channel: "call" });
      if (result.status === "in_progress") setRecording(result.attemptId);
      else setRefusal(result);
      onChanged();
    } catch (caught) {
      message.error(describeError(t, caught));
    } finally {
      setDialing(false);
    }
  };

  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Button data-testid="action-call" type="primary" icon={<PhoneOutlined />} loading={dialing} disabled={disabled} onClick={dial}>
        {t("call.dial")}
      </Button>
      <Outlook outlook={detail.allowedNow.call} prefix="call" />
      {refusal && <AttemptRefusal result={refusal} testId="call-refused" />}
      <ContactRecordModal
        caseId={detail.id}
        attemptId={recording}
        accounts={detail.accounts}
        onClose={() => setRecording(null)}
        onSaved={() => {
          setRecording(null);
          message.success(t("call.saved"));
          onChanged();
        }}
      />
    </Space>
  );
}

interface RecordForm {
  resultCode?: string;
  rightPartyContact: boolean;
  overdueReason?: string;
  attitude?: string;
  note?: string;
  promiseAmount?: string;
  promiseDate?: string;
  promiseLoanId?: string;
}

/** The field a 400 names, and the note's forbidden expression in the UI language when it is the note. */
function fieldProblemOf(caught: unknown, language: Language): { field: string; message: string } | null {
  if (!(caught instanceof ApiError) || caught.status !== 400) return null;
  const details = caught.details as { field?: unknown; findings?: { messageZh: string; messageEn: string; span?: { text: string } }[] } | undefined;
  if (typeof details?.field !== "string") return null;
  const finding = details.findings?.[0];
  if (finding) return { field: details.field, message: `${messageOf(finding, language)}${finding.span ? ` «${finding.span.text}»` : ""}` };
  return { field: details.field, message: caught.message };
}

/** The contact record (催记) of a call in progress, and optionally the promise to pay it got. */
function ContactRecordModal({
  caseId,
  attemptId,
  accounts,
  onClose,
  onSaved,
}: {
  caseId: string;
  attemptId: string | null;
  accounts: readonly CaseAccount[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, language } = useLanguage();
  const [form] = Form.useForm<RecordForm>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // The record is stored before the promise; a failed promise is retried without storing it twice.
  const [recordSaved, setRecordSaved] = useState<string | null>(null);
  const resultCode = Form.useWatch("resultCode", form);
  const isAnswered = resultCode !== undefined && answeredResults.includes(resultCode);
  const currency = accounts[0]?.currency ?? "CNY";

  const submit = async () => {
    if (!attemptId) return;
    let values: RecordForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const amountText = values.promiseAmount?.trim() ?? "";
    const dueOn = values.promiseDate ?? "";
    const hasPromise = amountText !== "" || dueOn !== "";
    const amountMinor = amountText === "" ? null : parseDecimalToMinor(amountText, currency);
    if (hasPromise) {
      const problems = [];
      if (amountMinor === null || amountMinor <= 0n) problems.push({ name: "promiseAmount" as const, errors: [t("promise.amountInvalid")] });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn)) problems.push({ name: "promiseDate" as const, errors: [t("promise.dateRequired")] });
      if (problems.length > 0) {
        form.setFields(problems);
        return;
      }
    }
    setBusy(true);
    setFailure(null);
    try {
      if (recordSaved !== attemptId) {
        try {
          await api("PATCH", `/api/contact-attempts/${attemptId}`, {
            resultCode: values.resultCode,
            rightPartyContact: isAnswered && values.rightPartyContact,
            overdueReason: values.overdueReason ?? null,
            attitude: values.attitude ?? null,
            note: values.note?.trim() ? values.note.trim() : null,
          });
        } catch (caught) {
          const problem = fieldProblemOf(caught, language);
          if (problem?.field === "note") {
            form.setFields([{ name: "note", errors: [t("call.noteRejected", { reason: problem.message })] }]);
            return;
          }
          throw caught;
        }
        setRecordSaved(attemptId);
      }
      if (hasPromise && amountMinor !== null) {
        try {
          await api("POST", `/api/cases/${caseId}/promises`, {
            installments: [{ dueOn, amountMinor: amountMinor.toString() }],
            loanId: values.promiseLoanId ?? null,
            contactAttemptId: attemptId,
          });
        } catch (caught) {
          const problem = fieldProblemOf(caught, language);
          if (problem) {
            const name = problem.field.endsWith("dueOn") ? "promiseDate" : problem.field.endsWith("amountMinor") ? "promiseAmount" : null;
            if (name) {
              form.setFields([{ name, errors: [problem.message] }]);
              setFailure(t("call.savedPromiseFailed"));
              return;
            }
          }
          setFailure(`${t("call.savedPromiseFailed")} ${describeError(t, caught)}`);
          return;
        }
      }
      form.resetFields();
      setRecordSaved(null);
      onSaved();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={attemptId !== null}
      title={t("call.recordTitle")}
      onCancel={onClose}
      destroyOnHidden
      width={620}
      footer={[
        <Button key="later" onClick={onClose}>
          {t("call.later")}
        </Button>,
        <Button key="submit" data-testid="call-submit" type="primary" loading={busy} onClick={submit}>
          {t("call.submit")}
        </Button>,
      ]}
    >
      <Alert type="success" showIcon title={t("call.allowed")} style={{ marginBottom: 12 }} />
      <Form<RecordForm> form={form} layout="vertical" initialValues={{ rightPartyContact: false }} preserve={false}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="resultCode" label={t("call.result")} rules={[{ required: true, message: t("call.resultRequired") }]}>
              <Select
                data-testid="call-result"
                virtual={false}
                options={resultCodes.map((value) => ({ value, label: label(t, "resultCode", value) }))}
                onChange={(value: string) => {
                  if (!answeredResults.includes(value)) form.setFieldValue("rightPartyContact", false);
                }}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="rightPartyContact" label={t("call.rpc")} valuePropName="checked" tooltip={t("call.rpcHint")}>
              <Switch data-testid="call-rpc" disabled={!isAnswered} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="overdueReason" label={t("call.reason")}>
              <Select
                data-testid="call-reason"
                allowClear
                virtual={false}
                options={overdueReasons.map((value) => ({ value, label: label(t, "overdueReason", value) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="attitude" label={t("call.attitude")}>
              <Select
                data-testid="call-attitude"
                allowClear
                virtual={false}
                options={attitudes.map((value) => ({ value, label: label(t, "attitude", value) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t("call.note")} extra={t("call.noteHint")}>
          <Input.TextArea data-testid="call-note" maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Typography.Text strong>{t("promise.optional")}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          <Col span={accounts.length > 1 ? 8 : 12}>
            <Form.Item name="promiseAmount" label={t("promise.amount")}>
              <Input data-testid="call-promise-amount" inputMode="decimal" prefix={currency === "CNY" ? "¥" : currency} placeholder="500.00" />
            </Form.Item>
          </Col>
          <Col span={accounts.length > 1 ? 8 : 12}>
            <Form.Item name="promiseDate" label={t("promise.date")}>
              <Input data-testid="call-promise-date" type="date" />
            </Form.Item>
          </Col>
          {accounts.length > 1 && (
            <Col span={8}>
              <Form.Item name="promiseLoanId" label={t("promise.loan")}>
                <Select
                  allowClear
                  placeholder={t("promise.anyLoan")}
                  options={accounts.map((account) => ({ value: account.loanId, label: account.externalRef }))}
                />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}

/** An approved template as the server rendered it with this case's own numbers. */
interface CaseTemplateOption {
  templateId: string;
  versionId: string;
  version: number;
  code: string;
  name: string;
  language: string;
  purpose: string;
  text: string | null;
  missing: string[];
}

function SmsAction({
  detail,
  disabled,
  onChanged,
}: {
  detail: CaseDetail;
  lender: { name: string; nameEn: string } | null;
  disabled: boolean;
  onChanged: () => void;
}) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<CaseTemplateOption[] | null>(null);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ContactAttemptResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const outlook = detail.allowedNow.sms;
  const chosen = options?.find((option) => option.templateId === templateId) ?? null;

  // The approved templates, rendered by the server with this case's own numbers, each time the dialog opens.
  useEffect(() => {
    if (!open) return;
    setOptions(null);
    api<{ templates: CaseTemplateOption[] }>("GET", `/api/cases/${detail.id}/template-messages?channel=sms`)
      .then(({ templates }) => {
        setOptions(templates);
        const usable = templates.filter((option) => option.text !== null);
        const first =
          usable.find((option) => option.language === detail.borrower.locale && option.purpose === "overdue") ??
          usable.find((option) => option.language === detail.borrower.locale) ??
          usable[0];
        setTemplateId(first?.templateId ?? null);
      })
      .catch((caught: unknown) => {
        setOptions([]);
        setFailure(describeError(t, caught));
      });
  }, [open, detail.id, detail.borrower.locale, t]);

  const send = async () => {
    if (!chosen) return;
    setBusy(true);
    setRefusal(null);
    setFailure(null);
    try {
      const result = await api<ContactAttemptResult>("POST", `/api/cases/${detail.id}/template-messages`, {
        templateId: chosen.templateId,
        versionId: chosen.versionId,
      });
      if (result.status === "sent") {
        setOpen(false);
        message.success(t("sms.sent"));
      } else {
        setRefusal(result);
      }
      onChanged();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Button
        data-testid="action-sms"
        icon={<MessageOutlined />}
        danger={isRefused(outlook.decision)}
        disabled={disabled}
        onClick={() => {
          setRefusal(null);
          setFailure(null);
          setOpen(true);
        }}
      >
        {t("sms.send")}
      </Button>
      <Outlook outlook={outlook} prefix="sms" />
      <Modal
        open={open}
        title={t("sms.title")}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        width={560}
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>,
          <Button key="send" data-testid="sms-send" type="primary" loading={busy} disabled={!chosen?.text} onClick={send}>
            {t("sms.confirm")}
          </Button>,
        ]}
      >
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          <Typography.Text type="secondary">{t("sms.hint")}</Typography.Text>
          {options === null ? (
            <Spin size="small" />
          ) : options.length === 0 ? (
            <Empty data-testid="sms-no-templates" description={t("sms.noTemplates")} />
          ) : (
            <>
              <Select
                data-testid="sms-template"
                aria-label={t("sms.template")}
                value={templateId}
                onChange={(value: string) => setTemplateId(value)}
                virtual={false}
                style={{ width: "100%" }}
                options={options.map((option) => ({
                  value: option.templateId,
                  label: `${option.name} · ${option.language === "en" ? "English" : "中文"} · v${option.version}`,
                  disabled: option.text === null,
                }))}
              />
              {chosen && (
                <div
                  data-testid="sms-text"
                  data-version-id={chosen.versionId}
                  style={{ whiteSpace: "pre-wrap", padding: "8px 12px", background: "#fafafa", border: "1px solid #f0f0f0", borderRadius: 6 }}
                >
                  {chosen.text ?? t("sms.missingValues", { names: chosen.missing.join(", ") })}
                </div>
              )}
              {chosen && <Typography.Text type="secondary">{t("sms.version", { version: chosen.version })}</Typography.Text>}
            </>
          )}
          {refusal && <AttemptRefusal result={refusal} testId="sms-result" />}
          {failure && <Alert type="error" showIcon title={failure} />}
        </Space>
      </Modal>
    </Space>
  );
}

function CallbackAction({
  caseId,
  actions,
  disabled,
  onChanged,
}: {
  caseId: string;
  actions: CaseDetail["actions"];
  disabled: boolean;
  onChanged: () => void;
}) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string>("callback");
  const [dueAt, setDueAt] = useState(() => tomorrowMorning(timeZone));
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [scheduled, setScheduled] = useState<{ kind: string; dueAt: string } | null>(null);

  const submit = async () => {
    const instant = instantInZone(dueAt, timeZone);
    if (!instant) {
      setFailure(t("callback.timeRequired"));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await api("POST", `/api/cases/${caseId}/actions`, { kind, dueAt: instant.toISOString(), note: note.trim() ? note.trim() : null });
      setScheduled({ kind, dueAt: instant.toISOString() });
      setOpen(false);
      setNote("");
      message.success(t("callback.saved"));
      onChanged();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Button data-testid="action-callback" icon={<CalendarOutlined />} disabled={disabled} onClick={() => setOpen(true)}>
        {t("callback.schedule")}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t("callback.hint")}
      </Typography.Text>
      {actions
        .filter((action) => action.doneAt === null)
        .map((action) => (
          <Space key={action.id} data-testid="case-action" size="small">
            <Typography.Text style={{ fontSize: 13 }}>
              {t("callback.scheduled", { kind: label(t, "actionKind", action.kind), time: formatDateTime(action.dueAt, language, timeZone) })}
              {action.note ? ` — ${action.note}` : ""}
            </Typography.Text>
            <Button
              size="small"
              data-testid="case-action-done"
              disabled={disabled}
              onClick={async () => {
                try {
                  await api("POST", `/api/case-actions/${action.id}/done`, {});
                  onChanged();
                } catch (caught) {
                  setFailure(describeError(t, caught));
                }
              }}
            >
              {t("callback.done")}
            </Button>
          </Space>
        ))}
      {scheduled && (
        <Typography.Text data-testid="callback-scheduled" style={{ fontSize: 13 }}>
          {t("callback.scheduled", { kind: label(t, "actionKind", scheduled.kind), time: formatDateTime(scheduled.dueAt, language, timeZone) })}
        </Typography.Text>
      )}
      <Modal
        open={open}
        title={t("callback.title")}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>,
          <Button key="submit" data-testid="callback-submit" type="primary" loading={busy} disabled={!dueAt} onClick={submit}>
            {t("callback.submit")}
          </Button>,
        ]}
      >
        <Form layout="vertical">
          <Form.Item label={t("callback.kind")}>
            <Select
              data-testid="callback-kind"
              value={kind}
              onChange={setKind}
              virtual={false}
              options={actionKinds.map((value) => ({ value, label: label(t, "actionKind", value) }))}
            />
          </Form.Item>
          <Form.Item label={t("callback.at")} extra={t("callback.atHint", { zone: timeZone })}>
            <Input data-testid="callback-at" type="datetime-local" value={dueAt} onChange={(event) => setDueAt(event.target.value)} />
          </Form.Item>
          <Form.Item label={t("call.note")}>
            <Input.TextArea data-testid="callback-note" maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
          </Form.Item>
        </Form>
        {failure && <Alert type="error" showIcon title={failure} />}
      </Modal>
    </Space>
  );
}

function RestrictionAction({ detail, disabled, onChanged }: { detail: CaseDetail; disabled: boolean; onChanged: () => void }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string>("dispute_open");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const openKinds = detail.restrictions.filter((item) => item.endedAt === null).map((item) => item.kind);

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api("POST", `/api/borrowers/${detail.borrower.id}/contact-restrictions`, { kind, note: note.trim() ? note.trim() : null });
      setOpen(false);
      setNote("");
      message.success(t("restriction.saved", { kind: label(t, "restriction", kind) }));
      onChanged();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Button data-testid="action-restriction" icon={<FlagOutlined />} disabled={disabled} onClick={() => setOpen(true)}>
        {t("restriction.record")}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t("restriction.hint")}
      </Typography.Text>
      <Modal
        open={open}
        title={t("restriction.title")}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>,
          <Button key="submit" data-testid="restriction-submit" type="primary" danger loading={busy} onClick={submit}>
            {t("restriction.submit")}
          </Button>,
        ]}
      >
        <Form layout="vertical">
          <Form.Item label={t("restriction.kind")}>
            <Select
              data-testid="restriction-kind"
              value={kind}
              onChange={setKind}
              virtual={false}
              options={restrictionKinds.map((value) => ({ value, label: label(t, "restriction", value), disabled: openKinds.includes(value) }))}
            />
          </Form.Item>
          <Form.Item label={t("call.note")}>
            <Input.TextArea
              data-testid="restriction-note"
              maxLength={2000}
              placeholder={t("restriction.placeholder")}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </Form.Item>
        </Form>
        <Alert type="warning" showIcon title={t("restriction.effect")} />
        {failure && <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} />}
      </Modal>
    </Space>
  );
}

// ——— what is owed, and why ———

function AccountsCard({ accounts }: { accounts: readonly CaseAccount[] }) {
  const { t, language } = useLanguage();
  return (
    <Card title={t("case.accounts")} size="small">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("case.accountsHint")}
      </Typography.Paragraph>
      <Table<CaseAccount>
        data-testid="case-accounts"
        rowKey="loanId"
        size="small"
        pagination={false}
        dataSource={[...accounts]}
        // Fixed layout: the owed explanation opened under a loan scrolls inside the row instead of widening the table.
        tableLayout="fixed"
        expandable={{ expandRowByClick: true, expandedRowRender: (account) => <OwedExplanation account={account} /> }}
        onRow={(account) => ({ "data-testid": "account-row", "data-loan-id": account.loanId, style: { cursor: "pointer" } }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("case.loan"), dataIndex: "externalRef", width: 170, render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
          { title: t("case.product"), key: "product", render: (_value, account) => (language === "en" ? account.productEn : account.product) },
          { title: t("cases.status"), dataIndex: "status", width: 100, render: (value: string) => <Tag>{label(t, "loanStatus", value)}</Tag> },
          {
            title: t("queue.dpd"),
            dataIndex: "daysPastDue",
            width: 90,
            align: "right",
            render: (value: number) => <span data-testid="account-dpd">{value}</span>,
          },
          { title: t("queue.bucket"), dataIndex: "bucket", width: 80 },
          {
            title: t("queue.overdue"),
            dataIndex: "overdueMinor",
            align: "right",
            width: 150,
            render: (value: string, account) => <ClosedAmount amountMinor={value} currency={account.currency} daysPastDue={account.daysPastDue} strong />,
          },
          {
            title: t("case.outstanding"),
            dataIndex: "outstandingMinor",
            align: "right",
            width: 150,
            render: (value: string, account) => <ClosedAmount amountMinor={value} currency={account.currency} daysPastDue={account.daysPastDue} />,
          },
        ]}
      />
    </Card>
  );
}

type StatementInstallment = LoanStatement["installments"][number];
const components = ["principal", "interest", "penalty", "fee"] as const;

function isPositiveDecimal(amount: string): boolean {
  return !amount.startsWith("-") && /[1-9]/.test(amount);
}

/** The sum of decimal strings, exactly. */
function sumDecimals(amounts: readonly string[], currency: string): string {
  return formatMinor(
    amounts.reduce((sum, amount) => sum + (parseDecimalToMinor(amount, currency) ?? 0n), 0n),
    currency,
  );
}

/** The statement of one loan: per installment what is owed of each component, and how penalty and fees came about. */
function OwedExplanation({ account }: { account: CaseAccount }) {
  const { t } = useLanguage();
  const { data, error, loading } = useLoad<LoanStatement>(`/api/loans/${account.loanId}/statement`);
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(
    () => (data?.installments ?? []).filter((installment) => showAll || installment.status === "overdue" || installment.status === "due"),
    [data, showAll],
  );
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return <Spin spinning={loading} style={{ display: "block", margin: 16 }} />;
  const money = (amount: string) => formatDecimal(amount, data.currency);
  const componentCell = (component: (typeof components)[number]) => ({
    title: t(`owed.${component}`),
    key: component,
    align: "right" as const,
    render: (_value: unknown, installment: StatementInstallment) => {
      const balance = installment[component];
      return (
        <Tooltip title={t("owed.chargedPaid", { charged: money(balance.charged), paid: money(balance.paid) })}>
          <span data-testid={`owed-${component}`} style={noWrap}>
            {money(balance.outstanding)}
          </span>
        </Tooltip>
      );
    },
  });
  return (
    <Space data-testid="owed-explanation" orientation="vertical" size="small" style={{ width: "100%" }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: "asOf", label: t("owed.asOf"), children: data.asOf },
          {
            key: "overdue",
            label: t("owed.overdue"),
            children: (
              <Typography.Text strong type="danger" data-testid="owed-overdue">
                {money(data.overdue)}
              </Typography.Text>
            ),
          },
          { key: "perDay", label: t("owed.penaltyPerDay"), children: money(data.penaltyPerDay) },
          { key: "principal", label: t("owed.principalOutstanding"), children: money(data.principalOutstanding) },
          {
            key: "charges",
            label: t("owed.charges"),
            children: t("owed.chargesLine", {
              interest: money(data.outstanding.interest),
              penalty: money(data.outstanding.penalty),
              fee: money(data.outstanding.fee),
            }),
          },
          {
            key: "cap",
            label: t("owed.legalCap"),
            children:
              data.legalCap.allowance === null
                ? t("owed.noCap")
                : t("owed.capLine", { allowance: money(data.legalCap.allowance), claimed: money(data.legalCap.claimed), cut: money(data.legalCap.notClaimed) }),
          },
        ]}
      />
      <Space size="small">
        <Switch data-testid="owed-show-all" size="small" checked={showAll} onChange={setShowAll} />
        <Typography.Text type="secondary">{t("owed.showAll")}</Typography.Text>
      </Space>
      <Table<StatementInstallment>
        data-testid="owed-installments"
        rowKey="number"
        size="small"
        bordered
        pagination={false}
        dataSource={rows}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("owed.nothingDue") }}
        expandable={{
          defaultExpandAllRows: true,
          rowExpandable: (installment) => installment.penaltyLines.length > 0 || installment.lateFee !== null,
          expandedRowRender: (installment) => <ChargeLines installment={installment} currency={data.currency} money={money} />,
        }}
        onRow={(installment) => ({ "data-testid": "owed-row", "data-installment": installment.number }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("owed.number"), dataIndex: "number", render: (value: number) => t("owed.numberValue", { number: value }) },
          { title: t("owed.dueDate"), dataIndex: "dueDate" },
          {
            title: t("cases.status"),
            dataIndex: "status",
            render: (value: string) => (
              <Tag color={value === "overdue" ? "red" : value === "due" ? "gold" : "default"}>{label(t, "installmentStatus", value)}</Tag>
            ),
          },
          { title: t("queue.dpd"), dataIndex: "daysPastDue", align: "right" },
          ...components.map(componentCell),
          {
            title: t("owed.total"),
            key: "total",
            align: "right",
            render: (_value, installment) => (
              <Typography.Text strong data-testid="owed-total" style={noWrap}>
                {sumDecimals(
                  components.map((component) => installment[component].outstanding),
                  data.currency,
                )}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** How an installment's penalty interest and late fee were worked out, line by line. */
function ChargeLines({ installment, currency, money }: { installment: StatementInstallment; currency: string; money: (amount: string) => string }) {
  const { t } = useLanguage();
  return (
    <div data-testid="owed-charge-lines" style={{ fontSize: 13 }}>
      {installment.penaltyLines.map((line) => (
        <div key={`${line.from}:${line.base}`}>
          {t("owed.penaltyLine", {
            from: line.from,
            to: line.to,
            days: line.days,
            base: money(line.base),
            rate: line.dailyRatePercent,
            perDay: money(line.perDay),
            amount: sumDecimals([line.amount, line.notClaimed], currency),
          })}
          {isPositiveDecimal(line.notClaimed) && (
            <Typography.Text type="success"> {t("owed.capCut", { claimed: money(line.amount), cut: money(line.notClaimed) })}</Typography.Text>
          )}
        </div>
      ))}
      {installment.lateFee && (
        <div>
          {t("owed.lateFeeLine", { date: installment.lateFee.chargedOn, amount: money(installment.lateFee.amount) })}
          {isPositiveDecimal(installment.lateFee.notClaimed) && (
            <Typography.Text type="success">
              {" "}
              {t("owed.capCut", { claimed: money(installment.lateFee.amount), cut: money(installment.lateFee.notClaimed) })}
            </Typography.Text>
          )}
        </div>
      )}
    </div>
  );
}

// ——— history ———

function TimelineCard({ detail, user, onChanged }: { detail: CaseDetail; user: StaffUser; onChanged: () => void }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { message } = App.useApp();
  const [recording, setRecording] = useState<string | null>(null);
  const mayLog = (attempt: ContactAttemptView) =>
    attempt.status === "in_progress" &&
    user.permissions.includes("contacts:make") &&
    (attempt.agent === user.username || user.permissions.includes("contacts:review"));
  return (
    <Card title={t("case.timeline")} size="small">
      <Table<ContactAttemptView>
        data-testid="case-timeline"
        rowKey="id"
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={detail.attempts}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: t("case.noContacts") }}
        onRow={(attempt) => ({ "data-testid": "timeline-row", "data-attempt-id": attempt.id, "data-status": attempt.status }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("case.time"), dataIndex: "at", render: (value: string) => <span style={noWrap}>{formatDateTime(value, language, timeZone)}</span> },
          {
            title: t("compliance.channel"),
            key: "channel",
            render: (_value, attempt) => (
              <Space orientation="vertical" size={0}>
                <span style={noWrap}>{label(t, "compliance.channel", attempt.channel)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12, ...noWrap }}>
                  {label(t, "compliance.role", attempt.personRole)}
                  {attempt.direction === "inbound" ? ` · ${t("case.inbound")}` : ""}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t("case.attemptStatus"),
            dataIndex: "status",
            render: (value: string) => <Tag data-testid="timeline-status">{label(t, "attemptStatus", value)}</Tag>,
          },
          {
            title: t("compliance.decision"),
            key: "decision",
            render: (_value, attempt) =>
              attempt.decision ? (
                <div style={{ minWidth: 260, maxWidth: 420 }}>
                  <Space size={4} wrap>
                    <DecisionTag decision={attempt.decision} testId="timeline-decision" />
                    {isRefused(attempt.decision) && (
                      <>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("compliance.nextAllowed")}:
                        </Typography.Text>
                        <NextAllowed decision={attempt.decision} nextAllowedAt={attempt.nextAllowedAt} />
                      </>
                    )}
                  </Space>
                  {attempt.reasons && attempt.reasons.length > 0 && <ReasonList reasons={attempt.reasons} />}
                </div>
              ) : (
                "—"
              ),
          },
          {
            title: t("case.record"),
            key: "record",
            render: (_value, attempt) =>
              attempt.resultCode ? (
                <div data-testid="timeline-record" style={{ minWidth: 200, maxWidth: 320 }}>
                  <Space size={4} wrap>
                    <Tag color={attempt.resultCode === "connected" ? "green" : "default"}>{label(t, "resultCode", attempt.resultCode)}</Tag>
                    {attempt.rightPartyContact && <Tag color="blue">{t("call.rpcShort")}</Tag>}
                    {attempt.overdueReason && <Tag color="purple">{label(t, "overdueReason", attempt.overdueReason)}</Tag>}
                    {attempt.attitude && <Tag>{label(t, "attitude", attempt.attitude)}</Tag>}
                  </Space>
                  {attempt.note && <div style={{ fontSize: 13, marginTop: 4, whiteSpace: "pre-wrap" }}>{attempt.note}</div>}
                </div>
              ) : mayLog(attempt) ? (
                <Button data-testid="timeline-log" size="small" onClick={() => setRecording(attempt.id)}>
                  {t("call.log")}
                </Button>
              ) : (
                "—"
              ),
          },
          { title: t("cases.agent"), dataIndex: "agent", render: (value: string | null) => value ?? t("compliance.system") },
        ]}
      />
      <ContactRecordModal
        caseId={detail.id}
        attemptId={recording}
        accounts={detail.accounts}
        onClose={() => setRecording(null)}
        onSaved={() => {
          setRecording(null);
          message.success(t("call.saved"));
          onChanged();
        }}
      />
    </Card>
  );
}

function PromisesCard({ promises, currency }: { promises: readonly PromiseView[]; currency: string }) {
  const { t } = useLanguage();
  const colors: Record<string, string> = { pending: "processing", kept: "success", broken: "error", cancelled: "default" };
  return (
    <Card title={t("case.promises")} size="small" data-testid="case-promises" style={{ height: "100%" }}>
      {promises.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("case.noPromises")} />
      ) : (
        <Space orientation="vertical" size="small" style={{ width: "100%" }}>
          {promises.map((promise) => (
            <div key={promise.id} data-testid="promise-item" data-status={promise.status} style={{ borderBottom: "1px solid #f0f0f0", paddingBottom: 8 }}>
              <Space size={6} wrap>
                <Tag color={colors[promise.status] ?? "default"}>{label(t, "promiseStatus", promise.status)}</Tag>
                <Typography.Text strong>{formatMinor(promise.totalMinor, currency)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("promise.madeOn", { date: promise.promisedOn, agent: promise.recordedBy ?? "—" })}
                </Typography.Text>
              </Space>
              {promise.installments.map((installment) => (
                <div key={installment.installmentNo} style={{ fontSize: 13, marginTop: 2 }}>
                  {t("promise.installmentLine", { date: installment.dueOn, amount: formatMinor(installment.amountMinor, currency) })}{" "}
                  <Tag>{label(t, "promiseStatus", installment.status)}</Tag>
                </div>
              ))}
            </div>
          ))}
        </Space>
      )}
    </Card>
  );
}

function RestrictionsCard({ restrictions }: { restrictions: readonly RestrictionView[] }) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  return (
    <Card title={t("case.restrictions")} size="small" data-testid="case-restrictions" style={{ height: "100%" }}>
      {restrictions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("case.noRestrictions")} />
      ) : (
        <Space orientation="vertical" size="small" style={{ width: "100%" }}>
          {restrictions.map((restriction) => (
            <div key={restriction.id} data-testid="restriction-item" data-kind={restriction.kind}>
              <Space size={6} wrap>
                <Tag color={restriction.endedAt ? "default" : "red"}>{label(t, "restriction", restriction.kind)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {restriction.endedAt
                    ? t("restriction.period", {
                        from: formatDateTime(restriction.startedAt, language, timeZone),
                        to: formatDateTime(restriction.endedAt, language, timeZone),
                      })
                    : t("restriction.since", { from: formatDateTime(restriction.startedAt, language, timeZone) })}
                </Typography.Text>
              </Space>
              {restriction.note && <div style={{ fontSize: 13 }}>{restriction.note}</div>}
            </div>
          ))}
        </Space>
      )}
    </Card>
  );
}

// ——— suggested script and contact details ———

/** What to say on this case (建议话术), in the borrower's language and their own numbers. */
function ScriptCard({ script }: { script: SuggestedScript }) {
  const { t } = useLanguage();
  const section = (title: string, lines: readonly { key: string; text: string }[], testId: string) => (
    <div data-testid={testId} style={{ marginTop: 8 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
        {lines.map((line) => (
          <li key={line.key} data-key={line.key} style={{ fontSize: 13 }}>
            {line.text}
          </li>
        ))}
      </ul>
    </div>
  );
  return (
    <Card
      data-testid="case-script"
      size="small"
      title={
        <Space size={6} wrap>
          <BookOutlined />
          {t("script.title")}
          <Tag color="red">{script.bucket}</Tag>
          <Tag color="purple">{script.reason ? label(t, "overdueReason", script.reason) : t("script.noReason")}</Tag>
          <Tag>{label(t, "case.locale", script.language)}</Tag>
        </Space>
      }
    >
      <Typography.Paragraph data-testid="script-opening" style={{ marginBottom: 0 }}>
        <Typography.Text strong>{t("script.opening")}：</Typography.Text>
        {script.opening}
      </Typography.Paragraph>
      {script.points.length > 0 && section(t("script.points"), script.points, "script-points")}
      {section(t("script.offers"), script.offers, "script-offers")}
      <Typography.Paragraph data-testid="script-closing" style={{ margin: "8px 0 0" }}>
        <Typography.Text strong>{t("script.closing")}：</Typography.Text>
        {script.closing}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("script.hint")}
      </Typography.Text>
    </Card>
  );
}

const verificationColors: Record<string, string> = { unverified: "default", verified: "success", invalid: "error" };

function VerificationTag({ verification, invalidReason }: { verification: string; invalidReason: string | null }) {
  const { t } = useLanguage();
  return (
    <Tag color={verificationColors[verification] ?? "default"} data-testid="detail-verification" data-verification={verification}>
      {label(t, "verification", verification)}
      {invalidReason ? ` · ${label(t, "invalidReason", invalidReason)}` : ""}
    </Tag>
  );
}

type DetailTarget = { kind: "contact" | "address"; id: string };

function ContactsCard({ detail, canEdit, onChanged }: { detail: CaseDetail; canEdit: boolean; onChanged: () => void }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const [adding, setAdding] = useState<"contact" | "address" | null>(null);
  const [invalidating, setInvalidating] = useState<DetailTarget | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const urlOf = (target: DetailTarget) => (target.kind === "contact" ? `/api/borrower-contacts/${target.id}` : `/api/borrower-addresses/${target.id}`);
  const markVerified = async (target: DetailTarget) => {
    setBusy(target.id);
    try {
      await api("PATCH", urlOf(target), { verification: "verified" });
      message.success(t("detail.saved"));
      onChanged();
    } catch (caught) {
      message.error(describeError(t, caught));
    } finally {
      setBusy(null);
    }
  };
  const actions = (target: DetailTarget, verification: string) =>
    canEdit && (
      <Space size={0}>
        {verification !== "verified" && (
          <Button data-testid="detail-verify" size="small" type="link" loading={busy === target.id} onClick={() => markVerified(target)}>
            {t("detail.markVerified")}
          </Button>
        )}
        {verification !== "invalid" && (
          <Button data-testid="detail-invalid" size="small" type="link" danger onClick={() => setInvalidating(target)}>
            {t("detail.markInvalid")}
          </Button>
        )}
      </Space>
    );
  return (
    <Card
      data-testid="case-contacts"
      title={t("detail.title")}
      size="small"
      style={{ height: "100%" }}
      extra={
        canEdit && (
          <Space size={4}>
            <Button data-testid="contact-add" size="small" icon={<PlusOutlined />} onClick={() => setAdding("contact")}>
              {t("detail.addPhone")}
            </Button>
            <Button data-testid="address-add" size="small" icon={<PlusOutlined />} onClick={() => setAdding("address")}>
              {t("detail.addAddress")}
            </Button>
          </Space>
        )
      }
    >
      {detail.contacts.length === 0 && detail.addresses.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("detail.none")} />
      ) : (
        <Space orientation="vertical" size={4} style={{ width: "100%" }}>
          {detail.contacts.map((contact) => (
            <div key={contact.id} data-testid="contact-item" data-contact-id={contact.id} style={{ fontSize: 13 }}>
              <Space size={4} wrap>
                <Tag>{label(t, "contactKind", contact.kind)}</Tag>
                {contact.relationship && <span>{label(t, "relationship", contact.relationship)}</span>}
                {contact.name && <span>{contact.name}</span>}
                <span>{contact.phoneMasked}</span>
                {contact.isPreAgreed && <Tag color="blue">{t("contact.preAgreed")}</Tag>}
                {contact.hasRefused && <Tag color="red">{t("contact.refused")}</Tag>}
                <Tag data-testid="detail-source">{label(t, "detailSource", contact.source)}</Tag>
                <VerificationTag verification={contact.verification} invalidReason={contact.invalidReason} />
                {actions({ kind: "contact", id: contact.id }, contact.verification)}
              </Space>
            </div>
          ))}
          {detail.addresses.map((address) => (
            <div key={address.id} data-testid="address-item" data-address-id={address.id} style={{ fontSize: 13 }}>
              <Space size={4} wrap>
                <Tag>{label(t, "addressKind", address.kind)}</Tag>
                <span>{address.address ?? "—"}</span>
                <Tag data-testid="detail-source">{label(t, "detailSource", address.source)}</Tag>
                <VerificationTag verification={address.verification} invalidReason={address.invalidReason} />
                {actions({ kind: "address", id: address.id }, address.verification)}
              </Space>
            </div>
          ))}
        </Space>
      )}
      <AddDetailModal
        borrowerId={detail.borrower.id}
        kind={adding}
        onClose={() => setAdding(null)}
        onSaved={() => {
          setAdding(null);
          message.success(t("detail.saved"));
          onChanged();
        }}
      />
      <InvalidDetailModal
        target={invalidating}
        url={invalidating ? urlOf(invalidating) : ""}
        onClose={() => setInvalidating(null)}
        onSaved={() => {
          setInvalidating(null);
          message.success(t("detail.saved"));
          onChanged();
        }}
      />
    </Card>
  );
}

/** Add a phone (the borrower's own, a guarantor's, an emergency contact's) or an address, with its source. */
function AddDetailModal({
  borrowerId,
  kind,
  onClose,
  onSaved,
}: {
  borrowerId: string;
  kind: "contact" | "address" | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, language } = useLanguage();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const contactKind = Form.useWatch("kind", form);
  // A form instance keeps its first initial values: set the defaults each time the modal opens.
  useEffect(() => {
    if (kind) form.setFieldsValue({ kind: kind === "address" ? "home" : "self", source: "agent", isPreAgreed: false });
  }, [kind, form]);
  const submit = async () => {
    setBusy(true);
    setFailure(null);
    form.setFields([{ name: "phone", errors: [] }]);
    try {
      const values = await form.validateFields();
      if (kind === "contact") {
        await api("POST", `/api/borrowers/${borrowerId}/contacts`, {
          kind: values.kind,
          phone: values.phone ?? "",
          name: values.name?.trim() || null,
          relationship: values.relationship ?? null,
          isPreAgreed: values.isPreAgreed ?? false,
          source: values.source,
        });
      } else {
        await api("POST", `/api/borrowers/${borrowerId}/addresses`, { kind: values.kind, address: values.address ?? "", source: values.source });
      }
      form.resetFields();
      onSaved();
    } catch (caught) {
      if (!(caught instanceof Error)) return; // the form's own validation shows under its fields
      const problem = fieldProblemOf(caught, language);
      if (problem && form.getFieldInstance(problem.field) !== undefined) form.setFields([{ name: problem.field, errors: [problem.message] }]);
      else setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={kind !== null}
      title={kind === "address" ? t("detail.addAddress") : t("detail.addPhone")}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t("cancel")}
        </Button>,
        <Button key="submit" data-testid="detail-submit" type="primary" loading={busy} onClick={submit}>
          {t("detail.save")}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="kind" label={t("detail.kind")}>
          <Select
            data-testid="detail-kind"
            virtual={false}
            options={(kind === "address" ? addressKinds : contactKinds).map((value) => ({
              value,
              label: label(t, kind === "address" ? "addressKind" : "contactKind", value),
            }))}
          />
        </Form.Item>
        {kind === "contact" ? (
          <>
            <Form.Item name="phone" label={t("detail.phone")} rules={[{ required: true, message: t("required", { field: t("detail.phone") }) }]}>
              <Input data-testid="detail-phone" inputMode="tel" maxLength={20} />
            </Form.Item>
            <Form.Item name="name" label={t("detail.name")}>
              <Input data-testid="detail-name" maxLength={100} />
            </Form.Item>
            {contactKind !== "self" && (
              <>
                <Form.Item name="relationship" label={t("detail.relationship")}>
                  <Select
                    data-testid="detail-relationship"
                    allowClear
                    virtual={false}
                    options={relationships.map((value) => ({ value, label: label(t, "relationship", value) }))}
                  />
                </Form.Item>
                <Form.Item name="isPreAgreed" label={t("contact.preAgreed")} valuePropName="checked">
                  <Switch data-testid="detail-pre-agreed" />
                </Form.Item>
              </>
            )}
          </>
        ) : (
          <Form.Item name="address" label={t("detail.address")} rules={[{ required: true, message: t("required", { field: t("detail.address") }) }]}>
            <Input.TextArea data-testid="detail-address" maxLength={300} autoSize={{ minRows: 2 }} />
          </Form.Item>
        )}
        <Form.Item name="source" label={t("detail.source")}>
          <Select
            data-testid="detail-source-select"
            virtual={false}
            options={detailSources.map((value) => ({ value, label: label(t, "detailSource", value) }))}
          />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}

/** Mark a phone or an address invalid, saying why (wrong number, not in service, moved…). */
function InvalidDetailModal({ target, url, onClose, onSaved }: { target: DetailTarget | null; url: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useLanguage();
  const reasons = target?.kind === "address" ? addressInvalidReasons : contactInvalidReasons;
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    setReason(null);
    setNote("");
    setFailure(null);
    onClose();
  };
  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api("PATCH", url, { verification: "invalid", invalidReason: reason, note: note.trim() || null });
      setReason(null);
      setNote("");
      onSaved();
    } catch (caught) {
      setFailure(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={target !== null}
      title={t("detail.markInvalid")}
      onCancel={close}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={close}>
          {t("cancel")}
        </Button>,
        <Button key="submit" data-testid="invalid-submit" type="primary" danger loading={busy} disabled={reason === null} onClick={submit}>
          {t("detail.markInvalid")}
        </Button>,
      ]}
    >
      <Form layout="vertical">
        <Form.Item label={t("detail.invalidReason")} required>
          <Select
            data-testid="invalid-reason"
            value={reason}
            onChange={setReason}
            virtual={false}
            options={reasons.map((value) => ({ value, label: label(t, "invalidReason", value) }))}
          />
        </Form.Item>
        <Form.Item label={t("call.note")}>
          <Input.TextArea data-testid="invalid-note" maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
