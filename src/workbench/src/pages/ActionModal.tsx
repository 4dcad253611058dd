import { DatePicker, Form, type FormInstance, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { errorText, type FieldError } from '../api.ts';
import { type NamePath, showFieldErrors, topLevel } from '../forms.ts';
import { FormErrorAlert } from './FormErrorAlert.tsx';

// One modal form for an action on a request or a report: it sends, and on refusal puts the API's field errors
// ({code, message, fields}) next to their fields and the rest in the alert at the top.

export type FormValues = Record<string, unknown>;

export const today = () => dayjs().format('YYYY-MM-DD');

/** A text value as the API takes it: trimmed, and null when blank. */
export const blank = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** A date field kept as YYYY-MM-DD text in the form and shown with the date picker. */
export function DateItem({
  name,
  label,
  required,
  extra,
}: {
  name: string;
  label: string;
  required?: string;
  extra?: ReactNode;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={required ? [{ required: true, message: required }] : []}
      getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
      normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
    >
      <DatePicker allowClear={!required} />
    </Form.Item>
  );
}

export interface ActionModalProps {
  title: string;
  okText?: string;
  open: boolean;
  /** The form's top-level field names, to place the API's field errors. */
  fields: string[];
  /** The API's name of a field when the form names it otherwise (receivedOn → the date the channel asks). */
  alias?: (path: NamePath, values: FormValues) => NamePath | null;
  initialValues?: FormValues;
  onSubmit(values: FormValues): Promise<void>;
  onClose(): void;
  children: ReactNode | ((form: FormInstance<FormValues>) => ReactNode);
  width?: number;
}

export function ActionModal(props: ActionModalProps) {
  const { title, open, fields, alias, initialValues, onSubmit, onClose, children } = props;
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  // read when the modal opens: a caller's literal must not reset the form on every render
  const initial = useRef(initialValues);
  initial.current = initialValues;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFields(Object.entries(initial.current ?? {}).map(([name, value]) => ({ name, value })));
    setError(null);
    setUnplaced([]);
  }, [open, form]);

  const finish = async (values: FormValues) => {
    setBusy(true);
    setError(null);
    setUnplaced([]);
    try {
      await onSubmit(values);
    } catch (e) {
      const place = topLevel(...fields);
      setUnplaced(showFieldErrors(form, e, (p) => alias?.(p, values) ?? place(p)));
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={props.okText ?? '确定'}
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      width={props.width ?? 560}
    >
      <FormErrorAlert error={error} unplaced={unplaced} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={finish}
        aria-label={title}
        // an error the API put on a field goes once the person changes that field
        onValuesChange={(changed: FormValues) =>
          form.setFields(
            Object.keys(changed)
              .filter((name) => form.getFieldError(name).length)
              .map((name) => ({ name, errors: [] })),
          )
        }
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
