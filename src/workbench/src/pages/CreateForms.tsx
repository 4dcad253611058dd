import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { errorText, post } from '../api.ts';
import { showFieldErrors, topLevel } from '../forms.ts';
import { positionKindNames, type Unit, unitKindNames } from '../types.ts';

export type CreateKind = 'unit' | 'position' | 'person';

interface Props {
  kind: CreateKind | null;
  /** The unit the new unit sits under, the position belongs to, or the person works in. */
  unit: Unit;
  onClose(): void;
  onCreated(kind: CreateKind): void;
}

const titles: Record<CreateKind, string> = { unit: '新建下级单位', position: '新建岗位', person: '新建人员' };

type Values = Record<string, string | number | null | undefined>;

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : (v ?? null));

/** One modal for the three registry creations; each field shows the API's reason next to it. */
export function CreateModal({ kind, unit, onClose, onCreated }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    if (!kind) return;
    setBusy(true);
    setError(null);
    try {
      if (kind === 'unit') {
        await post('/units', {
          parentId: unit.id,
          name: values.name,
          shortName: blankToNull(values.shortName),
          kind: values.kind,
          regionCode: blankToNull(values.regionCode),
          remit: blankToNull(values.remit),
        });
      } else if (kind === 'position') {
        await post('/positions', {
          unitId: unit.id,
          name: values.name,
          kind: values.kind,
          category: blankToNull(values.category),
          serial: values.serial ?? null,
          number: values.number ?? null,
        });
      } else {
        await post('/people', { name: values.name, unitId: unit.id, title: blankToNull(values.title) });
      }
      form.resetFields();
      onCreated(kind);
    } catch (e) {
      showFieldErrors(
        form,
        e,
        topLevel('name', 'shortName', 'kind', 'regionCode', 'remit', 'category', 'serial', 'number', 'title'),
      );
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={kind ? `${titles[kind]}（${unit.name}）` : ''}
      open={kind !== null}
      onCancel={() => {
        setError(null);
        form.resetFields();
        onClose();
      }}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? (
        <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit} aria-label={kind ? titles[kind] : undefined}>
        {kind === 'unit' ? (
          <>
            <Form.Item label="单位名称" name="name" rules={[{ required: true, message: '单位名称不能为空' }]}>
              <Input />
            </Form.Item>
            <Form.Item label="简称" name="shortName">
              <Input />
            </Form.Item>
            <Form.Item label="单位类型" name="kind" initialValue="section" rules={[{ required: true }]}>
              <Select options={Object.entries(unitKindNames).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item label="区划代码" name="regionCode" extra="6 位数字，可不填">
              <Input />
            </Form.Item>
            <Form.Item label="职责（宗旨和业务范围）" name="remit">
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'position' ? (
          <>
            <Form.Item label="岗位名称" name="name" rules={[{ required: true, message: '岗位名称不能为空' }]}>
              <Input />
            </Form.Item>
            <Form.Item label="岗位性质" name="kind" initialValue="business" rules={[{ required: true }]}>
              <Select
                options={Object.entries(positionKindNames).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item label="岗位类别" name="category" extra="如：领导岗位、业务岗位">
              <Input />
            </Form.Item>
            <Form.Item label="序号" name="serial">
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item label="岗位编号" name="number">
              <InputNumber min={1} precision={0} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'person' ? (
          <>
            <Form.Item label="姓名" name="name" rules={[{ required: true, message: '姓名不能为空' }]}>
              <Input />
            </Form.Item>
            <Form.Item label="职务" name="title">
              <Input />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
