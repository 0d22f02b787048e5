// The borrower portal, mobile-first: phone + one-time code sign-in, then the borrower's loans.
import { MobileOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Form, Input, List, Space, Spin, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, rememberCsrfToken } from "../../shared/api";
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

function useErrorText() {
  const { t } = useLanguage();
  return (caught: unknown) => {
    if (!(caught instanceof ApiError)) return t("error.generic", { message: String(caught) });
    const details = (caught.details ?? {}) as { attemptsLeft?: number };
    if (caught.code === "OTP_INVALID" && details.attemptsLeft !== undefined)
      return `${t("error.OTP_INVALID")}（${t("triesLeft", { count: details.attemptsLeft })}）`;
    const key = `error.${caught.code}`;
    const text = t(key, { message: caught.message });
    return text === key ? t("error.generic", { message: caught.message }) : text;
  };
}

export function PortalApp() {
  const [borrower, setBorrower] = useState<Borrower | null | undefined>(undefined);
  useEffect(() => {
    api<{ borrower: Borrower }>("GET", "/api/portal/me", undefined, CSRF_COOKIE)
      .then((response) => setBorrower(response.borrower))
      .catch(() => setBorrower(null));
  }, []);
  const signOut = useCallback(async () => {
    await api("POST", "/api/portal/auth/logout", undefined, CSRF_COOKIE).catch(() => undefined);
    rememberCsrfToken(null);
    setBorrower(null);
  }, []);
  if (borrower === undefined) return <Spin fullscreen />;
  return borrower ? <Accounts borrower={borrower} onSignOut={signOut} /> : <SignIn onSignedIn={setBorrower} />;
}

function Header({ extra }: { extra?: React.ReactNode }) {
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
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  async function sendCode() {
    setError(null);
    setNotice(null);
    const phone = (form.getFieldValue("phone") ?? "").trim();
    try {
      await api("POST", "/api/portal/auth/request-code", { phone }, CSRF_COOKIE);
      setNotice(t("codeSent"));
      setCountdown(60);
    } catch (caught) {
      setError(describe(caught));
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
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={pageStyle}>
      <Header />
      <Card>
        <Typography.Paragraph type="secondary">{t("subtitle")}</Typography.Paragraph>
        {error && <Alert data-testid="portal-error" type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        {notice && <Alert type="success" showIcon message={notice} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="phone" label={t("phone")} rules={[{ required: true, message: t("phonePlaceholder") }]}>
            <Input data-testid="portal-phone" size="large" inputMode="tel" prefix={<MobileOutlined />} placeholder={t("phonePlaceholder")} autoComplete="tel" />
          </Form.Item>
          <Form.Item label={t("code")} required>
            <Space.Compact style={{ width: "100%" }}>
              <Form.Item name="code" noStyle rules={[{ required: true, message: t("codePlaceholder") }]}>
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
              <Button data-testid="portal-send-code" size="large" disabled={countdown > 0} onClick={sendCode}>
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
    penaltyLines: { from: string; to: string; days: number; base: string; dailyRatePercent: string; perDay: string; amount: string }[];
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
                  amount: money(line.amount),
                })}
              </div>
            ))}
            {installment.lateFee && <div>{t("lateFeeLine", { date: installment.lateFee.chargedOn, amount: money(installment.lateFee.amount) })}</div>}
          </div>
        ))}
    </div>
  );
}

function formatAmount(amount: string, currency: string): string {
  const [whole = "0", fraction] = amount.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${currency === "CNY" ? "¥" : `${currency} `}${grouped}${fraction ? `.${fraction}` : ""}`;
}

function Accounts({ borrower, onSignOut }: { borrower: Borrower; onSignOut: () => void }) {
  const { t, language } = useLanguage();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ accounts: Account[] }>("GET", "/api/portal/accounts", undefined, CSRF_COOKIE)
      .then((response) => setAccounts(response.accounts))
      .catch((caught: Error) => setError(caught.message));
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
      {error && <Alert type="error" message={error} style={{ marginTop: 12 }} />}
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
                <Tag color={account.status === "overdue" ? "red" : account.status === "active" ? "green" : "default"}>{t(`status.${account.status}`)}</Tag>
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
