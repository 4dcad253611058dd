import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { errorText, get } from '../api.ts';
import {
  caseStatusNames,
  formatTime,
  type InboxItem,
  type InboxView,
  taskStatusNames,
} from '../flowTypes.ts';
import { Link } from '../router.tsx';

export const inboxTitles: Record<InboxView, string> = {
  open: '待办',
  done: '已办',
  started: '我发起的',
  overdue: '超期',
};

export const isInboxView = (v: string): v is InboxView => v in inboxTitles;

function Due({ item }: { item: InboxItem }) {
  if (!item.dueAt) return null;
  return (
    <Space size={4}>
      {formatTime(item.dueAt)}
      {item.overdue ? <Tag color="red">已超期</Tag> : null}
    </Space>
  );
}

/** 待办 / 已办 / 我发起的 / 超期: one table, the columns that matter to each. */
export function InboxPage({ view }: { view: InboxView }) {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await get<{ items: InboxItem[] }>(`/tasks?view=${view}`)).items);
    } catch (e) {
      setItems([]);
      setError(errorText(e));
    }
  }, [view]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  const flow = (r: InboxItem) => (
    <>
      {r.flowCode ? <Tag>{r.flowCode}</Tag> : null}
      {r.flowName}
    </>
  );
  const columns: ColumnsType<InboxItem> =
    view === 'started'
      ? [
          { title: '流程', key: 'flow', render: (_, r) => flow(r) },
          {
            title: '办件',
            key: 'case',
            render: (_, r) => <Link to={`/case/${encodeURIComponent(r.instanceId)}`}>查看办件</Link>,
          },
          { title: '发起时间', key: 'started', render: (_, r) => formatTime(r.startedAt) },
          {
            title: '状态',
            key: 'status',
            render: (_, r) => (
              <Space size={4}>
                {caseStatusNames[r.instanceStatus] ?? r.instanceStatus}
                {r.overdue ? <Tag color="red">有环节超期</Tag> : null}
              </Space>
            ),
          },
          { title: '当前环节', key: 'steps', render: (_, r) => r.currentSteps.join('、') },
        ]
      : [
          {
            title: '事项',
            key: 'task',
            render: (_, r) =>
              r.taskId ? <Link to={`/task/${encodeURIComponent(r.taskId)}`}>{r.taskName}</Link> : r.taskName,
          },
          { title: '流程', key: 'flow', render: (_, r) => flow(r) },
          { title: '接收时间', key: 'created', render: (_, r) => formatTime(r.createdAt) },
          ...(view === 'done'
            ? [
                {
                  title: '办理时间',
                  key: 'completed',
                  render: (_: unknown, r: InboxItem) => formatTime(r.completedAt),
                },
                {
                  title: '结果',
                  key: 'outcome',
                  render: (_: unknown, r: InboxItem) =>
                    r.outcome ?? (r.status === 'completed' ? '' : (taskStatusNames[r.status] ?? r.status)),
                },
                {
                  title: '办件状态',
                  key: 'case',
                  render: (_: unknown, r: InboxItem) => (
                    <Link to={`/case/${encodeURIComponent(r.instanceId)}`}>
                      {caseStatusNames[r.instanceStatus] ?? r.instanceStatus}
                    </Link>
                  ),
                },
              ]
            : [{ title: '办理期限', key: 'due', render: (_: unknown, r: InboxItem) => <Due item={r} /> }]),
        ];

  return (
    <section aria-labelledby="gk-inbox-title">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Title level={3} id="gk-inbox-title" style={{ margin: 0 }}>
          {inboxTitles[view]}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => void load()} />
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Table<InboxItem>
        size="middle"
        loading={items === null}
        rowKey={(r) => r.taskId ?? r.instanceId}
        dataSource={items ?? []}
        columns={columns}
        rowClassName={(r) => (r.overdue ? 'gk-overdue' : '')}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: view === 'open' ? '没有待办事项' : `没有${inboxTitles[view]}的办件` }}
      />
    </section>
  );
}
