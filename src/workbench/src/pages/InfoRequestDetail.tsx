import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { download, errorText, get, put } from '../api.ts';
import { ActionModal, blank, type FormValues, today } from './ActionModal.tsx';
import { InfoRequestActions } from './InfoRequestActions.tsx';
import {
  type Appeal,
  type Clock,
  deliveryFormNames,
  deliveryMethodNames,
  type RequestDetail,
  type RequestEvent,
  requestPath,
} from './infoRequestTypes.ts';
import { AppealFields } from './RequestActionForms.tsx';

// One request as the office sees it: who asks (masked unless one handles it), what, the statutory clock with
// its explanation, the reply, appeals, the event log, and the actions the state allows.

export function ClockTag({ clock }: { clock: Clock }) {
  const color = clock.overdue
    ? 'red'
    : clock.dueSoon
      ? 'gold'
      : clock.status === 'answeredLate'
        ? 'orange'
        : 'default';
  return <Tag color={color}>{clock.statusName}</Tag>;
}

function ClockBlock({ clock }: { clock: Clock }) {
  return (
    <div className="gk-clock">
      <Space wrap>
        <strong>{clock.dueOn ?? '—'}</strong>
        <ClockTag clock={clock} />
        {clock.workingDaysLeft !== null && !clock.overdue && clock.status !== 'answered' ? (
          <span className="gk-muted">剩余 {clock.workingDaysLeft} 个工作日</span>
        ) : null}
        {clock.latestDueOn ? <span className="gk-muted">最迟 {clock.latestDueOn}</span> : null}
      </Space>
      {clock.explanation
        .split('；')
        .filter(Boolean)
        .map((line) => (
          <div key={line} style={{ fontSize: 13 }}>
            {line}
          </div>
        ))}
      {clock.calendarWarnings.length ? (
        <Typography.Text type="warning">
          工作日历尚未收录 {clock.calendarWarnings.join('、')} 年的节假日安排，期限按周末计算，请维护日历。
        </Typography.Text>
      ) : null}
    </div>
  );
}

function ApplicantItems({ d }: { d: RequestDetail }) {
  const a = d.applicant;
  const rows: [string, string | null][] = [
    [
      '申请人类型',
      a.kind === 'naturalPerson' ? '公民' : `法人或其他组织（${d.organisationKindName ?? '—'}）`,
    ],
    ['统一社会信用代码', a.organisationCode],
    ['法定代表人', a.legalRepresentative],
    ['联系人', a.contactName],
    ['证件', a.idNumber ? `${a.idType ?? ''} ${a.idNumber}`.trim() : null],
    ['联系电话', a.phone],
    ['电子邮箱', a.email],
    ['通信地址', [a.address, a.postalCode].filter(Boolean).join('，') || null],
  ];
  return (
    <Descriptions size="small" column={2} bordered title="申请人" style={{ marginBottom: 16 }}>
      <Descriptions.Item label="姓名或名称" span={2}>
        {a.name}
        {a.personalDataMasked ? (
          <span className="gk-muted">（证件号码、电话已遮蔽，仅承办人可见）</span>
        ) : null}
      </Descriptions.Item>
      {rows
        .filter(([, v]) => v)
        .map(([label, v]) => (
          <Descriptions.Item key={label} label={label}>
            {v}
          </Descriptions.Item>
        ))}
    </Descriptions>
  );
}

function ReplyItems({ d }: { d: RequestDetail }) {
  const { message } = AntApp.useApp();
  const r = d.reply;
  if (!r) return null;
  const letter = async () => {
    try {
      await download(requestPath(d.id, '/reply-letter.docx'), `${d.trackingNumber}.docx`);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      title="答复"
      style={{ marginBottom: 16 }}
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void letter()}>
          下载答复书（.docx）
        </Button>
      }
    >
      <Descriptions.Item label="答复类型">
        {r.outcome?.label ?? '—'}
        {r.outcome ? <div className="gk-muted">{r.outcome.law}</div> : null}
      </Descriptions.Item>
      <Descriptions.Item label="答复日期">{r.repliedOn}</Descriptions.Item>
      {r.letterNumber ? <Descriptions.Item label="文号">{r.letterNumber}</Descriptions.Item> : null}
      {r.detail ? <Descriptions.Item label="答复内容">{r.detail}</Descriptions.Item> : null}
      {r.otherAgency ? <Descriptions.Item label="负责公开的机关">{r.otherAgency}</Descriptions.Item> : null}
      <Descriptions.Item label="送达">
        {r.deliveredOn ? `${r.deliveredOn}（${r.deliveryMethod ?? ''}）` : '尚未送达'}
        {r.recordId ? <div className="gk-muted">已归档为依申请公开的政府信息（草稿，待审核发布）</div> : null}
      </Descriptions.Item>
    </Descriptions>
  );
}

function AppealTable({ d, onChanged }: { d: RequestDetail; onChanged(d: RequestDetail): void }) {
  const { message } = AntApp.useApp();
  const [settling, setSettling] = useState<Appeal | null>(null);
  if (!d.appeals.length) return null;
  const settle = async (a: Appeal, v: FormValues) => {
    await put(`/info-request-appeals/${encodeURIComponent(a.id)}`, {
      result: v.result,
      concludedOn: v.result === 'pending' ? null : (v.concludedOn ?? null),
      note: blank(v.note),
    });
    onChanged(await get<RequestDetail>(requestPath(d.id)));
    setSettling(null);
    message.success('已记录结果');
  };
  return (
    <>
      <Typography.Title level={5}>行政复议、行政诉讼</Typography.Title>
      <Table<Appeal>
        size="small"
        rowKey="id"
        pagination={false}
        style={{ marginBottom: 16 }}
        dataSource={d.appeals}
        columns={[
          { title: '类型', dataIndex: 'kindName' },
          { title: '申请/起诉日期', dataIndex: 'filedOn', width: 110 },
          { title: '结果', dataIndex: 'resultName', width: 90 },
          { title: '审结日期', key: 'c', width: 100, render: (_, a) => a.concludedOn ?? '—' },
          {
            title: '',
            key: 'act',
            width: 90,
            render: (_, a) => (
              <Button size="small" onClick={() => setSettling(a)}>
                记录结果
              </Button>
            ),
          },
        ]}
      />
      {settling ? (
        <ActionModal
          open
          title={`记录${settling.kindName}结果`}
          fields={['result', 'concludedOn', 'note']}
          initialValues={{ result: settling.result, concludedOn: settling.concludedOn ?? today() }}
          onClose={() => setSettling(null)}
          onSubmit={(v) => settle(settling, v)}
        >
          {(form) => <AppealFields form={form} result />}
        </ActionModal>
      ) : null}
    </>
  );
}

const eventNote = (e: RequestEvent): string =>
  [
    // the receipt's target is the channel, shown with the request already
    e.kind === 'received' ? null : e.target,
    e.kind === 'supplementRequested' && e.refDate ? `补正期限 ${e.refDate}` : null,
    e.kind === 'consultationStarted' && e.refDate ? `应于 ${e.refDate} 前提出意见` : null,
    e.kind === 'extended' && e.days ? `延长 ${e.days} 个工作日` : null,
    e.amount ? `${e.amount} 元` : null,
    e.note,
  ]
    .filter(Boolean)
    .join('；');

export function InfoRequestDetail({ d, onChanged }: { d: RequestDetail; onChanged(d: RequestDetail): void }) {
  return (
    <>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="办理状态">
          <Tag color="blue">{d.stateName}</Tag>
          {d.handlingUnit ? <span className="gk-muted">承办单位：{d.handlingUnit.name}</span> : null}
        </Descriptions.Item>
        <Descriptions.Item label="答复期限">
          <ClockBlock clock={d.clock} />
        </Descriptions.Item>
        <Descriptions.Item label="受理机关">{d.unit.name}</Descriptions.Item>
        <Descriptions.Item label="申请内容">
          {d.description}
          {d.documentNumber ? <div className="gk-muted">文件名称或文号：{d.documentNumber}</div> : null}
        </Descriptions.Item>
        {d.purpose ? <Descriptions.Item label="其他说明">{d.purpose}</Descriptions.Item> : null}
        <Descriptions.Item label="获取方式">
          {deliveryFormNames[d.deliveryForm] ?? d.deliveryForm} ·{' '}
          {deliveryMethodNames[d.deliveryMethod] ?? d.deliveryMethod}
        </Descriptions.Item>
        <Descriptions.Item label="申请方式">
          {d.channelName}，{d.receivedOn} 收到 · 查询码 {d.queryCode}
        </Descriptions.Item>
      </Descriptions>
      <div style={{ marginBottom: 16 }}>
        <InfoRequestActions detail={d} onChanged={onChanged} />
      </div>
      <ReplyItems d={d} />
      <ApplicantItems d={d} />
      <AppealTable d={d} onChanged={onChanged} />
      <Typography.Title level={5}>办理记录</Typography.Title>
      <Table<RequestEvent>
        size="small"
        rowKey="seq"
        pagination={false}
        dataSource={d.events}
        columns={[
          { title: '日期', key: 'on', width: 100, render: (_, e) => e.onDate ?? e.at.slice(0, 10) },
          { title: '环节', dataIndex: 'label', width: 140 },
          { title: '办理人', dataIndex: 'actorName', width: 80 },
          { title: '说明', key: 'note', render: (_, e) => eventNote(e) },
        ]}
      />
    </>
  );
}
