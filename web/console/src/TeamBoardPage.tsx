// The supervisor's team board (团队看板): for a business date, one row per agent with the cases
// they hold against capacity (a load bar), the day's contacts, right-party contacts, promises
// and the amount recovered, with totals; choosing an agent (or the unassigned pool) lists their
// open cases with checkboxes, and "reassign to…" moves the chosen ones through the reassign
// endpoint and refreshes both tables.
import { ReloadOutlined, SwapOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Checkbox, Col, Input, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import { type HTMLAttributes, useEffect, useMemo, useState } from "react";
import { api } from "../../shared/api";
import { describeError } from "../../shared/errors";
import { useLanguage } from "../../shared/i18n";
import { compareMinor, formatMinor } from "../../shared/money";
import { labelOr, useLoad } from "./pages";
import { ClosedAmount, caseStatusColors } from "./QueuePage";
import { useLenderTimeZone } from "./session";
import { formatInstant } from "./time";
import type { AgentCaseItem, TeamBoard, TeamBoardAgent } from "./types";

const unassigned = "unassigned";
const noWrap = { whiteSpace: "nowrap" } as const;

/** Green under 80 %, orange to 100 %, red above: a supervisor rebalances the red ones first. */
function loadColor(percent: number): string {
  if (percent > 100) return "#cf1322";
  if (percent >= 80) return "#fa8c16";
  return "#52c41a";
}

function LoadBar({ percent, openCases, capacity }: { percent: number | null; openCases: number; capacity: number }) {
  const { t } = useLanguage();
  if (percent === null) return <Typography.Text type="secondary">{t("teamBoard.noCapacity")}</Typography.Text>;
  return (
    <Space size={6} data-testid="team-board-load" data-load-percent={percent}>
      <Progress
        percent={Math.min(percent, 100)}
        showInfo={false}
        strokeColor={loadColor(percent)}
        size="small"
        style={{ width: 56, margin: 0 }}
        aria-label={t("teamBoard.load")}
      />
      <Typography.Text style={noWrap} type={percent > 100 ? "danger" : undefined}>
        {t("teamBoard.loadValue", { percent, open: openCases, capacity })}
      </Typography.Text>
    </Space>
  );
}

export function TeamBoardPage() {
  const { t, language } = useLanguage();
  const [date, setDate] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const board = useLoad<TeamBoard>(`/api/reports/team-board${date ? `?date=${date}` : ""}`);
  const data = board.data;
  // Today in the lender's zone, as the server said on the first load: the latest date to pick.
  const [today, setToday] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (data && !date) setToday(data.date);
  }, [data, date]);
  const currency = data?.currency ?? "CNY";
  const number = (value: number) => value.toLocaleString(language);
  const selectedAgent = data?.agents.find((agent) => agent.agentId === selected) ?? null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={t("menu.teamBoard")}
        extra={
          <Space wrap>
            <Typography.Text type="secondary">{t("teamBoard.date")}</Typography.Text>
            <Input
              data-testid="team-board-date"
              type="date"
              aria-label={t("teamBoard.date")}
              value={date || data?.date || ""}
              max={today}
              onChange={(event) => setDate(event.target.value)}
              style={{ width: 160 }}
            />
            <Button data-testid="team-board-refresh" icon={<ReloadOutlined />} onClick={board.reload}>
              {t("refresh")}
            </Button>
          </Space>
        }
      >
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          {board.error && <Alert data-testid="team-board-error" type="error" showIcon title={board.error} />}
          <Row gutter={[16, 16]}>
            {(
              [
                ["openCases", data ? number(data.totals.openCases) : "—"],
                ["unassigned", data ? number(data.unassignedCases) : "—"],
                ["contacts", data ? number(data.totals.contactAttempts) : "—"],
                ["rpc", data ? number(data.totals.rightPartyContacts) : "—"],
                ["promisesMade", data ? number(data.totals.promisesMade) : "—"],
                ["recovered", data ? formatMinor(data.totals.recoveredMinor, currency) : "—"],
              ] as const
            ).map(([key, value]) => (
              <Col key={key} xs={12} md={8} xl={4}>
                <div data-testid={`team-board-total-${key}`}>
                  <Statistic title={t(`teamBoard.total.${key}`)} value={value} />
                </div>
              </Col>
            ))}
          </Row>
          <Space wrap>
            <Typography.Text type="secondary">{t("teamBoard.hint", { date: data?.date ?? "" })}</Typography.Text>
            {data && data.unassignedCases > 0 && (
              <Button data-testid="team-board-unassigned" size="small" onClick={() => setSelected(unassigned)}>
                {t("teamBoard.showUnassigned", { count: data.unassignedCases })}
              </Button>
            )}
          </Space>
          <AgentsTable board={data} loading={board.loading} selected={selected} onSelect={setSelected} />
        </Space>
      </Card>
      {data && selected && (selected === unassigned || selectedAgent) && (
        <AgentCases key={selected} agent={selectedAgent} agents={data.agents} currency={currency} onMoved={board.reload} onClose={() => setSelected(null)} />
      )}
    </Space>
  );
}

function AgentsTable({
  board,
  loading,
  selected,
  onSelect,
}: {
  board: TeamBoard | null;
  loading: boolean;
  selected: string | null;
  onSelect: (agentId: string) => void;
}) {
  const { t, language } = useLanguage();
  const currency = board?.currency ?? "CNY";
  const totals = board?.totals;
  return (
    <Table<TeamBoardAgent>
      data-testid="team-board-table"
      rowKey="agentId"
      size="small"
      loading={loading && !board}
      dataSource={board?.agents ?? []}
      pagination={false}
      scroll={{ x: "max-content" }}
      locale={{ emptyText: t("teamBoard.noAgents") }}
      onRow={(agent) =>
        ({
          "data-testid": "team-board-row",
          "data-agent": agent.username,
          "data-open-cases": agent.openCases,
          style: { cursor: "pointer", background: agent.agentId === selected ? "#e6f4ff" : undefined },
          onClick: () => onSelect(agent.agentId),
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t("cases.agent"),
          key: "agent",
          fixed: "left",
          sorter: (left, right) => left.displayName.localeCompare(right.displayName, language),
          render: (_value, agent) => (
            <Space orientation="vertical" size={0}>
              <Typography.Text strong style={noWrap}>
                {agent.displayName}
              </Typography.Text>
              <Space size={4}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {agent.username}
                </Typography.Text>
                {agent.agencyId && <Tag color="purple">{t("teamBoard.agency")}</Tag>}
                {!agent.isActive && <Tag>{t("teamBoard.inactive")}</Tag>}
              </Space>
            </Space>
          ),
        },
        {
          title: <span title={t("teamBoard.loadColumn")}>{t("teamBoard.load")}</span>,
          key: "load",
          sorter: (left, right) => (left.loadPercent ?? -1) - (right.loadPercent ?? -1),
          render: (_value, agent) => <LoadBar percent={agent.loadPercent} openCases={agent.openCases} capacity={agent.capacity} />,
        },
        { title: t("teamBoard.held"), dataIndex: "heldCases", align: "right", sorter: (left, right) => left.heldCases - right.heldCases },
        {
          title: t("teamBoard.contacts"),
          dataIndex: "contactAttempts",
          align: "right",
          sorter: (left, right) => left.contactAttempts - right.contactAttempts,
          render: (value: number) => <span data-testid="team-board-contacts">{value}</span>,
        },
        { title: t("teamBoard.connected"), dataIndex: "connected", align: "right", sorter: (left, right) => left.connected - right.connected },
        {
          title: t("teamBoard.rpc"),
          dataIndex: "rightPartyContacts",
          align: "right",
          sorter: (left, right) => left.rightPartyContacts - right.rightPartyContacts,
        },
        { title: t("teamBoard.promisesMade"), dataIndex: "promisesMade", align: "right", sorter: (left, right) => left.promisesMade - right.promisesMade },
        {
          title: t("teamBoard.promisesDue"),
          key: "promisesDue",
          align: "right",
          sorter: (left, right) => compareMinor(left.promisedDueMinor, right.promisedDueMinor),
          render: (_value, agent) =>
            agent.promisesDue === 0 ? (
              0
            ) : (
              <Space orientation="vertical" size={0} style={{ textAlign: "right" }}>
                <span>{agent.promisesDue}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12, ...noWrap }}>
                  {formatMinor(agent.promisedDueMinor, currency)}
                </Typography.Text>
              </Space>
            ),
        },
        {
          title: t("teamBoard.keptBroken"),
          key: "keptBroken",
          align: "right",
          render: (_value, agent) => (
            <span style={noWrap}>
              <Typography.Text type={agent.promisesKept > 0 ? "success" : undefined}>{agent.promisesKept}</Typography.Text> /{" "}
              <Typography.Text type={agent.promisesBroken > 0 ? "danger" : undefined}>{agent.promisesBroken}</Typography.Text>
            </span>
          ),
        },
        {
          title: t("teamBoard.recovered"),
          key: "recovered",
          align: "right",
          sorter: (left, right) => compareMinor(left.recoveredMinor, right.recoveredMinor),
          render: (_value, agent) => (
            <Space orientation="vertical" size={0} style={{ textAlign: "right" }}>
              <Typography.Text strong data-testid="team-board-recovered" style={noWrap}>
                {formatMinor(agent.recoveredMinor, currency)}
              </Typography.Text>
              {agent.paymentsRecovered > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12, ...noWrap }}>
                  {t("teamBoard.payments", { count: agent.paymentsRecovered })}
                </Typography.Text>
              )}
            </Space>
          ),
        },
      ]}
      summary={() =>
        totals ? (
          <Table.Summary fixed>
            <Table.Summary.Row data-testid="team-board-totals">
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t("teamBoard.totals", { count: totals.agents })}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1}>
                <LoadBar percent={totals.loadPercent} openCases={totals.openCases} capacity={totals.capacity} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {totals.heldCases}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {totals.contactAttempts}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {totals.connected}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {totals.rightPartyContacts}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {totals.promisesMade}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                <span style={noWrap}>
                  {totals.promisesDue} · {formatMinor(totals.promisedDueMinor, currency)}
                </span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8} align="right">
                {totals.promisesKept} / {totals.promisesBroken}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={9} align="right">
                <Typography.Text strong style={noWrap}>
                  {formatMinor(totals.recoveredMinor, currency)}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        ) : null
      }
    />
  );
}

function AgentCases({
  agent,
  agents,
  currency,
  onMoved,
  onClose,
}: {
  agent: TeamBoardAgent | null;
  agents: TeamBoardAgent[];
  currency: string;
  onMoved: () => void;
  onClose: () => void;
}) {
  const { t, language } = useLanguage();
  const timeZone = useLenderTimeZone();
  const { message } = App.useApp();
  const cases = useLoad<{ cases: AgentCaseItem[] }>(`/api/reports/team-board/cases?agentId=${agent?.agentId ?? unassigned}`);
  const [chosen, setChosen] = useState<string[]>([]);
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [includeHeld, setIncludeHeld] = useState(false);
  const [moving, setMoving] = useState(false);
  const [moveError, setMoveError] = useState<string | null>(null);
  const rows = useMemo(() => cases.data?.cases ?? [], [cases.data]);

  // Cases stay within their team: an agency's cases go to the agency's agents, in-house to in-house.
  const targets = useMemo(
    () =>
      agents
        .filter((candidate) => candidate.agentId !== agent?.agentId && candidate.isActive)
        .filter((candidate) => !agent || candidate.agencyId === agent.agencyId),
    [agents, agent],
  );
  // A reload drops the ticks of cases no longer listed (moved away meanwhile).
  useEffect(() => {
    const listed = new Set(rows.map((row) => row.id));
    setChosen((current) => (current.every((id) => listed.has(id)) ? current : current.filter((id) => listed.has(id))));
  }, [rows]);

  const reassign = async () => {
    if (!target || chosen.length === 0) return;
    setMoving(true);
    setMoveError(null);
    try {
      const result = await api<{ moved: string[]; held: string[] }>("POST", "/api/cases/reassign", {
        caseIds: chosen,
        agentId: target,
        includeHeld,
        note: null,
      });
      const to = agents.find((candidate) => candidate.agentId === target)?.displayName ?? "";
      message.success(t("teamBoard.moved", { count: result.moved.length, agent: to }));
      if (result.held.length > 0) message.warning(t("teamBoard.heldStayed", { count: result.held.length }));
      setChosen([]);
      cases.reload();
      onMoved();
    } catch (caught) {
      setMoveError(describeError(t, caught));
    } finally {
      setMoving(false);
    }
  };

  const title = agent ? t("teamBoard.casesOf", { agent: agent.displayName }) : t("teamBoard.unassignedCases");
  return (
    <Card
      data-testid="agent-cases"
      title={title}
      extra={
        <Space>
          <Button data-testid="agent-cases-refresh" icon={<ReloadOutlined />} onClick={cases.reload}>
            {t("refresh")}
          </Button>
          <Button onClick={onClose}>{t("teamBoard.closeCases")}</Button>
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Space wrap align="center">
          <Typography.Text>{t("teamBoard.chosen", { count: chosen.length })}</Typography.Text>
          <Select
            data-testid="reassign-target"
            aria-label={t("teamBoard.reassignTo")}
            placeholder={t("teamBoard.reassignTo")}
            value={target}
            onChange={(value?: string) => setTarget(value)}
            style={{ width: 240 }}
            virtual={false}
            options={targets.map((candidate) => ({
              value: candidate.agentId,
              label: `${candidate.displayName}${candidate.loadPercent === null ? "" : ` · ${candidate.loadPercent}%`}`,
            }))}
          />
          <Checkbox data-testid="reassign-include-held" checked={includeHeld} onChange={(event) => setIncludeHeld(event.target.checked)}>
            {t("teamBoard.includeHeld")}
          </Checkbox>
          <Button
            data-testid="reassign-submit"
            type="primary"
            icon={<SwapOutlined />}
            loading={moving}
            disabled={!target || chosen.length === 0}
            onClick={reassign}
          >
            {t("teamBoard.reassign", { count: chosen.length })}
          </Button>
        </Space>
        {moveError && <Alert data-testid="reassign-error" type="error" showIcon title={moveError} closable={{ onClose: () => setMoveError(null) }} />}
        {cases.error && <Alert type="error" showIcon title={cases.error} />}
        <Table<AgentCaseItem>
          data-testid="agent-cases-table"
          rowKey="id"
          size="small"
          loading={cases.loading}
          dataSource={rows}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("teamBoard.noCases") }}
          rowSelection={{
            selectedRowKeys: chosen,
            onChange: (keys) => setChosen(keys.map(String)),
            getCheckboxProps: (item) => ({ "aria-label": item.borrowerName ?? item.id }) as never,
          }}
          onRow={(item) => ({ "data-testid": "agent-case-row", "data-case-id": item.id }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t("cases.borrower"),
              key: "borrower",
              render: (_value, item) => (
                <Space orientation="vertical" size={0}>
                  <a href={`/cases/${item.id}`} target="_blank" rel="noreferrer">
                    {item.borrowerName ?? "—"}
                  </a>
                  <Typography.Text type="secondary" style={noWrap}>
                    {item.phoneMasked}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("queue.overdue"),
              dataIndex: "overdueMinor",
              align: "right",
              sorter: (left, right) => compareMinor(left.overdueMinor, right.overdueMinor),
              render: (value: string, item) => <ClosedAmount amountMinor={value} currency={currency} daysPastDue={item.daysPastDueMax} />,
            },
            { title: t("queue.dpd"), dataIndex: "daysPastDueMax", align: "right", sorter: (left, right) => left.daysPastDueMax - right.daysPastDueMax },
            { title: t("queue.bucket"), dataIndex: "bucket" },
            {
              title: t("cases.status"),
              dataIndex: "status",
              render: (value: string) => <Tag color={caseStatusColors[value] ?? "default"}>{labelOr(t(`status.${value}`), `status.${value}`, value)}</Tag>,
            },
            {
              title: t("case.holdUntil"),
              dataIndex: "holdUntil",
              render: (value: string | null, item) =>
                value ? (
                  <Tag color={item.isHeld ? "orange" : "default"} data-testid="agent-case-held">
                    {value}
                  </Tag>
                ) : (
                  "—"
                ),
            },
            {
              title: t("queue.lastContact"),
              dataIndex: "lastContactAt",
              render: (value: string | null) =>
                value ? (
                  <span style={noWrap}>{formatInstant(value, language, timeZone)}</span>
                ) : (
                  <Typography.Text type="secondary">{t("queue.never")}</Typography.Text>
                ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
