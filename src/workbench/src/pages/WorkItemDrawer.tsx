import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { errorText, type FieldError, post, put } from '../api.ts';
import { type NamePath, showFieldErrors } from '../forms.ts';
import type { Person, Position, Responsibility, WorkItem } from '../types.ts';
import { FormErrorAlert } from './FormErrorAlert.tsx';

/** The kinds of 岗位责任 the seed tables use; others may be typed in. */
const responsibilityKinds = [
  '决策责任',
  '审核责任',
  '执行责任',
  '上报责任',
  '监督责任',
  '管理责任',
  '协调责任',
];

interface Values {
  number: string;
  title: string;
  functions: string[];
  responsibilities: Responsibility[];
  flowCodes: string[];
  leadPersonId: string | null;
  assistantIds: string[];
  note: string;
}

interface Props {
  /** The item being edited, or null to add a new item to `position`. */
  item: WorkItem | null;
  position: Position | null;
  open: boolean;
  people: Person[];
  onClose(): void;
  onSaved(item: WorkItem | null): void;
}

const listFields = new Set(['functions', 'responsibilities']);
const singleFields = new Set(['number', 'title', 'flowCodes', 'leadPersonId', 'assistantIds', 'note']);

/**
 * Where an API field error belongs in this form: list entries (`functions.2`) on their own line; a whole
 * responsibility (`responsibilities.1`) on its text; codes and people, shown in one control each, on it.
 */
function formName(path: NamePath): NamePath | null {
  const [head, index, sub] = path;
  if (typeof head !== 'string') return null;
  if (listFields.has(head) && typeof index === 'number') {
    if (head === 'responsibilities') return [head, index, typeof sub === 'string' ? sub : 'text'];
    return [head, index];
  }
  if (singleFields.has(head)) return [head];
  return null;
}

function toValues(item: WorkItem | null): Values {
  return {
    number: item?.number ?? '',
    title: item?.title ?? '',
    functions: item?.functions ?? [],
    responsibilities: item?.responsibilities ?? [],
    flowCodes: item?.flowCodes ?? [],
    leadPersonId: item?.lead?.id ?? null,
    assistantIds: item?.assistants.map((a) => a.id) ?? [],
    note: item?.note ?? '',
  };
}

export function WorkItemDrawer({ item, position, open, people, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(toValues(item));
      setError(null);
      setUnplaced([]);
    }
  }, [open, item, form]);

  const personOptions = people.map((p) => ({
    value: p.id,
    label: p.title ? `${p.name}（${p.title}）` : p.name,
  }));

  const save = async (values: Values) => {
    setBusy(true);
    setError(null);
    setUnplaced([]);
    const body = {
      number: values.number.trim() || null,
      title: values.title,
      functions: values.functions ?? [],
      responsibilities: values.responsibilities ?? [],
      flowCodes: values.flowCodes ?? [],
      leadPersonId: values.leadPersonId ?? null,
      assistantIds: values.assistantIds ?? [],
      note: values.note.trim() || null,
    };
    try {
      if (item) onSaved(await put<WorkItem>(`/work-items/${encodeURIComponent(item.id)}`, body));
      else if (position) {
        await post(`/positions/${encodeURIComponent(position.id)}/work-items`, body);
        onSaved(null);
      }
    } catch (e) {
      setUnplaced(showFieldErrors(form, e, formName));
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title={item ? `编辑工作事项：${item.title}` : `新增工作事项${position ? `（${position.name}）` : ''}`}
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
      <Form<Values> form={form} layout="vertical" onFinish={save} aria-label="工作事项表单">
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item label="编号" name="number" style={{ width: 120 }}>
            <Input />
          </Form.Item>
          <Form.Item
            label="工作事项"
            name="title"
            style={{ flex: 1 }}
            rules={[{ required: true, message: '工作事项不能为空' }]}
          >
            <Input />
          </Form.Item>
        </div>

        <Form.List name="functions">
          {(fields, { add, remove }) => (
            <fieldset className="gk-fieldset">
              <legend>岗位职能描述</legend>
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    name={field.name}
                    label={`职能 ${i + 1}`}
                    style={{ width: 600 }}
                    rules={[{ required: true, whitespace: true, message: '职能描述不能为空，不需要请删除' }]}
                  >
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={`删除职能 ${i + 1}`}
                    onClick={() => remove(field.name)}
                  />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                添加职能
              </Button>
            </fieldset>
          )}
        </Form.List>

        <Form.List name="responsibilities">
          {(fields, { add, remove }) => (
            <fieldset className="gk-fieldset">
              <legend>岗位责任描述</legend>
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'kind']} label={`责任 ${i + 1} 类型`} style={{ width: 150 }}>
                    <AutoComplete options={responsibilityKinds.map((k) => ({ value: k }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'text']} label={`责任 ${i + 1} 内容`} style={{ width: 440 }}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={`删除责任 ${i + 1}`}
                    onClick={() => remove(field.name)}
                  />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: '', text: '' })}>
                添加责任
              </Button>
            </fieldset>
          )}
        </Form.List>

        <Form.Item label="工作流程（编号）" name="flowCodes" extra="输入流程图编号后按回车，例如 01-1-1">
          <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
        </Form.Item>
        <Form.Item label="牵头负责人" name="leadPersonId">
          <Select allowClear showSearch optionFilterProp="label" options={personOptions} />
        </Form.Item>
        <Form.Item label="辅助人员" name="assistantIds">
          <Select mode="multiple" showSearch optionFilterProp="label" options={personOptions} />
        </Form.Item>
        <Form.Item label="备注" name="note">
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
