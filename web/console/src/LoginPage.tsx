import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Space, Typography } from "antd";
import { useState } from "react";
import { ApiError, api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { LanguageSwitch } from "../../shared/LanguageSwitch";
import type { StaffUser } from "./types";

export function LoginPage({ onSignedIn }: { onSignedIn: (user: StaffUser) => void }) {
  const { t, language } = useLanguage();
  // The failure itself is kept, so its sentence follows a language switch.
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const response = await api<{ user: StaffUser; csrfToken: string }>("POST", "/api/auth/login", values);
      onSignedIn(response.user);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function describe(caught: unknown): string {
    if (!(caught instanceof ApiError)) return describeError(t, caught);
    const details = (caught.details ?? {}) as { lockedUntil?: string; attemptsLeft?: number };
    if (caught.code === "ACCOUNT_LOCKED") {
      return details.lockedUntil
        ? t("error.ACCOUNT_LOCKED", { time: new Date(details.lockedUntil).toLocaleString(language) })
        : t("error.generic", { message: caught.message });
    }
    if (caught.code === "INVALID_CREDENTIALS" && details.attemptsLeft !== undefined) {
      return t("error.INVALID_CREDENTIALS_LEFT", { count: details.attemptsLeft });
    }
    return describeError(t, caught);
  }

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "linear-gradient(160deg, #eef4ff 0%, #f8fafc 60%)",
      }}
    >
      <Card style={{ width: 380, maxWidth: "92vw" }}>
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t("signInTitle")}
            </Typography.Title>
            <LanguageSwitch />
          </div>
          <Typography.Text type="secondary">{t("appName")}</Typography.Text>
          {error !== null && <Alert data-testid="login-error" type="error" showIcon message={describe(error)} />}
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item name="username" label={t("username")} rules={[{ required: true, message: t("required", { field: t("username") }) }]}>
              <Input data-testid="login-username" prefix={<UserOutlined />} autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={t("password")} rules={[{ required: true, message: t("required", { field: t("password") }) }]}>
              <Input.Password data-testid="login-password" prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={busy}>
              {t("signIn")}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
