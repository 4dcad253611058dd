import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Descriptions,
  Drawer,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { errorText, get } from '../api.ts';

// 依申请公开: requests under the statutory clock (src/requests/routes.ts). The list comes overdue and due-soon
// first from the API; the rows are coloured the same way so the urgent ones stand out.

interface Clock {
  dueOn: string | null;
  status: string;
  statusName: string;
  workingDaysLeft: number | null;
  dueSoon: boolean;
  overdue: boolean;
  extensionDays: number;
  /** Why the due date is what it is (working days, pauses, extension), one sentence per part. */
  explanation: string;
}

interface RequestSummary {
  id: string;
  trackingNumber: string;
  unit: { id: string; name: string | null };
  applicantName: string;
  description: string;
  channelName: string;
  receivedOn: string;
  state: string;
  stateName: string;
  outcome: { code: string; label: string } | null;
  clock: Clock;
}

interface RequestDetail extends RequestSummary {
  purpose: string | null;
  applicant: { name: string; phone: string | null; personalDataMasked: boolean };
  events: {
    seq: number;
    label: string;
    onDate: string | null;
    at: string;
    actorName: string | null;
    note: string | null;
  }[];
}

type Filter = 'all' | 'open' | 'dueSoon' | 'overdue';

function ClockTag({ clock }: { clock: Clock }) {
  const color = clock.overdue
    ? 'red'
    : clock.dueSoon
      ? 'gold'
      : clock.status === 'answeredLate'
        ? 'orange'
        : 'default';
  return <Tag color={color}>{clock.statusName}</Tag>;
}

const explanationLines = (e: string): string[] => e.split('；').filter(Boolean);

export function InfoRequestsPage() {
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<Filter>('open');
  const [items, setItems] = useState<RequestSummary[] | null>(null);
  const [counts, setCounts] = useState<{ overdue: number; dueSoon: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<RequestDetail | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const answer = await get<{ items: RequestSummary[]; counts: { overdue: number; dueSoon: number } }>(
        `/info-requests?status=${filter}`,
      );
      setItems(answer.items);
      setCounts(answer.counts);
    } catch (e) {
      setItems([]);
      setError(errorText(e));
    }
  }, [filter]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  const open = async (r: RequestSummary) => {
    try {
      setDetail(await get<RequestDetail>(`/info-requests/${encodeURIComponent(r.id)}`));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<RequestSummary> = [
    {
      title: '申请编号',
      key: 'tracking',
      width: 160,
      render: (_, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void open(r)}>
          {r.trackingNumber}
        </Button>
      ),
    },
    { title: '申请人', dataIndex: 'applicantName', width: 110 },
    { title: '申请内容', dataIndex: 'description', ellipsis: true },
    { title: '受理单位', key: 'unit', width: 150, render: (_, r) => r.unit.name },
    { title: '收到日期', dataIndex: 'receivedOn', width: 100 },
    {
      title: '答复期限',
      key: 'due',
      width: 150,
      render: (_, r) => (
        <>
          {r.clock.dueOn ?? '—'}
          {r.clock.workingDaysLeft !== null && !r.clock.overdue ? (
            <div className="gk-muted">剩余 {r.clock.workingDaysLeft} 个工作日</div>
          ) : null}
        </>
      ),
    },
    { title: '期限状态', key: 'clock', width: 150, render: (_, r) => <ClockTag clock={r.clock} /> },
    { title: '办理状态', dataIndex: 'stateName', width: 100 },
  ];

  return (
    <section aria-labelledby="gk-requests-title">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={3} id="gk-requests-title" style={{ margin: 0 }}>
          依申请公开
        </Typography.Title>
        <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => void load()} />
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          // plain-text labels: the control compares its options deeply, which React elements do not survive
          options={[
            { value: 'open', label: '办理中' },
            { value: 'dueSoon', label: `即将到期${counts?.dueSoon ? `（${counts.dueSoon}）` : ''}` },
            { value: 'overdue', label: `已超期${counts?.overdue ? `（${counts.overdue}）` : ''}` },
            { value: 'all', label: '全部' },
          ]}
        />
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Table<RequestSummary>
        size="small"
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        columns={columns}
        rowClassName={(r) => (r.clock.overdue ? 'gk-overdue' : r.clock.dueSoon ? 'gk-due-soon' : '')}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '没有申请' }}
      />
      <Drawer
        open={detail !== null}
        onClose={() => setDetail(null)}
        width={680}
        title={detail ? `申请 ${detail.trackingNumber}` : ''}
      >
        {detail ? (
          <>
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label="申请人">
                {detail.applicant.name}
                {detail.applicant.personalDataMasked ? (
                  <span className="gk-muted">（个人信息已遮蔽）</span>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label="申请内容">{detail.description}</Descriptions.Item>
              {detail.purpose ? <Descriptions.Item label="用途">{detail.purpose}</Descriptions.Item> : null}
              <Descriptions.Item label="申请方式">{detail.channelName}</Descriptions.Item>
              <Descriptions.Item label="收到日期">{detail.receivedOn}</Descriptions.Item>
              <Descriptions.Item label="答复期限">
                <Space>
                  {detail.clock.dueOn ?? '—'}
                  <ClockTag clock={detail.clock} />
                </Space>
                {explanationLines(detail.clock.explanation).map((line) => (
                  <div key={line} className="gk-muted">
                    {line}
                  </div>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label="办理状态">{detail.stateName}</Descriptions.Item>
              {detail.outcome ? (
                <Descriptions.Item label="答复结果">{detail.outcome.label}</Descriptions.Item>
              ) : null}
            </Descriptions>
            <Table
              size="small"
              rowKey="seq"
              pagination={false}
              dataSource={detail.events}
              columns={[
                { title: '日期', key: 'on', width: 110, render: (_, e) => e.onDate ?? e.at.slice(0, 10) },
                { title: '环节', dataIndex: 'label', width: 150 },
                { title: '办理人', dataIndex: 'actorName', width: 90 },
                { title: '说明', dataIndex: 'note' },
              ]}
            />
          </>
        ) : null}
      </Drawer>
    </section>
  );
}
