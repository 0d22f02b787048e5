// The staff console: sign-in, then a layout whose menu follows the user's permissions.
import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileTextOutlined,
  HomeOutlined,
  InboxOutlined,
  LogoutOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PartitionOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from "antd";
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { ApiError, api, rememberCsrfToken, setUnauthenticatedHandler } from "../../shared/api";
import { useLanguage } from "../../shared/i18n";
import { LanguageSwitch } from "../../shared/LanguageSwitch";
import { CasePage } from "./CasePage";
import { ClosePage } from "./ClosePage";
import { CompliancePage } from "./CompliancePage";
import { LoginPage } from "./LoginPage";
import { AuditPage, HomePage, OutboxPage } from "./pages";
import { QueuePage } from "./QueuePage";
import { QueuesPage } from "./QueuesPage";
import { RemindersPage } from "./RemindersPage";
import { StrategiesPage } from "./StrategiesPage";
import { SessionProvider } from "./session";
import { TeamBoardPage } from "./TeamBoardPage";
import { TemplatesPage } from "./TemplatesPage";
import type { StaffUser } from "./types";

interface MenuEntry {
  path: string;
  key: string;
  icon: ReactNode;
  permission?: string;
  /** Shown to a user with any one of these permissions. */
  anyPermission?: readonly string[];
  page: (user: StaffUser) => ReactNode;
}

function Coming() {
  const { t } = useLanguage();
  return <Result status="info" title={t("comingTitle")} subTitle={t("comingText")} />;
}

const entries: MenuEntry[] = [
  { path: "/", key: "home", icon: <HomeOutlined />, page: (user) => <HomePage user={user} /> },
  { path: "/cases", key: "cases", icon: <SolutionOutlined />, permission: "cases:read", page: () => <QueuePage /> },
  { path: "/team-board", key: "teamBoard", icon: <DashboardOutlined />, permission: "cases:assign", page: () => <TeamBoardPage /> },
  { path: "/queues", key: "queues", icon: <PartitionOutlined />, permission: "cases:assign", page: () => <QueuesPage /> },
  {
    path: "/compliance",
    key: "compliance",
    icon: <SafetyCertificateOutlined />,
    permission: "contacts:review",
    page: (user) => <CompliancePage user={user} />,
  },
  {
    path: "/templates",
    key: "templates",
    icon: <FileTextOutlined />,
    anyPermission: ["rules:manage", "strategies:manage"],
    page: (user) => <TemplatesPage user={user} />,
  },
  { path: "/complaints", key: "complaints", icon: <AlertOutlined />, permission: "complaints:work", page: () => <Coming /> },
  {
    path: "/strategies",
    key: "strategies",
    icon: <NodeIndexOutlined />,
    anyPermission: ["strategies:manage", "reports:read"],
    page: (user) => <StrategiesPage user={user} />,
  },
  {
    path: "/reminders",
    key: "reminders",
    icon: <NotificationOutlined />,
    anyPermission: ["reports:read", "strategies:manage"],
    page: (user) => <RemindersPage user={user} />,
  },
  { path: "/reports", key: "reports", icon: <BarChartOutlined />, permission: "reports:read", page: () => <Coming /> },
  { path: "/close", key: "close", icon: <ScheduleOutlined />, permission: "reports:read", page: (user) => <ClosePage user={user} /> },
  { path: "/audit", key: "audit", icon: <AuditOutlined />, permission: "audit:read", page: () => <AuditPage /> },
  { path: "/outbox", key: "outbox", icon: <InboxOutlined />, permission: "outbox:read", page: () => <OutboxPage /> },
  { path: "/users", key: "users", icon: <TeamOutlined />, permission: "users:manage", page: () => <Coming /> },
];

export function ConsoleApp() {
  const { t } = useLanguage();
  // undefined: still asking the server; null: signed out; "unreachable": the server did not answer.
  const [user, setUser] = useState<StaffUser | null | undefined | "unreachable">(undefined);

  const loadMe = useCallback(() => {
    setUser(undefined);
    api<{ user: StaffUser; csrfToken: string }>("GET", "/api/auth/me")
      .then((response) => setUser(response.user))
      .catch((error: unknown) => setUser(error instanceof ApiError && (error.status === 401 || error.status === 403) ? null : "unreachable"));
  }, []);

  useEffect(() => {
    loadMe();
    // A session that expires while the console is open sends the user back to the sign-in page.
    setUnauthenticatedHandler(() => {
      rememberCsrfToken(null);
      setUser(null);
    });
    return () => setUnauthenticatedHandler(null);
  }, [loadMe]);

  const signOut = useCallback(async () => {
    await api("POST", "/api/auth/logout").catch(() => undefined);
    rememberCsrfToken(null);
    setUser(null);
  }, []);

  if (user === undefined) return <Spin fullscreen />;
  if (user === "unreachable")
    return (
      <Result
        status="warning"
        title={t("unreachable")}
        extra={
          <Button type="primary" onClick={loadMe}>
            {t("retry")}
          </Button>
        }
      />
    );
  if (user === null) return <LoginPage onSignedIn={setUser} />;
  return (
    <SessionProvider user={user}>
      <Shell user={user} onSignOut={signOut} />
    </SessionProvider>
  );
}

function Shell({ user, onSignOut }: { user: StaffUser; onSignOut: () => void }) {
  const { t } = useLanguage();
  const navigate = useNavigate();
  const location = useLocation();
  const visible = entries.filter(
    (entry) =>
      (!entry.permission || user.permissions.includes(entry.permission)) &&
      (!entry.anyPermission || entry.anyPermission.some((permission) => user.permissions.includes(permission))),
  );
  const selected = visible.find((entry) => entry.path !== "/" && location.pathname.startsWith(entry.path))?.key ?? "home";

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={208} style={{ borderRight: "1px solid #f0f0f0" }}>
        <div style={{ padding: "16px 20px", fontWeight: 700, fontSize: 18, color: "#1d6fdc" }}>duecare</div>
        <Menu
          data-testid="side-menu"
          mode="inline"
          selectedKeys={[selected]}
          items={visible.map((entry) => ({ key: entry.key, icon: entry.icon, label: t(`menu.${entry.key}`), "data-testid": `menu-${entry.key}` }))}
          onClick={({ key }) => navigate(visible.find((entry) => entry.key === key)?.path ?? "/")}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: "0 24px",
            display: "flex",
            alignItems: "center",
            justifyContent: "space-between",
            borderBottom: "1px solid #f0f0f0",
          }}
        >
          <Typography.Text strong>{t("appName")}</Typography.Text>
          <Space size="middle">
            <Space data-testid="user-menu" size={4}>
              <Typography.Text>{user.displayName}</Typography.Text>
              {user.roles.map((role) => (
                <Tag key={role} color="blue">
                  {t(`role.${role}`)}
                </Tag>
              ))}
            </Space>
            <LanguageSwitch />
            <Button data-testid="logout" icon={<LogoutOutlined />} onClick={onSignOut}>
              {t("signOut")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            {visible.map((entry) => (
              <Route key={entry.key} path={entry.path} element={entry.page(user)} />
            ))}
            {user.permissions.includes("cases:read") && <Route path="/cases/:id" element={<CasePage user={user} />} />}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
