import { App as AntApp, Button, Form, type FormInstance, Input, InputNumber, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { get, post } from '../api.ts';
import type { NamePath } from '../forms.ts';
import { useSession } from '../session.tsx';
import { ActionModal, blank, DateItem, type FormValues, today } from './ActionModal.tsx';
import { type RequestDetail, requestPath } from './infoRequestTypes.ts';
import {
  AppealFields,
  AssignFields,
  DeliverFields,
  deliverBody,
  ReplyFields,
} from './RequestActionForms.tsx';

// The handling actions of a request (src/requests/routes.ts), offered only when the API allows them in the
// request's state (allowedActions). Each opens a form; the request comes back as it now stands.

interface Spec {
  /** The button and the modal title. */
  label: string;
  title?: string;
  done: string;
  fields: string[];
  alias?: (path: NamePath) => NamePath | null;
  initial?: (d: RequestDetail) => FormValues;
  body: (v: FormValues) => unknown;
  render: (form: FormInstance<FormValues>, d: RequestDetail) => ReactNode;
  primary?: boolean;
  danger?: boolean;
}

const note = (label = '说明', required?: string) => (
  <Form.Item name="note" label={label} rules={required ? [{ required: true, message: required }] : []}>
    <Input.TextArea rows={2} maxLength={2000} />
  </Form.Item>
);
const dated = (v: FormValues) => ({ onDate: v.onDate ?? null, note: blank(v.note) });
const onToday = () => ({ onDate: today() });

/** In the order of the handling flow (flows.md: register → assign → 补正 → consult → extend → reply → deliver → close). */
const specs: Record<string, Spec> = {
  register: {
    label: '登记',
    title: '登记申请',
    done: '已登记',
    fields: ['note'],
    body: (v) => ({ note: blank(v.note) }),
    render: () => note(),
  },
  assign: {
    label: '交办',
    title: '交办承办单位',
    done: '已交办',
    fields: ['unitId', 'handlerUserId', 'note'],
    initial: (d) => ({ unitId: d.handlingUnit?.id ?? d.unit.id }),
    body: (v) => ({ unitId: v.unitId ?? null, handlerUserId: v.handlerUserId ?? '', note: blank(v.note) }),
    render: (form) => <AssignFields form={form} />,
    primary: true,
  },
  'supplement-request': {
    label: '告知补正',
    done: '已告知补正，答复期限中止',
    fields: ['onDate', 'deadline', 'missing'],
    initial: onToday,
    body: (v) => ({
      onDate: v.onDate ?? null,
      deadline: v.deadline ?? null,
      missing: blank(v.missing) ?? '',
    }),
    render: (_f, d) => (
      <>
        <Typography.Paragraph type="secondary">
          应当在收到申请之日起7个工作日内（{d.clock.supplementNoticeBy}前）一次性告知（条例第三十条）。
        </Typography.Paragraph>
        <DateItem name="onDate" label="通知日期" required="请选择通知日期" />
        <Form.Item
          name="missing"
          label="需要补正的事项"
          rules={[{ required: true, message: '请写明需要补正的事项' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <DateItem name="deadline" label="补正期限" extra="不填则按默认的合理期限计算" />
      </>
    ),
  },
  'supplement-received': {
    label: '收到补正',
    title: '收到补正材料',
    done: '已收到补正，答复期限重新计算',
    fields: ['onDate', 'note'],
    initial: onToday,
    body: dated,
    render: () => (
      <>
        <DateItem name="onDate" label="收到日期" required="请选择收到日期" />
        {note()}
      </>
    ),
  },
  consultation: {
    label: '征求意见',
    title: '征求第三方或其他机关意见',
    done: '已发出征求意见',
    fields: ['onDate', 'party', 'note'],
    initial: onToday,
    body: (v) => ({ onDate: v.onDate ?? null, party: blank(v.party) ?? '', note: blank(v.note) }),
    render: () => (
      <>
        <Typography.Paragraph type="secondary">
          被征求意见方自收到征求意见书之日起15个工作日内提出意见，所需时间不计入答复期限（条例第三十二条至第三十四条）。
        </Typography.Paragraph>
        <DateItem name="onDate" label="发出日期" required="请选择发出日期" />
        <Form.Item
          name="party"
          label="第三方或机关"
          rules={[{ required: true, message: '请填写被征求意见的第三方或机关' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        {note()}
      </>
    ),
  },
  'consultation-end': {
    label: '收到意见',
    title: '收到征求意见的答复',
    done: '已记录意见',
    fields: ['onDate', 'note'],
    initial: onToday,
    body: dated,
    render: () => (
      <>
        <DateItem name="onDate" label="收到日期" required="请选择收到日期" />
        {note('意见内容')}
      </>
    ),
  },
  extend: {
    label: '延长期限',
    title: '延长答复期限',
    done: '已延长答复期限',
    fields: ['onDate', 'days', 'reason', 'applicantToldBy'],
    initial: onToday,
    body: (v) => ({
      onDate: v.onDate ?? null,
      days: v.days,
      reason: blank(v.reason) ?? '',
      applicantToldBy: blank(v.applicantToldBy) ?? '',
    }),
    render: () => (
      <>
        <Typography.Paragraph type="secondary">
          经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日（条例第三十三条第二款）。
        </Typography.Paragraph>
        <DateItem name="onDate" label="同意日期" required="请选择日期" />
        <Form.Item
          name="days"
          label="延长工作日数"
          rules={[{ required: true, message: '请填写延长的工作日数' }]}
        >
          <InputNumber min={1} max={20} precision={0} />
        </Form.Item>
        <Form.Item name="reason" label="延期理由" rules={[{ required: true, message: '请写明延期理由' }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="applicantToldBy"
          label="告知申请人的方式"
          rules={[{ required: true, message: '延期应告知申请人，请写明告知方式' }]}
        >
          <Input maxLength={200} placeholder="如：电话告知、邮寄延期答复告知书" />
        </Form.Item>
      </>
    ),
  },
  reply: {
    label: '答复',
    title: '作出答复',
    done: '已答复',
    fields: ['outcome', 'detail', 'otherAgency', 'letterNumber', 'onDate', 'reviewBody', 'court'],
    initial: onToday,
    body: (v) => ({
      onDate: v.onDate ?? null,
      outcome: v.outcome ?? '',
      detail: blank(v.detail),
      otherAgency: blank(v.otherAgency),
      letterNumber: blank(v.letterNumber),
      reviewBody: blank(v.reviewBody),
      court: blank(v.court),
    }),
    render: (form) => <ReplyFields form={form} />,
    primary: true,
  },
  deliver: {
    label: '送达',
    title: '送达答复',
    done: '已送达',
    fields: ['onDate', 'method', 'note', 'areaId', 'stage'],
    // the record's placement is sent as record.areaId, record.stage
    alias: (p) => (p[0] === 'record' && typeof p[1] === 'string' ? [p[1]] : null),
    initial: (d) => ({ onDate: today(), method: d.deliveryMethod === 'email' ? '电子邮件' : undefined }),
    body: (v) => deliverBody(v, blank),
    render: (form) => <DeliverFields form={form} />,
    primary: true,
  },
  close: {
    label: '办结',
    done: '已办结',
    fields: ['note'],
    body: (v) => ({ note: blank(v.note) }),
    render: () => note(),
    primary: true,
  },
  'fee-paid': {
    label: '已缴费',
    title: '缴纳信息处理费',
    done: '已记录缴费',
    fields: ['onDate'],
    initial: onToday,
    body: (v) => ({ onDate: v.onDate ?? null }),
    render: () => <DateItem name="onDate" label="缴费日期" required="请选择缴费日期" />,
  },
  withdraw: {
    label: '申请人撤回',
    title: '申请人撤回申请',
    done: '已记录撤回',
    fields: ['onDate', 'note'],
    initial: onToday,
    body: dated,
    render: () => (
      <>
        <DateItem name="onDate" label="撤回日期" required="请选择撤回日期" />
        {note()}
      </>
    ),
    danger: true,
  },
  note: {
    label: '备注',
    title: '添加备注',
    done: '已添加备注',
    fields: ['note'],
    body: (v) => ({ note: blank(v.note) ?? '' }),
    render: () => note('备注', '备注不能为空'),
  },
};

/** 复议/诉讼 (table 四): a route of its own, recorded at any time; it answers with its id only. */
const appealSpec: Spec = {
  label: '记录复议/诉讼',
  title: '记录行政复议或行政诉讼',
  done: '已记录',
  fields: ['kind', 'filedOn', 'result', 'concludedOn', 'note'],
  initial: () => ({ filedOn: today(), result: 'pending' }),
  body: (v) => ({
    kind: v.kind,
    filedOn: v.filedOn,
    result: v.result,
    concludedOn: v.result === 'pending' ? null : (v.concludedOn ?? null),
    note: blank(v.note),
  }),
  render: (form) => <AppealFields form={form} />,
};

export function InfoRequestActions({
  detail,
  onChanged,
}: {
  detail: RequestDetail;
  onChanged(d: RequestDetail): void;
}) {
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const [open, setOpen] = useState<string | null>(null);
  const isLeader = user.role === 'leader';
  // the office head approves extensions (Art. 33 ¶2): the API takes them from a leader account only
  const offered = Object.keys(specs).filter(
    (k) => detail.allowedActions.includes(k) && (k !== 'extend' || isLeader),
  );
  const spec = open === 'appeal' ? appealSpec : open ? specs[open] : undefined;

  const submit = async (key: string, s: Spec, values: FormValues) => {
    if (key === 'appeal') {
      await post(requestPath(detail.id, '/appeals'), s.body(values));
      onChanged(await get<RequestDetail>(requestPath(detail.id)));
    } else onChanged(await post<RequestDetail>(requestPath(detail.id, `/${key}`), s.body(values)));
    setOpen(null);
    message.success(s.done);
  };

  return (
    <div aria-label="办理操作" role="toolbar">
      <Space wrap>
        {offered.map((k) => {
          const s = specs[k];
          return s ? (
            <Button
              key={k}
              type={s.primary ? 'primary' : 'default'}
              danger={s.danger}
              onClick={() => setOpen(k)}
            >
              {s.label}
            </Button>
          ) : null;
        })}
        <Button onClick={() => setOpen('appeal')}>{appealSpec.label}</Button>
      </Space>
      {detail.allowedActions.includes('extend') && !isLeader ? (
        <div className="gk-muted" style={{ marginTop: 4 }}>
          延长答复期限须经政府信息公开工作机构负责人（领导账号）同意。
        </div>
      ) : null}
      {spec && open ? (
        <ActionModal
          open
          title={spec.title ?? spec.label}
          fields={spec.fields}
          alias={spec.alias}
          initialValues={spec.initial?.(detail)}
          onClose={() => setOpen(null)}
          onSubmit={(v) => submit(open, spec, v)}
        >
          {(form) => spec.render(form, detail)}
        </ActionModal>
      ) : null}
    </div>
  );
}
