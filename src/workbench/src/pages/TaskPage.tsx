import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { errorText, get, post } from '../api.ts';
import {
  actionNames,
  type FormValue,
  formatTime,
  type Task,
  type TaskAction,
  type TaskFormField,
  taskStatusNames,
} from '../flowTypes.ts';
import { type NamePath, showFieldErrors, topLevel } from '../forms.ts';
import { Link } from '../router.tsx';
import { CaseHistory, doneActivities, useCase } from './CasePage.tsx';
import { FlowDiagram } from './FlowDiagram.tsx';

/** What each action asks for, in the order the buttons stand. */
const forms: Record<
  Exclude<TaskAction, 'complete' | 'claim'>,
  {
    field: 'reason' | 'to' | 'opinion' | 'message' | 'who';
    label: string;
    required: boolean;
    hint?: string;
  }[]
> = {
  return: [
    { field: 'to', label: '退回到', required: true },
    { field: 'reason', label: '退回理由', required: true },
  ],
  supplement: [{ field: 'reason', label: '需要补正的材料', required: true }],
  transfer: [
    {
      field: 'to',
      label: '转给',
      required: true,
      hint: '接收人的用户名（如 sunhonghu），或 position:岗位编号、unit:单位编号',
    },
    { field: 'opinion', label: '转办说明', required: false },
  ],
  delegate: [
    { field: 'to', label: '委托给', required: true, hint: '接收人的用户名；对方办理后回到您这里' },
    { field: 'opinion', label: '委托说明', required: false },
  ],
  urge: [{ field: 'message', label: '催办内容', required: false }],
  recall: [{ field: 'reason', label: '撤回理由', required: false }],
  terminate: [{ field: 'reason', label: '终止理由', required: true }],
  addCountersigner: [{ field: 'who', label: '加签人', required: true, hint: '用户名' }],
  removeCountersigner: [{ field: 'who', label: '减签人', required: true, hint: '尚未办理的会签人的用户名' }],
};

const secondary: Exclude<TaskAction, 'complete' | 'claim'>[] = [
  'return',
  'supplement',
  'transfer',
  'delegate',
  'addCountersigner',
  'removeCountersigner',
  'urge',
  'recall',
  'terminate',
];

interface Values {
  outcome?: string;
  opinion?: string;
  reason?: string;
  to?: string;
  message?: string;
  who?: string;
  /** The fields the chart declares for the step, by variable name (kept apart from the action's own fields). */
  vars?: Record<string, FormValue | undefined>;
}

/** A field with `requiredWhen` is asked only while the other field has that value. */
const asked = (f: TaskFormField, vars: Record<string, FormValue | undefined> | undefined) =>
  !f.requiredWhen || vars?.[f.requiredWhen.field] === f.requiredWhen.value;

/**
 * The variables to send with 办理: every asked field that has a value; a field left blank is sent as null only
 * when it had a value before (a revision that clears 文号), so a blank never adds a variable.
 */
function formVariables(fields: TaskFormField[], vars: Record<string, FormValue | undefined> | undefined) {
  const out: Record<string, FormValue> = {};
  for (const f of fields) {
    if (!asked(f, vars)) continue;
    const raw = vars?.[f.id];
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (v !== undefined && v !== null && v !== '') out[f.id] = v;
    else if (f.value !== null) out[f.id] = null;
  }
  return out;
}

/** One declared field, as a control of its type, with the rule that it is required. */
function FormFieldItem({ field: f }: { field: TaskFormField }) {
  const choose = f.type === 'enum' || f.type === 'boolean' || f.type === 'date';
  const rules =
    f.required || f.requiredWhen
      ? [
          {
            required: true,
            whitespace: f.type === 'string',
            message: `${choose ? '请选择' : '请填写'}${f.label}`,
          },
        ]
      : [];
  const initialValue = Array.isArray(f.value) ? f.value.join('、') : (f.value ?? undefined);
  const common = { label: f.label, name: ['vars', f.id], rules, initialValue };
  switch (f.type) {
    case 'enum':
      return (
        <Form.Item {...common}>
          {f.options.length > 5 ? <Select options={f.options} /> : <Radio.Group options={f.options} />}
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
    case 'long':
      return (
        <Form.Item {...common}>
          <InputNumber precision={0} />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item
          {...common}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
          normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...common}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      );
  }
}

/** The step's declared fields; one asked only under a condition appears when the condition holds. */
function TaskFormFields({ fields }: { fields: TaskFormField[] }) {
  return (
    <>
      {fields.map((f) => {
        const when = f.requiredWhen;
        if (!when) return <FormFieldItem key={f.id} field={f} />;
        return (
          <Form.Item key={f.id} noStyle dependencies={[['vars', when.field]]}>
            {({ getFieldValue }) =>
              getFieldValue(['vars', when.field]) === when.value ? <FormFieldItem field={f} /> : null
            }
          </Form.Item>
        );
      })}
    </>
  );
}

export function TaskPage({ id }: { id: string }) {
  const { message } = AntApp.useApp();
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<TaskAction>('complete');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const caseData = useCase(task?.instance.id ?? null);

  const load = useCallback(async () => {
    try {
      const t = await get<Task>(`/tasks/${encodeURIComponent(id)}`);
      setTask(t);
      setError(null);
      setMode((m) => (t.actions.includes(m) ? m : (t.actions.find((a) => a !== 'claim') ?? 'complete')));
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);

  useEffect(() => {
    setTask(null);
    void load();
  }, [load]);

  const run = async (action: TaskAction, body: Record<string, unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await post(`/tasks/${encodeURIComponent(id)}/${action}`, body);
      message.success(`${actionNames[action] ?? action}成功`);
      form.resetFields();
      await load();
      await caseData.reload();
    } catch (e) {
      // a declared field's error (`variables.docTitle`, or `exemptionBasis` from the module that reads it) goes
      // next to that field; the action's own fields by name; anything else to the alert
      const declared = new Set((task?.form ?? []).map((f) => f.id));
      const own = topLevel('outcome', 'opinion', 'reason', 'to', 'message', 'who');
      showFieldErrors(form, e, (path): NamePath | null => {
        const name = path[0] === 'variables' ? path[1] : path[0];
        return typeof name === 'string' && declared.has(name) ? ['vars', name] : own(path);
      });
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (values: Values) => {
    const clean = (v: string | undefined) => (v?.trim() ? v.trim() : null);
    if (mode === 'complete') {
      return run('complete', {
        outcome: values.outcome ?? null,
        opinion: clean(values.opinion),
        variables: formVariables(task?.form ?? [], values.vars),
      });
    }
    if (mode === 'claim') return run('claim', {});
    const body: Record<string, unknown> = {};
    for (const f of forms[mode]) body[f.field] = clean(values[f.field]);
    return run(mode, body);
  };

  if (error) return <Result status="warning" title="无法打开这个待办" subTitle={error} />;
  if (!task) return <Spin />;

  const canComplete = task.actions.includes('complete');
  const offered = secondary.filter((a) => task.actions.includes(a));
  const isSupplement = task.kind === 'supplement';

  return (
    <section aria-labelledby="gk-task-title">
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} id="gk-task-title" style={{ margin: 0 }}>
          {task.name}
        </Typography.Title>
        <Tag color={task.status === 'open' ? 'processing' : 'default'}>
          {taskStatusNames[task.status] ?? task.status}
        </Tag>
        {task.overdue ? <Tag color="red">已超期</Tag> : null}
      </Space>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="流程">
          {task.instance.code ? `${task.instance.code} ` : ''}
          {task.instance.name}
        </Descriptions.Item>
        <Descriptions.Item label="办件">
          <Link to={`/case/${encodeURIComponent(task.instance.id)}`}>查看办件全貌</Link>
        </Descriptions.Item>
        <Descriptions.Item label="接收时间">{formatTime(task.createdAt)}</Descriptions.Item>
        {task.dueAt ? <Descriptions.Item label="办理期限">{formatTime(task.dueAt)}</Descriptions.Item> : null}
        <Descriptions.Item label="可办理人">
          {task.mayAct
            .filter((p) => p !== null)
            .map((p) => p.displayName)
            .join('、') || '（无）'}
        </Descriptions.Item>
        {task.owner ? <Descriptions.Item label="委托人">{task.owner.displayName}</Descriptions.Item> : null}
        {task.completedBy ? (
          <Descriptions.Item label="办理人">{task.completedBy.displayName}</Descriptions.Item>
        ) : null}
        {task.completedAt ? (
          <Descriptions.Item label="办理时间">{formatTime(task.completedAt)}</Descriptions.Item>
        ) : null}
        {task.outcome ? <Descriptions.Item label="办理结果">{task.outcome}</Descriptions.Item> : null}
        {task.opinion ? <Descriptions.Item label="意见">{task.opinion}</Descriptions.Item> : null}
      </Descriptions>
      {task.notices.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={task.notices.map((n) => `${formatTime(n.at)} ${n.message}`).join('；')}
        />
      ) : null}

      {task.kind === 'objection' ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="群众在公示期内提出了异议，内容见办件全貌中的“收到公示异议”。请核实后选择核实结论并写明核实情况；办件不因此流转，公示期满后由处理异议环节统一研判。"
        />
      ) : null}
      {task.actions.length ? (
        <Card size="small" title="办理" style={{ marginBottom: 12 }}>
          {task.actions.includes('claim') ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message="这项工作由多人共同候选，签收后由您办理。"
              action={
                <Button size="small" loading={busy} onClick={() => void run('claim', {})}>
                  签收
                </Button>
              }
            />
          ) : null}
          {offered.length || canComplete ? (
            <Radio.Group
              value={mode}
              onChange={(e) => {
                setMode(e.target.value as TaskAction);
                setActionError(null);
                form.resetFields();
              }}
              optionType="button"
              style={{ marginBottom: 12 }}
              aria-label="办理方式"
              options={[
                ...(canComplete ? [{ value: 'complete', label: isSupplement ? '提交补正' : '办理' }] : []),
                ...offered.map((a) => ({ value: a, label: actionNames[a] ?? a })),
              ]}
            />
          ) : null}
          {actionError ? (
            <Alert type="error" showIcon role="alert" message={actionError} style={{ marginBottom: 12 }} />
          ) : null}
          {mode === 'claim' ? null : (
            <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} aria-label="办理">
              {mode === 'complete' ? (
                <>
                  <TaskFormFields fields={task.form} />
                  {task.outcomes.length ? (
                    <Form.Item
                      label="办理结果"
                      name="outcome"
                      rules={[{ required: true, message: '请选择办理结果' }]}
                    >
                      <Radio.Group options={task.outcomes.map((o) => ({ value: o, label: o }))} />
                    </Form.Item>
                  ) : null}
                  <Form.Item label={isSupplement ? '补正说明' : '意见'} name="opinion">
                    <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
                  </Form.Item>
                </>
              ) : (
                forms[mode].map((f) =>
                  mode === 'return' && f.field === 'to' ? (
                    <Form.Item key={f.field} label={f.label} name="to" initialValue="previous">
                      <Select
                        options={[
                          { value: 'previous', label: '上一环节' },
                          { value: 'submitter', label: '发起人' },
                        ]}
                      />
                    </Form.Item>
                  ) : (
                    <Form.Item
                      key={f.field}
                      label={f.label}
                      name={f.field}
                      extra={f.hint}
                      rules={
                        f.required ? [{ required: true, whitespace: true, message: `请填写${f.label}` }] : []
                      }
                    >
                      {f.field === 'to' || f.field === 'who' ? (
                        <Input />
                      ) : (
                        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
                      )}
                    </Form.Item>
                  ),
                )
              )}
              <Button type="primary" htmlType="submit" loading={busy}>
                {mode === 'complete'
                  ? isSupplement
                    ? '提交补正'
                    : '提交'
                  : `确认${actionNames[mode] ?? mode}`}
              </Button>
            </Form>
          )}
        </Card>
      ) : null}

      {caseData.data ? (
        <>
          <Card size="small" title="流程图" style={{ marginBottom: 12 }}>
            <FlowDiagram
              flowKey={caseData.data.definition.key}
              version={caseData.data.definition.version}
              current={caseData.data.currentSteps.map((s) => s.activityId)}
              done={doneActivities(caseData.data.history)}
            />
          </Card>
          <Card size="small" title="办理记录">
            <CaseHistory history={caseData.data.history} />
          </Card>
        </>
      ) : caseData.error ? (
        <Alert type="warning" showIcon message={caseData.error} />
      ) : null}
    </section>
  );
}
