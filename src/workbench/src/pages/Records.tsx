import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorText, type FieldError, get, post, put } from '../api.ts';
import type { Case, Definition, InboxItem } from '../flowTypes.ts';
import { showFieldErrors, topLevel } from '../forms.ts';
import { base, Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import type { Items, Unit } from '../types.ts';
import { FormErrorAlert } from './FormErrorAlert.tsx';

// 政府信息: the records of the disclosure module (src/disclosure/routes.ts), from draft through 审核 and
// 保密审查 to publication on the portal.

interface RecordItem {
  id: string;
  indexNumber: string;
  title: string;
  summary: string | null;
  origin: string;
  originName: string;
  kind: string;
  formedOn: string;
  documentNumber: string | null;
  attribute: string;
  attributeName: string;
  exemptionBasis: string | null;
  disclosingUnit: { id: string; name: string } | null;
  area: { id: string; name: string } | null;
  subArea: { id: string; number: string; name: string } | null;
  stage: string;
  stageName: string;
  channels: string[];
  validFrom: string | null;
  validUntil: string | null;
  body: string | null;
  publishState: string;
  publishStateName: string;
  publishBy: string | null;
  publishedAt: string | null;
  late: boolean;
  privacyFindings?: { field: string; kind: string; sample?: string }[];
}

interface Area {
  id: string;
  name: string;
  subAreas: { id: string; number: string; name: string }[];
}

/** GET /records/:id/objections: name and contact in full only for the unit that published the notice. */
interface ObjectionItem {
  id: string;
  ref: string;
  content: string;
  name: string | null;
  contact: string | null;
  state: string;
  taskId: string | null;
  finding: string | null;
  createdAt: string;
}

interface HistoryItem {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
}

const stateColors: Record<string, string> = {
  draft: 'default',
  inReview: 'processing',
  inSecrecyCheck: 'processing',
  approved: 'cyan',
  published: 'success',
  withdrawn: 'warning',
};
const stateOptions = [
  { value: 'draft', label: '草稿' },
  { value: 'inReview', label: '待审核' },
  { value: 'inSecrecyCheck', label: '待保密审查' },
  { value: 'approved', label: '待发布' },
  { value: 'published', label: '已发布' },
  { value: 'withdrawn', label: '已撤回' },
];
const stageOptions = [
  { value: 'decision', label: '决策' },
  { value: 'execution', label: '执行' },
  { value: 'management', label: '管理' },
  { value: 'service', label: '服务' },
  { value: 'result', label: '结果' },
];
const attributeOptions = [
  { value: 'proactive', label: '主动公开' },
  { value: 'onRequest', label: '依申请公开' },
  { value: 'exempt', label: '不予公开' },
];
const kindOptions = [
  { value: 'document', label: '文件' },
  { value: 'policy', label: '政策' },
  { value: 'plan', label: '规划计划' },
  { value: 'notice', label: '公示' },
  { value: 'result', label: '结果' },
  { value: 'other', label: '其他' },
];
const channelSuggestions = ['政府网站', '政务新媒体', '公示栏', '政府公报', '查阅点', '新闻发布会'];

const historyActions: Record<string, string> = {
  created: '创建',
  edited: '修改',
  attachmentAdded: '添加附件',
  attributeChanged: '变更公开属性',
  masked: '脱敏',
  submitted: '提交审核',
  reviewApproved: '审核通过',
  reviewReturned: '审核退回',
  secrecyApproved: '保密审查通过',
  secrecyReturned: '保密审查退回',
  published: '发布',
  publishedByFlow: '流程发布',
  withdrawn: '撤回',
  reviewFlowStarted: '进入审核流程',
  reviewTerminated: '审核流程终止',
  attributeConfirmed: '签发确认公开属性',
};

/** The publishing review as a flow (src/disclosure/reviewFlow.ts): deployed by the district, or not at all. */
const reviewFlowKey = 'gk-review';

/** A record under a review case: 审核 and 保密审查 are that case's tasks, not the explicit buttons. */
interface ReviewCase {
  /** The reader's own open task in it (in 待办), if the current step is theirs. */
  task: { id: string; name: string } | null;
}

/**
 * Which of the records in review are under a review case, and the reader's task in each. Records submitted
 * while the chart is deployed are (their history says 进入审核流程 after the last 提交审核); the explicit 审核 /
 * 保密审查 would be refused for them (in_review_flow), so the page links to the task instead. Asks nothing
 * when the chart is not deployed, which is the demo's mode.
 */
async function loadReviewCases(records: RecordItem[]): Promise<Map<string, ReviewCase>> {
  const out = new Map<string, ReviewCase>();
  const inReview = records.filter(
    (r) => r.publishState === 'inReview' || r.publishState === 'inSecrecyCheck',
  );
  if (!inReview.length) return out;
  const definitions = await get<Items<Definition>>('/process-definitions');
  if (!definitions.items.some((d) => d.key === reviewFlowKey)) return out;
  const [inbox, histories] = await Promise.all([
    get<Items<InboxItem>>('/tasks?view=open'),
    Promise.all(
      inReview.map(async (r) => ({
        record: r,
        items: (await get<Items<HistoryItem>>(`/records/${encodeURIComponent(r.id)}/history`)).items,
      })),
    ),
  ]);
  for (const { record, items } of histories) {
    const submitted = items.findLast((h) => h.action === 'submitted');
    const started = items.findLast((h) => h.action === 'reviewFlowStarted');
    if (started && (!submitted || started.seq > submitted.seq)) out.set(record.id, { task: null });
  }
  // the reader's review tasks: each case names its record (the case variable recordId)
  const mine = inbox.items.filter((t) => t.flowKey === reviewFlowKey && t.taskId);
  await Promise.all(
    mine.map(async (t) => {
      const c = await get<Case>(`/process-instances/${encodeURIComponent(t.instanceId)}`);
      const recordId = c.variables.recordId;
      if (typeof recordId === 'string' && t.taskId)
        out.set(recordId, { task: { id: t.taskId, name: t.taskName ?? '审核' } });
    }),
  );
  return out;
}

const editable = (r: RecordItem) => r.publishState === 'draft' || r.publishState === 'withdrawn';

interface FormValues {
  title: string;
  summary?: string;
  origin: string;
  kind: string;
  /** YYYY-MM-DD: the form keeps text, the date picker shows it as a date. */
  formedOn: string;
  documentNumber?: string;
  attribute: string;
  exemptionBasis?: string;
  channels?: string[];
  body?: string;
  disclosingUnitId: string;
  areaId: string;
  subAreaId?: string;
  stage: string;
}

const recordFieldNames = [
  'title',
  'summary',
  'origin',
  'kind',
  'formedOn',
  'documentNumber',
  'attribute',
  'exemptionBasis',
  'channels',
  'body',
  'disclosingUnitId',
  'areaId',
  'subAreaId',
  'stage',
];

function RecordDrawer({
  record,
  open,
  areas,
  units,
  onClose,
  onSaved,
}: {
  record: RecordItem | null;
  open: boolean;
  areas: Area[];
  units: Unit[];
  onClose(): void;
  onSaved(): void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const areaId = Form.useWatch('areaId', form);
  const attribute = Form.useWatch('attribute', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    setUnplaced([]);
    if (record) {
      form.setFieldsValue({
        title: record.title,
        summary: record.summary ?? '',
        origin: record.origin,
        kind: record.kind,
        formedOn: record.formedOn,
        documentNumber: record.documentNumber ?? '',
        attribute: record.attribute,
        exemptionBasis: record.exemptionBasis ?? '',
        channels: record.channels,
        body: record.body ?? '',
      });
    } else {
      form.setFieldsValue({
        origin: 'produced',
        kind: 'document',
        attribute: 'proactive',
        formedOn: dayjs().format('YYYY-MM-DD'),
      });
    }
  }, [open, record, form]);

  const save = async (v: FormValues) => {
    setBusy(true);
    setError(null);
    setUnplaced([]);
    const blank = (s: string | undefined) => (s?.trim() ? s.trim() : null);
    const fields = {
      title: v.title,
      summary: blank(v.summary),
      origin: v.origin,
      kind: v.kind,
      formedOn: v.formedOn,
      documentNumber: blank(v.documentNumber),
      attribute: v.attribute,
      exemptionBasis: blank(v.exemptionBasis),
      channels: v.channels ?? [],
      body: blank(v.body),
    };
    try {
      if (record) await put(`/records/${encodeURIComponent(record.id)}`, fields);
      else
        await post('/records', {
          ...fields,
          disclosingUnitId: v.disclosingUnitId,
          areaId: v.areaId,
          subAreaId: v.subAreaId ?? null,
          stage: v.stage,
        });
      onSaved();
    } catch (e) {
      setUnplaced(showFieldErrors(form, e, topLevel(...recordFieldNames)));
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const subAreas = areas.find((a) => a.id === areaId)?.subAreas ?? [];

  return (
    <Drawer
      title={record ? `编辑政府信息：${record.title}` : '新建政府信息'}
      open={open}
      onClose={onClose}
      width={720}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            保存
          </Button>
        </Space>
      }
    >
      <FormErrorAlert error={error} unplaced={unplaced} />
      {record ? (
        <Typography.Paragraph type="secondary">
          索引号 {record.indexNumber}（创建时编制，不再改变）· {record.disclosingUnit?.name} ·{' '}
          {record.area?.name} · {record.stageName}
        </Typography.Paragraph>
      ) : null}
      <Form<FormValues> form={form} layout="vertical" onFinish={save} aria-label="政府信息表单">
        {record ? null : (
          <>
            <Form.Item
              label="公开主体"
              name="disclosingUnitId"
              rules={[{ required: true, message: '请选择公开主体' }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={units.map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
            <Space wrap style={{ display: 'flex' }}>
              <Form.Item label="领域" name="areaId" rules={[{ required: true, message: '请选择领域' }]}>
                <Select
                  style={{ width: 220 }}
                  showSearch
                  optionFilterProp="label"
                  options={areas.map((a) => ({ value: a.id, label: a.name }))}
                  onChange={() => form.setFieldValue('subAreaId', undefined)}
                />
              </Form.Item>
              <Form.Item label="子领域" name="subAreaId">
                <Select
                  style={{ width: 220 }}
                  allowClear
                  options={subAreas.map((s) => ({ value: s.id, label: `${s.number} ${s.name}` }))}
                />
              </Form.Item>
              <Form.Item
                label="五公开阶段"
                name="stage"
                rules={[{ required: true, message: '请选择五公开阶段' }]}
              >
                <Select style={{ width: 140 }} options={stageOptions} />
              </Form.Item>
            </Space>
          </>
        )}
        <Form.Item
          label="政府信息名称"
          name="title"
          rules={[{ required: true, message: '政府信息名称不能为空' }]}
        >
          <Input />
        </Form.Item>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item label="信息来源" name="origin">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'produced', label: '制作' },
                { value: 'acquired', label: '获取' },
              ]}
            />
          </Form.Item>
          <Form.Item label="信息类别" name="kind">
            <Select style={{ width: 140 }} options={kindOptions} />
          </Form.Item>
          <Form.Item
            label="形成日期"
            name="formedOn"
            rules={[{ required: true, message: '请填写形成日期' }]}
            getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
            normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item label="文号" name="documentNumber">
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item label="公开属性" name="attribute">
            <Select style={{ width: 140 }} options={attributeOptions} />
          </Form.Item>
          <Form.Item label="公开方式" name="channels">
            <Select
              mode="tags"
              style={{ width: 400 }}
              options={channelSuggestions.map((c) => ({ value: c, label: c }))}
            />
          </Form.Item>
        </Space>
        {attribute === 'exempt' ? (
          <Form.Item label="不公开依据" name="exemptionBasis">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        ) : null}
        <Form.Item label="内容概述" name="summary">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item label="正文" name="body">
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 20 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type Decision = { record: RecordItem; action: 'review' | 'secrecy-check' | 'withdraw' };

export function RecordsPage() {
  const { user } = useSession();
  const { message, modal } = AntApp.useApp();
  const [items, setItems] = useState<RecordItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<string | undefined>();
  const [area, setArea] = useState<string | undefined>();
  const [areas, setAreas] = useState<Area[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [editing, setEditing] = useState<{ record: RecordItem | null } | null>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [note, setNote] = useState('');
  const [history, setHistory] = useState<{
    record: RecordItem;
    items: HistoryItem[];
    objections: ObjectionItem[];
  } | null>(null);
  const [reviewCases, setReviewCases] = useState<Map<string, ReviewCase>>(new Map());
  const reviewer = user.role === 'sysadmin' || user.role === 'leader';
  const writer = reviewer || user.role === 'staff';

  const load = useCallback(async () => {
    setError(null);
    const q = new URLSearchParams({ limit: '500' });
    if (state) q.set('state', state);
    if (area) q.set('area', area);
    try {
      const records = (await get<Items<RecordItem>>(`/records?${q}`)).items;
      setReviewCases(await loadReviewCases(records).catch(() => new Map<string, ReviewCase>()));
      setItems(records);
    } catch (e) {
      setItems([]);
      setError(errorText(e));
    }
  }, [state, area]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    get<Items<Area>>('/areas?adopted=1')
      .then((a) => setAreas(a.items))
      .catch(() => setAreas([]));
    get<Items<Unit>>('/units')
      .then((a) => setUnits(a.items))
      .catch(() => setUnits([]));
  }, []);

  const act = async (label: string, path: string, body: unknown = {}) => {
    try {
      await post(path, body);
      message.success(`${label}成功`);
      await load();
      return true;
    } catch (e) {
      // a submit blocked by unmasked personal data names the fields: show them all
      const fields = e instanceof ApiError ? e.fields : [];
      modal.error({
        title: `${label}失败`,
        content: (
          <>
            <p>{errorText(e)}</p>
            {fields.length ? (
              <ul>
                {fields.map((f) => (
                  <li key={`${f.field}-${f.reason}`}>{f.reason}</li>
                ))}
              </ul>
            ) : null}
          </>
        ),
      });
      return false;
    }
  };

  const showHistory = async (r: RecordItem) => {
    try {
      const id = encodeURIComponent(r.id);
      setHistory({
        record: r,
        items: (await get<Items<HistoryItem>>(`/records/${id}/history`)).items,
        objections:
          r.kind === 'notice' ? (await get<Items<ObjectionItem>>(`/records/${id}/objections`)).items : [],
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  /** Under a review case: the reader's task in 待办, or only where it stands when the step is someone else's. */
  const reviewCaseActions = (r: RecordItem) => {
    const c = reviewCases.get(r.id);
    if (!c) return null;
    const to = c.task ? `/task/${encodeURIComponent(c.task.id)}` : '';
    return c.task ? (
      <Button
        size="small"
        type="primary"
        href={base + to}
        onClick={(e) => {
          e.preventDefault();
          navigate(to);
        }}
      >
        到待办办理{c.task.name}
      </Button>
    ) : (
      <Tooltip title="审核和保密审查在审核流程中由当前环节的办理人在待办中办理">
        <Tag>审核流程中</Tag>
      </Tooltip>
    );
  };

  const columns: ColumnsType<RecordItem> = [
    { title: '索引号', dataIndex: 'indexNumber', width: 190 },
    {
      title: '政府信息名称',
      key: 'title',
      render: (_, r) => (
        <>
          {r.title}
          {r.documentNumber ? <div className="gk-muted">{r.documentNumber}</div> : null}
        </>
      ),
    },
    { title: '领域', key: 'area', width: 110, render: (_, r) => r.area?.name },
    { title: '阶段', dataIndex: 'stageName', width: 60 },
    { title: '公开属性', dataIndex: 'attributeName', width: 96 },
    { title: '公开主体', key: 'unit', width: 150, render: (_, r) => r.disclosingUnit?.name },
    { title: '形成日期', dataIndex: 'formedOn', width: 100 },
    {
      title: '状态',
      key: 'state',
      width: 130,
      render: (_, r) => (
        <Space size={4} wrap>
          <Tag color={stateColors[r.publishState] ?? 'default'}>{r.publishStateName}</Tag>
          {r.late ? <Tag color="red">逾期未公开</Tag> : null}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 220,
      render: (_, r) => (
        <Space size={4} wrap>
          {writer && editable(r) ? (
            <>
              <Button size="small" onClick={() => setEditing({ record: r })}>
                编辑
              </Button>
              <Button
                size="small"
                type="primary"
                onClick={() => void act('提交审核', `/records/${encodeURIComponent(r.id)}/submit`)}
              >
                提交审核
              </Button>
              <Button
                size="small"
                onClick={() =>
                  modal.confirm({
                    title: '对正文和附件中的身份证号、手机号、银行卡号做脱敏处理？',
                    okText: '脱敏',
                    onOk: () => act('脱敏', `/records/${encodeURIComponent(r.id)}/mask`),
                  })
                }
              >
                脱敏
              </Button>
            </>
          ) : null}
          {reviewCaseActions(r)}
          {reviewer && r.publishState === 'inReview' && !reviewCases.has(r.id) ? (
            <Button size="small" type="primary" onClick={() => setDecision({ record: r, action: 'review' })}>
              审核
            </Button>
          ) : null}
          {reviewer && r.publishState === 'inSecrecyCheck' && !reviewCases.has(r.id) ? (
            <Button
              size="small"
              type="primary"
              onClick={() => setDecision({ record: r, action: 'secrecy-check' })}
            >
              保密审查
            </Button>
          ) : null}
          {reviewer && r.publishState === 'approved' ? (
            <Button
              size="small"
              type="primary"
              onClick={() => void act('发布', `/records/${encodeURIComponent(r.id)}/publish`)}
            >
              发布
            </Button>
          ) : null}
          {reviewer && r.publishState === 'published' ? (
            <Button size="small" danger onClick={() => setDecision({ record: r, action: 'withdraw' })}>
              撤回
            </Button>
          ) : null}
          <Button size="small" type="link" onClick={() => void showHistory(r)}>
            记录
          </Button>
        </Space>
      ),
    },
  ];

  const decide = async (choice: 'approve' | 'return') => {
    if (!decision) return;
    const path = `/records/${encodeURIComponent(decision.record.id)}/${decision.action}`;
    const ok =
      decision.action === 'withdraw'
        ? await act('撤回', path, { reason: note })
        : await act(choice === 'approve' ? '审核通过' : '退回', path, { decision: choice, note });
    if (ok) {
      setDecision(null);
      setNote('');
    }
  };

  return (
    <section aria-labelledby="gk-records-title">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={3} id="gk-records-title" style={{ margin: 0 }}>
          政府信息
        </Typography.Title>
        <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => void load()} />
        {writer ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ record: null })}>
            新建政府信息
          </Button>
        ) : null}
        <Select
          allowClear
          placeholder="全部状态"
          aria-label="按状态筛选"
          style={{ width: 140 }}
          options={stateOptions}
          value={state}
          onChange={setState}
        />
        <Select
          allowClear
          placeholder="全部领域"
          aria-label="按领域筛选"
          style={{ width: 180 }}
          options={areas.map((a) => ({ value: a.id, label: a.name }))}
          value={area}
          onChange={setArea}
        />
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Table<RecordItem>
        size="small"
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        columns={columns}
        rowClassName={(r) => (r.late ? 'gk-overdue' : '')}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '没有政府信息' }}
      />
      <RecordDrawer
        open={editing !== null}
        record={editing?.record ?? null}
        areas={areas}
        units={units}
        onClose={() => setEditing(null)}
        onSaved={() => {
          message.success('政府信息已保存');
          setEditing(null);
          void load();
        }}
      />
      <Modal
        open={decision !== null}
        title={
          decision
            ? `${decision.action === 'review' ? '审核' : decision.action === 'secrecy-check' ? '保密审查' : '撤回'}：${decision.record.title}`
            : ''
        }
        onCancel={() => setDecision(null)}
        footer={
          decision?.action === 'withdraw' ? (
            <Space>
              <Button onClick={() => setDecision(null)}>取消</Button>
              <Button danger type="primary" onClick={() => void decide('approve')}>
                撤回
              </Button>
            </Space>
          ) : (
            <Space>
              <Button onClick={() => setDecision(null)}>取消</Button>
              <Button onClick={() => void decide('return')}>退回修改</Button>
              <Button type="primary" onClick={() => void decide('approve')}>
                通过
              </Button>
            </Space>
          )
        }
      >
        <Form layout="vertical">
          <Form.Item
            label={decision?.action === 'withdraw' ? '撤回理由' : '意见'}
            htmlFor="gk-decision-note"
            extra={decision?.action === 'withdraw' ? '必填' : '退回时必填'}
          >
            <Input.TextArea
              id="gk-decision-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              autoSize={{ minRows: 3 }}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Drawer
        open={history !== null}
        title={history ? `办理记录：${history.record.title}` : ''}
        onClose={() => setHistory(null)}
        width={640}
      >
        <Table<HistoryItem>
          size="small"
          rowKey="seq"
          pagination={false}
          dataSource={history?.items ?? []}
          columns={[
            {
              title: '时间',
              dataIndex: 'at',
              width: 170,
              render: (v: string) => v.replace('T', ' ').slice(0, 16),
            },
            {
              title: '操作',
              dataIndex: 'action',
              width: 110,
              render: (a: string) => historyActions[a] ?? a,
            },
            { title: '办理人', dataIndex: 'actor', width: 90 },
            { title: '说明', dataIndex: 'note' },
          ]}
        />
        {history?.record.kind === 'notice' ? (
          <>
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              公示异议（{history.objections.length}）
            </Typography.Title>
            <Table<ObjectionItem>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={history.objections}
              locale={{ emptyText: '公示期内没有收到异议' }}
              columns={[
                { title: '受理编号', dataIndex: 'ref', width: 100 },
                {
                  title: '收到时间',
                  dataIndex: 'createdAt',
                  width: 150,
                  render: (v: string) => v.replace('T', ' ').slice(0, 16),
                },
                { title: '异议内容', dataIndex: 'content' },
                {
                  title: '提出人',
                  key: 'who',
                  width: 140,
                  render: (_, o) => [o.name, o.contact].filter(Boolean).join(' ') || '（未留）',
                },
                {
                  title: '核实',
                  key: 'finding',
                  width: 120,
                  render: (_, o) =>
                    o.finding ??
                    (o.taskId ? <Link to={`/task/${encodeURIComponent(o.taskId)}`}>待核实</Link> : '待核实'),
                },
              ]}
            />
          </>
        ) : null}
      </Drawer>
    </section>
  );
}
