import { AutoComplete, Checkbox, Form, type FormInstance, Input, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorText, get } from '../api.ts';
import { useSession } from '../session.tsx';
import type { Items, Unit } from '../types.ts';
import { DateItem, type FormValues } from './ActionModal.tsx';
import {
  appealKindOptions,
  appealResultOptions,
  automaticOutcomes,
  type Outcome,
  outcomeGroupNames,
  stageOptions,
} from './infoRequestTypes.ts';

// The fields of the handling actions that need more than a date and a text: 交办 (unit, then a person of it),
// 答复 (an outcome of table 三 and what its letter needs), 送达 (with filing as a record), 复议/诉讼.

interface Handler {
  id: string;
  displayName: string;
  username: string;
  posts: string[];
}

/** Loaded once per screen and kept: the lists do not change while a request is handled. */
function useList<T>(path: string | null): { items: T[]; error: string | null } {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!path) {
      setItems([]);
      return;
    }
    let live = true;
    get<Items<T>>(path)
      .then((a) => {
        if (live) {
          setItems(a.items);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(e));
      });
    return () => {
      live = false;
    };
  }, [path]);
  return { items, error };
}

export function AssignFields({ form }: { form: FormInstance<FormValues> }) {
  const { user } = useSession();
  const units = useList<Unit>('/units');
  const unitId = Form.useWatch('unitId', form) as string | undefined;
  const handlers = useList<Handler>(
    unitId ? `/info-requests/handlers?unit=${encodeURIComponent(unitId)}` : null,
  );
  const handlerOptions = useMemo(() => {
    const options = handlers.items.map((h) => ({
      value: h.id,
      label: `${h.displayName}（${h.posts.join('；')}）`,
    }));
    // the office may keep a request and handle it itself
    if (!handlers.items.some((h) => h.id === user.id))
      options.unshift({ value: user.id, label: `${user.displayName}（本人）` });
    return options;
  }, [handlers.items, user]);
  return (
    <>
      <Form.Item
        name="unitId"
        label="承办单位"
        extra="申请仍以受理机关名义答复（条例第四条）；承办单位的工作人员可以办理"
        rules={[{ required: true, message: '请选择承办单位' }]}
      >
        <Select
          showSearch
          optionFilterProp="label"
          options={units.items.map((u) => ({ value: u.id, label: u.name }))}
          onChange={() => form.setFieldValue('handlerUserId', undefined)}
        />
      </Form.Item>
      <Form.Item
        name="handlerUserId"
        label="承办人"
        extra={handlers.error ?? '只有承办人能看到申请人完整的个人信息'}
        validateStatus={handlers.error ? 'error' : undefined}
        rules={[{ required: true, message: '请选择承办人' }]}
      >
        <Select showSearch optionFilterProp="label" options={handlerOptions} />
      </Form.Item>
      <Form.Item name="note" label="交办说明">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );
}

export function ReplyFields({ form }: { form: FormInstance<FormValues> }) {
  const outcomes = useList<Outcome>('/info-requests/outcomes');
  const code = Form.useWatch('outcome', form) as string | undefined;
  const chosen = outcomes.items.find((o) => o.code === code);
  const groups = useMemo(() => {
    const out = new Map<string, Outcome[]>();
    for (const o of outcomes.items) {
      if (automaticOutcomes.has(o.code)) continue;
      out.set(o.group, [...(out.get(o.group) ?? []), o]);
    }
    return [...out].map(([group, list]) => ({
      label: outcomeGroupNames[group] ?? group,
      options: list.map((o) => ({ value: o.code, label: o.label })),
    }));
  }, [outcomes.items]);
  const needsReason = chosen?.group === 'partial' || chosen?.group === 'exempt';
  return (
    <>
      <Form.Item
        name="outcome"
        label="答复类型"
        extra={
          chosen
            ? `依据：${chosen.law}`
            : (outcomes.error ?? '年度报告表三的分类（条例第三十六条、第三十七条）')
        }
        rules={[{ required: true, message: '请选择答复类型' }]}
      >
        <Select showSearch optionFilterProp="label" options={groups} />
      </Form.Item>
      <Form.Item
        name="detail"
        label={needsReason ? '理由' : '答复内容'}
        extra={
          code === 'alreadyPublic'
            ? '写明获取途径（条例第三十六条第（一）项）'
            : needsReason
              ? '不予公开或部分公开的，应当说明理由'
              : undefined
        }
        rules={needsReason ? [{ required: true, message: '请写明理由' }] : []}
      >
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      {code === 'unavailable.notHeld' ? (
        <Form.Item name="otherAgency" label="负责公开的机关" extra="能够确定的，告知申请人该行政机关的名称">
          <Input maxLength={200} />
        </Form.Item>
      ) : null}
      <Form.Item name="letterNumber" label="答复书文号">
        <Input maxLength={100} />
      </Form.Item>
      <DateItem name="onDate" label="答复日期" required="请选择答复日期" />
      <Typography.Text type="secondary">
        救济途径默认写“本机关的上一级行政机关或者本级人民政府”和“有管辖权的人民法院”，可在下面写明具体机关。
      </Typography.Text>
      <Form.Item name="reviewBody" label="行政复议机关">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="court" label="人民法院">
        <Input maxLength={200} />
      </Form.Item>
    </>
  );
}

interface Area {
  id: string;
  name: string;
}

const deliveryWays = ['邮寄', '当面领取', '电子邮件', '网上获取', '传真'].map((value) => ({ value }));

export function DeliverFields({ form }: { form: FormInstance<FormValues> }) {
  const file = Form.useWatch('file', form) as boolean | undefined;
  const areas = useList<Area>(file ? '/areas?adopted=1' : null);
  return (
    <>
      <DateItem name="onDate" label="送达日期" required="请选择送达日期" />
      <Form.Item name="method" label="送达方式" rules={[{ required: true, message: '请填写送达方式' }]}>
        <AutoComplete options={deliveryWays} maxLength={60} />
      </Form.Item>
      <Form.Item name="note" label="说明">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="file" valuePropName="checked">
        <Checkbox>同时作为依申请公开的政府信息归档（答复书隐去个人信息后存为草稿，经审核发布）</Checkbox>
      </Form.Item>
      {file ? (
        <>
          <Form.Item name="areaId" label="领域" rules={[{ required: true, message: '请选择领域' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={areas.items.map((a) => ({ value: a.id, label: a.name }))}
            />
          </Form.Item>
          <Form.Item name="stage" label="五公开阶段">
            <Select options={stageOptions} />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

export function AppealFields({ form, result }: { form: FormInstance<FormValues>; result?: boolean }) {
  const chosen = Form.useWatch('result', form) as string | undefined;
  return (
    <>
      {result ? null : (
        <>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={appealKindOptions} />
          </Form.Item>
          <DateItem name="filedOn" label="申请复议或起诉日期" required="请选择日期" />
        </>
      )}
      <Form.Item name="result" label="结果" rules={[{ required: true, message: '请选择结果' }]}>
        <Select options={appealResultOptions} />
      </Form.Item>
      {chosen && chosen !== 'pending' ? (
        <DateItem name="concludedOn" label="审结日期" required="已审结的请填写审结日期" />
      ) : null}
      <Form.Item name="note" label="说明">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );
}

/** The body of 送达: the record placement only when filing was chosen. */
export function deliverBody(v: FormValues, blank: (x: unknown) => string | null) {
  return {
    onDate: v.onDate ?? null,
    method: blank(v.method) ?? '',
    note: blank(v.note),
    record: v.file ? { areaId: v.areaId ?? '', stage: v.stage ?? 'result' } : null,
  };
}
