import { App as AntApp, Form, type FormInstance, Input, Radio, Select, Space } from 'antd';
import { post } from '../api.ts';
import type { Unit } from '../types.ts';
import { ActionModal, blank, DateItem, type FormValues, today } from './ActionModal.tsx';
import {
  deliveryFormNames,
  deliveryMethodNames,
  organisationKindOptions,
  receivingUnitKinds,
} from './infoRequestTypes.ts';

// 登记来件: a request that came on paper, by post, fax, e-mail or in person, written down by staff with the
// fields of 条例 Art. 29 and the receipt date Art. 31 gives its channel (POST /info-requests/logged).

/** Each channel's receipt date (Art. 31): the form asks for that one date only. */
const channels: {
  value: string;
  label: string;
  date: 'submittedOn' | 'signedOn' | 'confirmedOn';
  dateLabel: string;
}[] = [
  {
    value: 'inPerson',
    label: '当面提交',
    date: 'submittedOn',
    dateLabel: '提交日期（以提交之日为收到之日）',
  },
  {
    value: 'post',
    label: '邮寄（挂号信、快递）',
    date: 'signedOn',
    dateLabel: '签收日期（以签收之日为收到之日）',
  },
  {
    value: 'ordinaryLetter',
    label: '平常信函',
    date: 'confirmedOn',
    dateLabel: '与申请人确认日期（以确认之日为收到之日）',
  },
  { value: 'fax', label: '传真', date: 'confirmedOn', dateLabel: '双方确认日期（以确认之日为收到之日）' },
  {
    value: 'email',
    label: '电子邮件',
    date: 'confirmedOn',
    dateLabel: '双方确认日期（以确认之日为收到之日）',
  },
];

const fieldNames = [
  'unitId',
  'channel',
  'submittedOn',
  'signedOn',
  'confirmedOn',
  'applicantKind',
  'organisationKind',
  'name',
  'organisationCode',
  'legalRepresentative',
  'contactName',
  'idType',
  'idNumber',
  'phone',
  'email',
  'address',
  'postalCode',
  'description',
  'documentNumber',
  'purpose',
  'deliveryForm',
  'deliveryMethod',
  'note',
];

const texts = [
  'name',
  'organisationCode',
  'legalRepresentative',
  'contactName',
  'idType',
  'idNumber',
  'phone',
  'email',
  'address',
  'postalCode',
  'description',
  'documentNumber',
  'purpose',
  'note',
] as const;

export interface Logged {
  id: string;
  trackingNumber: string;
  queryCode: string;
  receivedOn: string;
  dueOn: string | null;
  explanation: string | null;
}

const channelOf = (value: unknown) => channels.find((c) => c.value === value) ?? channels[0]!;

function toBody(v: FormValues) {
  const channel = channelOf(v.channel);
  const body: Record<string, unknown> = {
    unitId: v.unitId ?? '',
    channel: v.channel,
    applicantKind: v.applicantKind,
    organisationKind: v.applicantKind === 'legalPerson' ? (v.organisationKind ?? null) : null,
    deliveryForm: v.deliveryForm,
    deliveryMethod: v.deliveryMethod,
  };
  for (const t of texts) body[t] = blank(v[t]);
  body.name = body.name ?? '';
  body.description = body.description ?? '';
  body[channel.date] = v[channel.date] ?? null;
  return body;
}

function ApplicantFields({ legal }: { legal: boolean }) {
  return (
    <>
      <Form.Item name="applicantKind" label="申请人类型">
        <Radio.Group
          options={[
            { value: 'naturalPerson', label: '公民（自然人）' },
            { value: 'legalPerson', label: '法人或者其他组织' },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label="姓名或者名称"
        rules={[{ required: true, message: '请填写申请人姓名或名称' }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      {legal ? (
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item
            name="organisationKind"
            label="组织类型"
            rules={[{ required: true, message: '请选择组织类型' }]}
          >
            <Select style={{ width: 180 }} options={organisationKindOptions} />
          </Form.Item>
          <Form.Item name="organisationCode" label="统一社会信用代码">
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="legalRepresentative" label="法定代表人或者负责人">
            <Input maxLength={60} />
          </Form.Item>
        </Space>
      ) : (
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item name="idType" label="身份证件类型">
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="idNumber" label="身份证件号码">
            <Input maxLength={40} />
          </Form.Item>
        </Space>
      )}
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="contactName" label="联系人">
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="phone" label="联系电话">
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="email" label="电子邮箱">
          <Input maxLength={200} />
        </Form.Item>
      </Space>
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="address" label="通信地址">
          <Input maxLength={300} style={{ width: 360 }} />
        </Form.Item>
        <Form.Item name="postalCode" label="邮政编码">
          <Input maxLength={10} />
        </Form.Item>
      </Space>
    </>
  );
}

export function LogRequestForm({
  open,
  units,
  onClose,
  onLogged,
}: {
  open: boolean;
  units: Unit[];
  onClose(): void;
  onLogged(r: Logged): void;
}) {
  const { modal } = AntApp.useApp();
  const submit = async (v: FormValues) => {
    const r = await post<Logged>('/info-requests/logged', toBody(v));
    onLogged(r);
    modal.success({
      title: '申请已登记',
      content: (
        <div>
          <p>
            申请编号 <strong>{r.trackingNumber}</strong>，查询码 <strong>{r.queryCode}</strong>
            （请告知申请人，凭此查询办理进度）。
          </p>
          <p>
            {r.receivedOn} 收到，应于 {r.dueOn ?? '—'} 前答复。
          </p>
          {r.explanation ? <p className="gk-muted">{r.explanation}</p> : null}
        </div>
      ),
    });
  };
  return (
    <ActionModal
      open={open}
      title="登记来件"
      okText="登记"
      width={760}
      fields={fieldNames}
      // the receipt date is checked as receivedOn: show it on the date the chosen channel asks for
      alias={(p, v) => (p[0] === 'receivedOn' ? [channelOf(v.channel).date] : null)}
      initialValues={{
        channel: 'inPerson',
        submittedOn: today(),
        applicantKind: 'naturalPerson',
        idType: '居民身份证',
        deliveryForm: 'paper',
        deliveryMethod: 'post',
      }}
      onClose={onClose}
      onSubmit={submit}
    >
      {(form) => <LogFields form={form} units={units} />}
    </ActionModal>
  );
}

function LogFields({ form, units }: { form: FormInstance<FormValues>; units: Unit[] }) {
  const channel = channelOf(Form.useWatch('channel', form));
  const legal = Form.useWatch('applicantKind', form) === 'legalPerson';
  return (
    <>
      <Form.Item name="unitId" label="受理机关" rules={[{ required: true, message: '请选择受理机关' }]}>
        <Select
          showSearch
          optionFilterProp="label"
          options={units
            .filter((u) => receivingUnitKinds.has(u.kind))
            .map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="channel" label="申请方式">
          <Select style={{ width: 200 }} options={channels.map(({ value, label }) => ({ value, label }))} />
        </Form.Item>
        <DateItem key={channel.date} name={channel.date} label={channel.dateLabel} required="请选择日期" />
      </Space>
      <ApplicantFields legal={legal} />
      <Form.Item
        name="description"
        label="所需政府信息的名称或者内容描述"
        rules={[{ required: true, message: '请描述申请公开的政府信息' }]}
      >
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="documentNumber" label="文件名称或者文号">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="purpose" label="其他说明">
          <Input maxLength={1000} />
        </Form.Item>
      </Space>
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="deliveryForm" label="信息的载体形式">
          <Radio.Group
            options={Object.entries(deliveryFormNames).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="deliveryMethod" label="获取信息的方式">
          <Select
            style={{ width: 160 }}
            options={Object.entries(deliveryMethodNames).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="note" label="登记说明">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );
}
