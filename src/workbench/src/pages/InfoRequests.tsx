import { FileAddOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Drawer, Segmented, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { errorText, get } from '../api.ts';
import { Link } from '../router.tsx';
import type { Items, Unit } from '../types.ts';
import { ClockTag, InfoRequestDetail } from './InfoRequestDetail.tsx';
import { type RequestDetail, type RequestSummary, requestPath } from './infoRequestTypes.ts';
import { type Logged, LogRequestForm } from './LogRequestForm.tsx';

// 依申请公开: requests under the statutory clock (src/requests/routes.ts). The list comes overdue and due-soon
// first from the API; the rows are coloured the same way so the urgent ones stand out. A request opens in a
// drawer where it is handled end to end; paper, post, fax and walk-in requests are logged here too.

type Filter = 'all' | 'open' | 'dueSoon' | 'overdue';

export function InfoRequestsPage() {
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<Filter>('open');
  const [items, setItems] = useState<RequestSummary[] | null>(null);
  const [counts, setCounts] = useState<{ overdue: number; dueSoon: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<RequestDetail | null>(null);
  const [logging, setLogging] = useState(false);
  const [units, setUnits] = useState<Unit[]>([]);

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

  const open = async (id: string) => {
    try {
      setDetail(await get<RequestDetail>(requestPath(id)));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const startLogging = async () => {
    if (!units.length) {
      try {
        setUnits((await get<Items<Unit>>('/units')).items);
      } catch (e) {
        message.error(errorText(e));
        return;
      }
    }
    setLogging(true);
  };

  const logged = (r: Logged) => {
    setLogging(false);
    void load();
    void open(r.id);
  };

  // an action answers with the request as it now stands: the drawer shows it, the list follows
  const changed = (d: RequestDetail) => {
    setDetail(d);
    void load();
  };

  const columns: ColumnsType<RequestSummary> = [
    {
      title: '申请编号',
      key: 'tracking',
      width: 160,
      render: (_, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void open(r.id)}>
          {r.trackingNumber}
        </Button>
      ),
    },
    { title: '申请人', dataIndex: 'applicantName', width: 110 },
    { title: '申请内容', dataIndex: 'description', ellipsis: true },
    {
      title: '受理单位',
      key: 'unit',
      width: 150,
      render: (_, r) => (
        <>
          {r.unit.name}
          {r.handlingUnit && r.handlingUnit.id !== r.unit.id ? (
            <div className="gk-muted">承办：{r.handlingUnit.name}</div>
          ) : null}
        </>
      ),
    },
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
        <Button type="primary" icon={<FileAddOutlined />} onClick={() => void startLogging()}>
          登记来件
        </Button>
        <Link to="/annual-report">年度报告</Link>
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
        width={760}
        title={detail ? `申请 ${detail.trackingNumber}` : ''}
      >
        {detail ? <InfoRequestDetail d={detail} onChanged={changed} /> : null}
      </Drawer>
      <LogRequestForm open={logging} units={units} onClose={() => setLogging(false)} onLogged={logged} />
    </section>
  );
}
