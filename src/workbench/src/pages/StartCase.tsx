import { Alert, App as AntApp, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorText, get, post } from '../api.ts';
import type { Case, Definition } from '../flowTypes.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

/** 发起办件: the flows there are, and a case started on one of them. */
export function StartCasePage() {
  const { user } = useSession();
  const { message } = AntApp.useApp();
  const [definitions, setDefinitions] = useState<Definition[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [starting, setStarting] = useState<Definition | null>(null);
  const [businessKey, setBusinessKey] = useState('');
  const [startError, setStartError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: Definition[] }>('/process-definitions')
      .then((a) => setDefinitions(a.items))
      .catch((e: unknown) => {
        setDefinitions([]);
        setError(errorText(e));
      });
  }, []);

  const start = async () => {
    if (!starting) return;
    setBusy(true);
    setStartError(null);
    try {
      const started = await post<Case>(`/process-definitions/${encodeURIComponent(starting.key)}/instances`, {
        businessKey: businessKey.trim() || null,
      });
      message.success(`已发起：${starting.name}`);
      setStarting(null);
      // the first step is often the starter's own (e.g. 提出议题): open it straight away
      const mine = started.currentSteps.find(
        (s) => s.assignee?.id === user.id || s.candidates.some((c) => c?.id === user.id),
      );
      navigate(mine ? `/task/${encodeURIComponent(mine.taskId)}` : `/case/${encodeURIComponent(started.id)}`);
    } catch (e) {
      setStartError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const shown = (definitions ?? []).filter(
    (d) => !filter || d.name.includes(filter) || (d.code ?? '').includes(filter) || d.key.includes(filter),
  );

  return (
    <section aria-labelledby="gk-start-title">
      <Typography.Title level={3} id="gk-start-title">
        发起办件
      </Typography.Title>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Input.Search
        placeholder="按流程名称或编号查找"
        aria-label="查找流程"
        allowClear
        onChange={(e) => setFilter(e.target.value.trim())}
        style={{ maxWidth: 360, marginBottom: 12 }}
      />
      <Table<Definition>
        size="middle"
        rowKey="id"
        loading={definitions === null}
        dataSource={shown}
        pagination={false}
        locale={{ emptyText: '还没有流程' }}
        columns={[
          {
            title: '流程编号',
            key: 'code',
            width: 110,
            render: (_, d) => (d.code ? <Tag>{d.code}</Tag> : null),
          },
          { title: '流程名称', dataIndex: 'name' },
          { title: '版本', key: 'version', width: 80, render: (_, d) => `第 ${d.version} 版` },
          {
            title: '操作',
            key: 'actions',
            width: 100,
            render: (_, d) => (
              <Button
                type="primary"
                size="small"
                aria-label={`发起：${d.name}`}
                onClick={() => {
                  setBusinessKey('');
                  setStartError(null);
                  setStarting(d);
                }}
              >
                发起
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title={starting ? `发起：${starting.name}` : ''}
        open={starting !== null}
        onCancel={() => setStarting(null)}
        onOk={() => void start()}
        okText="发起"
        confirmLoading={busy}
      >
        {startError ? (
          <Alert type="error" showIcon role="alert" message={startError} style={{ marginBottom: 12 }} />
        ) : null}
        <Form layout="vertical">
          <Form.Item label="办件标题或文号" htmlFor="gk-business-key" extra="可不填，便于在列表中辨认">
            <Input
              id="gk-business-key"
              value={businessKey}
              maxLength={200}
              onChange={(e) => setBusinessKey(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
