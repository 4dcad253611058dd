import { Alert, Card, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorText, get } from '../api.ts';
import {
  actionNames,
  type Case,
  type CurrentStep,
  caseStatusNames,
  formatTime,
  type HistoryEntry,
  taskStatusNames,
} from '../flowTypes.ts';
import { Link } from '../router.tsx';
import { FlowDiagram } from './FlowDiagram.tsx';

export function useCase(id: string | null) {
  const [data, setData] = useState<Case | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!id) return;
    try {
      setData(await get<Case>(`/process-instances/${encodeURIComponent(id)}`));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => {
    setData(null);
    void load();
  }, [load]);
  return { data, error, reload: load };
}

/** The steps a case went through, oldest first: who did what, with which outcome and opinion. */
export function CaseHistory({ history }: { history: HistoryEntry[] }) {
  // history entries have no id of their own; their place in the case's order is their identity
  const shown = history
    .filter((h) => h.action !== 'timerSet' && h.action !== 'auto')
    .map((h, i) => ({ ...h, key: String(i) }));
  return (
    <Table<HistoryEntry & { key: string }>
      size="small"
      aria-label="办理记录"
      pagination={false}
      dataSource={shown}
      locale={{ emptyText: '还没有办理记录' }}
      columns={[
        { title: '时间', key: 'at', width: 150, render: (_, h) => formatTime(h.at) },
        { title: '操作', key: 'action', width: 100, render: (_, h) => actionNames[h.action] ?? h.action },
        { title: '办理人', key: 'actor', width: 100, render: (_, h) => h.actor?.name ?? '系统' },
        { title: '结果', key: 'outcome', width: 120, render: (_, h) => h.outcome },
        { title: '意见', key: 'opinion', render: (_, h) => h.opinion ?? h.detail },
      ]}
    />
  );
}

function who(step: CurrentStep): string {
  if (step.assignee) return step.assignee.displayName;
  return step.candidates
    .filter((c) => c !== null)
    .map((c) => c.displayName)
    .join('、');
}

/** Activity ids of steps done in the case, for the diagram. */
export function doneActivities(history: HistoryEntry[]): string[] {
  return [
    ...new Set(
      history.filter((h) => h.action === 'complete' && h.activityId).map((h) => h.activityId as string),
    ),
  ];
}

export function CasePage({ id }: { id: string }) {
  const { data, error } = useCase(id);
  if (error) return <Result status="warning" title="无法打开这个办件" subTitle={error} />;
  if (!data) return <Spin />;
  return (
    <section aria-labelledby="gk-case-title">
      <Space align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} id="gk-case-title" style={{ margin: 0 }}>
          {data.definition.name}
        </Typography.Title>
        {data.definition.code ? <Tag>{data.definition.code}</Tag> : null}
        <Tag color={data.status === 'running' ? 'processing' : 'default'}>
          {caseStatusNames[data.status] ?? data.status}
        </Tag>
      </Space>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        {data.businessKey ? <Descriptions.Item label="办件标题">{data.businessKey}</Descriptions.Item> : null}
        <Descriptions.Item label="发起人">{data.startedBy?.displayName ?? ''}</Descriptions.Item>
        <Descriptions.Item label="发起时间">{formatTime(data.startedAt)}</Descriptions.Item>
        {data.endedAt ? (
          <Descriptions.Item label="结束时间">{formatTime(data.endedAt)}</Descriptions.Item>
        ) : null}
        <Descriptions.Item label="流程版本">第 {data.definition.version} 版</Descriptions.Item>
      </Descriptions>
      {data.currentSteps.length ? (
        <Card size="small" title="当前环节" style={{ marginBottom: 12 }}>
          <Table<CurrentStep>
            size="small"
            rowKey="taskId"
            pagination={false}
            dataSource={data.currentSteps}
            rowClassName={(s) => (s.overdue ? 'gk-overdue' : '')}
            columns={[
              {
                title: '环节',
                key: 'name',
                render: (_, s) => <Link to={`/task/${encodeURIComponent(s.taskId)}`}>{s.name}</Link>,
              },
              { title: '状态', key: 'status', render: (_, s) => taskStatusNames[s.status] ?? s.status },
              { title: '办理人', key: 'who', render: (_, s) => who(s) },
              {
                title: '办理期限',
                key: 'due',
                render: (_, s) => (
                  <Space size={4}>
                    {formatTime(s.dueAt)}
                    {s.overdue ? <Tag color="red">已超期</Tag> : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      {data.timers.length ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={data.timers
            .map((t) => `${t.name || t.activityId}：${formatTime(t.dueAt)} 到期`)
            .join('；')}
        />
      ) : null}
      <Card size="small" title="流程图" style={{ marginBottom: 12 }}>
        <FlowDiagram
          flowKey={data.definition.key}
          version={data.definition.version}
          current={data.currentSteps.map((s) => s.activityId)}
          done={doneActivities(data.history)}
        />
      </Card>
      <Card size="small" title="办理记录">
        <CaseHistory history={data.history} />
      </Card>
    </section>
  );
}
