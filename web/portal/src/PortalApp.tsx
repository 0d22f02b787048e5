// The borrower portal, mobile-first: phone + one-time code sign-in, then the borrower's loans.
// Routes (under the /portal basename): / signs in, /accounts lists the loans.
import { MobileOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Form, Input, List, Space, Spin, Tag, Typography } from "antd";
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { ApiError, api, rememberCsrfToken, setUnauthenticatedHandler } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { LanguageSwitch } from "../../shared/LanguageSwitch";

interface Borrower {
  id: string;
  name: string;
  phoneMasked: string;
}

interface Account {
  id: string;
  productName: string;
  productNameEn: string;
  principal: string;
  currency: string;
  openedOn: string;
  status: string;
}

const CSRF_COOKIE = "duecare_borrower_csrf";
const pageStyle = { minHeight: "100vh", background: "#f3f6fb", padding: "16px 16px 32px", boxSizing: "border-box" as const, maxWidth: 480, margin: "0 auto" };

/** The sentence for a failed request, in the current language (recomputed on a language switch). */
function useErrorText() {
  const { t } = useLanguage();
  return (caught: unknown) => {
    if (caught instanceof ApiError) {
      const details = (caught.details ?? {}) as { attemptsLeft?: number; retryAfterSeconds?: number };
      if (caught.code === "OTP_INVALID" && details.attemptsLeft !== undefined) return t("error.OTP_INVALID_LEFT", { count: details.attemptsLeft });
      if (caught.code === "RATE_LIMITED" && details.retryAfterSeconds !== undefined)
        return t("error.RATE_LIMITED_WAIT", { seconds: details.retryAfterSeconds });
    }
    return describeError(t, caught);
  };
}

export function PortalApp() {
  const { t } = useLanguage();
  // undefined: still asking the server; null: signed out.
  const [borrower, setBorrower] = useState<Borrower | null | undefined>(undefined);
  useEffect(() => {
    api<{ borrower: Borrower }>("GET", "/api/portal/me", undefined, CSRF_COOKIE)
      .then((response) => setBorrower(response.borrower))
      .catch(() => setBorrower(null));
    // A session that expires while the page is open sends the borrower back to sign in.
    setUnauthenticatedHandler(() => {
      rememberCsrfToken(null);
      setBorrower(null);
    });
    return () => setUnauthenticatedHandler(null);
  }, []);
  const signOut = useCallback(async () => {
    await api("POST", "/api/portal/auth/logout", undefined, CSRF_COOKIE).catch(() => undefined);
    rememberCsrfToken(null);
    setBorrower(null);
  }, []);
  if (borrower === undefined) return <Spin fullscreen tip={t("loading")} />;
  return (
    <Routes>
      <Route path="/" element={borrower ? <Navigate to="/accounts" replace /> : <SignIn onSignedIn={setBorrower} />} />
      <Route path="/accounts" element={borrower ? <Accounts borrower={borrower} onSignOut={signOut} /> : <Navigate to="/" replace />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

function Header({ extra }: { extra?: ReactNode }) {
  const { t } = useLanguage();
  return (
    <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", marginBottom: 16 }}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("title")}
        </Typography.Title>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          duecare
        </Typography.Text>
      </div>
      <Space>
        <LanguageSwitch />
        {extra}
      </Space>
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (borrower: Borrower) => void }) {
  const { t } = useLanguage();
  const describe = useErrorText();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [error, setError] = useState<unknown>(null);
  const [codeSent, setCodeSent] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  async function sendCode() {
    setError(null);
    setCodeSent(false);
    try {
      await form.validateFields(["phone"]);
    } catch {
      return; // the form shows what is missing
    }
    const phone = String(form.getFieldValue("phone") ?? "").trim();
    setSending(true);
    try {
      await api("POST", "/api/portal/auth/request-code", { phone }, CSRF_COOKIE);
      setCodeSent(true);
      setCountdown(60);
    } catch (caught) {
      setError(caught);
      const wait = caught instanceof ApiError ? (caught.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      if (wait) setCountdown(wait);
    } finally {
      setSending(false);
    }
  }

  async function submit(values: { phone: string; code: string }) {
    setBusy(true);
    setError(null);
    try {
      const response = await api<{ borrower: Borrower }>(
        "POST",
        "/api/portal/auth/verify",
        { phone: values.phone.trim(), code: values.code.trim() },
        CSRF_COOKIE,
      );
      onSignedIn(response.borrower);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={pageStyle}>
      <Header />
      <Card>
        <Typography.Paragraph type="secondary">{t("subtitle")}</Typography.Paragraph>
        {error !== null && <Alert data-testid="portal-error" type="error" showIcon message={describe(error)} style={{ marginBottom: 12 }} />}
        {codeSent && <Alert data-testid="portal-code-sent" type="success" showIcon message={t("codeSent")} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="phone" label={t("phone")} rules={[{ required: true, whitespace: true, message: t("phoneRequired") }]}>
            <Input data-testid="portal-phone" size="large" inputMode="tel" prefix={<MobileOutlined />} placeholder={t("phonePlaceholder")} autoComplete="tel" />
          </Form.Item>
          <Form.Item label={t("code")} required>
            <Space.Compact style={{ width: "100%" }}>
              <Form.Item
                name="code"
                noStyle
                rules={[
                  { required: true, message: t("codeRequired") },
                  { pattern: /^\s*\d{6}\s*$/, message: t("codeRequired") },
                ]}
              >
                <Input
                  data-testid="portal-code"
                  size="large"
                  inputMode="numeric"
                  maxLength={6}
                  prefix={<SafetyOutlined />}
                  placeholder={t("codePlaceholder")}
                  autoComplete="one-time-code"
                />
              </Form.Item>
              <Button data-testid="portal-send-code" size="large" disabled={countdown > 0} loading={sending} onClick={sendCode}>
                {countdown > 0 ? t("resendIn", { seconds: countdown }) : t("sendCode")}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Button data-testid="portal-login" type="primary" size="large" htmlType="submit" block loading={busy}>
            {t("signIn")}
          </Button>
        </Form>
      </Card>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 16 }}>
        {t("privacy")}
      </Typography.Paragraph>
    </div>
  );
}

interface ComponentBalance {
  outstanding: string;
}

interface Statement {
  asOf: string;
  currency: string;
  daysPastDue: number;
  overdue: string;
  penaltyPerDay: string;
  principalOutstanding: string;
  installments: {
    number: number;
    dueDate: string;
    status: string;
    daysPastDue: number;
    principal: ComponentBalance;
    interest: ComponentBalance;
    penalty: ComponentBalance;
    fee: ComponentBalance;
    penaltyLines: { from: string; to: string; days: number; base: string; dailyRatePercent: string; perDay: string; amount: string; notClaimed: string }[];
    lateFee: { chargedOn: string; amount: string } | null;
  }[];
}

/** What the borrower owes on this loan today, and why — with their own numbers. */
function OwedSummary({ account }: { account: Account }) {
  const { t } = useLanguage();
  const [statement, setStatement] = useState<Statement | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    api<Statement>("GET", `/api/portal/accounts/${account.id}/statement`, undefined, CSRF_COOKIE)
      .then(setStatement)
      .catch(() => setStatement(null));
  }, [account.id]);
  if (!statement) return null;
  const money = (amount: string) => formatAmount(amount, statement.currency);
  const overdue = statement.installments.filter((installment) => installment.status === "overdue");
  if (statement.daysPastDue === 0) {
    const next = statement.installments.find((installment) => installment.status !== "paid");
    return next ? (
      <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }} data-testid="portal-next-due">
        {t("nextDue", { date: next.dueDate })}
      </Typography.Paragraph>
    ) : null;
  }
  return (
    <div data-testid="portal-owed" style={{ marginTop: 10, padding: 10, background: "#fff2f0", borderRadius: 8 }}>
      <Typography.Text strong style={{ color: "#cf1322" }}>
        {t("overdueSummary", { days: statement.daysPastDue, amount: money(statement.overdue) })}
      </Typography.Text>
      <Typography.Paragraph style={{ margin: "6px 0 0", fontSize: 13 }}>{t("consequence", { perDay: money(statement.penaltyPerDay) })}</Typography.Paragraph>
      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(!open)} data-testid="portal-owed-why">
        {open ? t("hideWhy") : t("showWhy")}
      </Button>
      {open &&
        overdue.map((installment) => (
          <div key={installment.number} style={{ fontSize: 13, marginTop: 6 }}>
            <Typography.Text strong>
              {t("installmentLine", { number: installment.number, date: installment.dueDate, days: installment.daysPastDue })}
            </Typography.Text>
            <div>{t("componentLine", { principal: money(installment.principal.outstanding), interest: money(installment.interest.outstanding) })}</div>
            {installment.penaltyLines.map((line) => (
              <div key={line.from}>
                {t("penaltyLine", {
                  from: line.from,
                  to: line.to,
                  days: line.days,
                  base: money(line.base),
                  rate: line.dailyRatePercent,
                  amount: money(addDecimals(line.amount, line.notClaimed)),
                })}
                {isPositive(line.notClaimed) && (
                  <Typography.Text type="success" data-testid="portal-cap-note">
                    {" "}
                    {t("capNote", { cut: money(line.notClaimed), amount: money(line.amount) })}
                  </Typography.Text>
                )}
              </div>
            ))}
            {installment.lateFee && <div>{t("lateFeeLine", { date: installment.lateFee.chargedOn, amount: money(installment.lateFee.amount) })}</div>}
          </div>
        ))}
    </div>
  );
}

/** Adds two non-negative decimal strings exactly (no binary floating point for money). */
function addDecimals(left: string, right: string): string {
  const scale = Math.max(left.split(".")[1]?.length ?? 0, right.split(".")[1]?.length ?? 0);
  const toMinor = (text: string) => {
    const [whole = "0", fraction = ""] = text.split(".");
    return BigInt(whole + fraction.padEnd(scale, "0"));
  };
  const total = (toMinor(left) + toMinor(right)).toString().padStart(scale + 1, "0");
  return scale === 0 ? total : `${total.slice(0, -scale)}.${total.slice(-scale)}`;
}

function isPositive(amount: string): boolean {
  return /[1-9]/.test(amount);
}

function formatAmount(amount: string, currency: string): string {
  const [whole = "0", fraction] = amount.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency === "CNY" ? "¥" : `${currency} `}${grouped}${fraction ? `.${fraction}` : ""}`;
}

function Accounts({ borrower, onSignOut }: { borrower: Borrower; onSignOut: () => void }) {
  const { t, language } = useLanguage();
  const describe = useErrorText();
  const statusLabel = (status: string) => (t(`status.${status}`) === `status.${status}` ? status : t(`status.${status}`));
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ accounts: Account[] }>("GET", "/api/portal/accounts", undefined, CSRF_COOKIE)
      .then((response) => setAccounts(response.accounts))
      .catch((caught: unknown) => {
        setError(caught);
        setAccounts([]);
      });
  }, []);
  return (
    <div style={pageStyle}>
      <Header
        extra={
          <Button data-testid="portal-logout" size="small" onClick={onSignOut}>
            {t("signOut")}
          </Button>
        }
      />
      <Typography.Title level={5} data-testid="portal-greeting">
        {t("hello", { name: borrower.name })}
      </Typography.Title>
      <Typography.Text type="secondary">{borrower.phoneMasked}</Typography.Text>
      {error !== null && <Alert type="error" showIcon message={describe(error)} style={{ marginTop: 12 }} />}
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t("myAccounts")}
      </Typography.Title>
      {accounts === null ? (
        <Spin />
      ) : accounts.length === 0 ? (
        <Empty description={t("noAccounts")} />
      ) : (
        <List
          data-testid="portal-accounts"
          dataSource={accounts}
          renderItem={(account) => (
            <Card size="small" style={{ marginBottom: 12 }}>
              <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
                <Typography.Text strong>{language === "en" ? account.productNameEn : account.productName}</Typography.Text>
                <Tag color={account.status === "overdue" ? "red" : account.status === "active" ? "green" : "default"}>{statusLabel(account.status)}</Tag>
              </div>
              <div style={{ marginTop: 8, display: "flex", justifyContent: "space-between" }}>
                <Typography.Text type="secondary">{t("principal")}</Typography.Text>
                <Typography.Text>{formatAmount(account.principal, account.currency)}</Typography.Text>
              </div>
              <div style={{ display: "flex", justifyContent: "space-between" }}>
                <Typography.Text type="secondary">{t("openedOn")}</Typography.Text>
                <Typography.Text>{account.openedOn}</Typography.Text>
              </div>
              <OwedSummary account={account} />
            </Card>
          )}
        />
      )}
    </div>
  );
}
