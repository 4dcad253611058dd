import {
  DownloadOutlined,
  PlusOutlined,
  PrinterOutlined,
  ReloadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Result,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { download, errorText, get } from '../api.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import {
  type Items,
  type Person,
  type Position,
  positionKindNames,
  type Unit,
  type UnitDetail,
  unitKindNames,
  type WorkItem,
} from '../types.ts';
import { type CreateKind, CreateModal } from './CreateForms.tsx';
import { DutyTables } from './DutyTable.tsx';
import { ImportModal } from './ImportModal.tsx';
import { WorkItemDrawer } from './WorkItemDrawer.tsx';

interface TreeNode extends DataNode {
  key: string;
  title: string;
  children: TreeNode[];
}

function buildTree(units: Unit[], filter: string): TreeNode[] {
  const byParent = new Map<string | null, Unit[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = byParent.get(parent) ?? [];
    list.push(u);
    byParent.set(parent, list);
  }
  const node = (u: Unit): TreeNode | null => {
    const children = (byParent.get(u.id) ?? []).map(node).filter((n): n is TreeNode => n !== null);
    if (filter && !u.name.includes(filter) && children.length === 0) return null;
    return { key: u.id, title: u.name, children, isLeaf: children.length === 0 };
  };
  return (byParent.get(null) ?? []).map(node).filter((n): n is TreeNode => n !== null);
}

/** The units from the root down to `id`, so the tree opens on the selected unit. */
function ancestors(units: Unit[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  let u = byId.get(id);
  while (u?.parentId) {
    out.push(u.parentId);
    u = byId.get(u.parentId);
  }
  return out;
}

type Editing = { item: WorkItem | null; position: Position } | null;

export function RegistryPage({ unitId }: { unitId: string | null }) {
  const { isAdmin } = useSession();
  const { message } = AntApp.useApp();
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [treeError, setTreeError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<string[]>([]);
  const [detail, setDetail] = useState<UnitDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [loadingDetail, setLoadingDetail] = useState(false);
  const [people, setPeople] = useState<Person[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  const [creating, setCreating] = useState<CreateKind | null>(null);
  const [importing, setImporting] = useState(false);

  const loadUnits = useCallback(async () => {
    try {
      const answer = await get<Items<Unit>>('/units');
      setUnits(answer.items);
      setTreeError(null);
      return answer.items;
    } catch (e) {
      setTreeError(errorText(e));
      return null;
    }
  }, []);

  const loadDetail = useCallback(async (id: string) => {
    setLoadingDetail(true);
    try {
      setDetail(await get<UnitDetail>(`/units/${encodeURIComponent(id)}`));
      setDetailError(null);
    } catch (e) {
      setDetail(null);
      setDetailError(errorText(e));
    } finally {
      setLoadingDetail(false);
    }
  }, []);

  useEffect(() => {
    void loadUnits().then((items) => {
      // without a unit in the address, open the first top-level unit with duties of its own
      if (!unitId && items?.length) {
        const first = items.find((u) => !u.parentId && u.workItemCount > 0) ?? items[0];
        if (first) navigate(`/org/${first.id}`, { replace: true });
      }
    });
  }, [loadUnits, unitId]);

  useEffect(() => {
    if (unitId) void loadDetail(unitId);
  }, [unitId, loadDetail]);

  useEffect(() => {
    // open the tree down to the unit, and the unit itself so its sections show
    if (units && unitId) setExpanded((prev) => [...new Set([...prev, ...ancestors(units, unitId), unitId])]);
  }, [units, unitId]);

  useEffect(() => {
    get<Items<Person>>('/people')
      .then((a) => setPeople(a.items))
      .catch(() => setPeople([]));
  }, []);

  const tree = useMemo(() => (units ? buildTree(units, filter.trim()) : []), [units, filter]);

  const refresh = async () => {
    await loadUnits();
    if (unitId) await loadDetail(unitId);
  };

  const exportExcel = async () => {
    if (!detail) return;
    try {
      await download(
        `/units/${encodeURIComponent(detail.id)}/duty-table.xlsx`,
        `${detail.name}定岗定责定流程表.xlsx`,
      );
    } catch (e) {
      message.error(`导出失败：${errorText(e)}`);
    }
  };

  return (
    <div className="gk-registry">
      <Card className="gk-tree-card" title="单位" size="small">
        <Input.Search
          placeholder="查找单位"
          aria-label="查找单位"
          allowClear
          onChange={(e) => setFilter(e.target.value)}
          style={{ marginBottom: 8 }}
        />
        {treeError ? <Alert type="error" showIcon message={treeError} /> : null}
        {units === null && !treeError ? <Spin /> : null}
        <nav aria-label="单位树">
          <Tree
            treeData={tree}
            selectedKeys={unitId ? [unitId] : []}
            expandedKeys={filter ? undefined : expanded}
            defaultExpandAll={filter !== ''}
            onExpand={(keys) => setExpanded(keys.map(String))}
            onSelect={(keys) => {
              const key = keys[0];
              if (key !== undefined) navigate(`/org/${String(key)}`);
            }}
            blockNode
          />
        </nav>
      </Card>

      <div className="gk-unit">
        {detailError ? <Result status="warning" title="无法打开这个单位" subTitle={detailError} /> : null}
        {!detail && !detailError ? loadingDetail ? <Spin /> : <Empty description="请在左侧选择单位" /> : null}
        {detail ? (
          <UnitPanel
            unit={detail}
            isAdmin={isAdmin}
            loading={loadingDetail}
            onEdit={(item, position) => setEditing({ item, position })}
            onAddItem={(position) => setEditing({ item: null, position })}
            onCreate={setCreating}
            onExport={exportExcel}
            onImport={() => setImporting(true)}
            onRefresh={refresh}
          />
        ) : null}
      </div>

      <WorkItemDrawer
        open={editing !== null}
        item={editing?.item ?? null}
        position={editing?.position ?? null}
        people={people}
        onClose={() => setEditing(null)}
        onSaved={() => {
          message.success('工作事项已保存');
          setEditing(null);
          void refresh();
        }}
      />
      {detail ? (
        <>
          <CreateModal
            kind={creating}
            unit={detail}
            onClose={() => setCreating(null)}
            onCreated={(kind) => {
              message.success(
                kind === 'unit' ? '单位已创建' : kind === 'position' ? '岗位已创建' : '人员已创建',
              );
              setCreating(null);
              if (kind === 'person') {
                void get<Items<Person>>('/people').then((a) => setPeople(a.items));
              }
              void refresh();
            }}
          />
          <ImportModal
            open={importing}
            unit={detail}
            onClose={() => setImporting(false)}
            onImported={() => {
              setImporting(false);
              void refresh();
            }}
          />
        </>
      ) : null}
    </div>
  );
}

interface PanelProps {
  unit: UnitDetail;
  isAdmin: boolean;
  loading: boolean;
  onEdit(item: WorkItem, position: Position): void;
  onAddItem(position: Position): void;
  onCreate(kind: CreateKind): void;
  onExport(): void;
  onImport(): void;
  onRefresh(): void;
}

function UnitPanel({
  unit,
  isAdmin,
  loading,
  onEdit,
  onAddItem,
  onCreate,
  onExport,
  onImport,
  onRefresh,
}: PanelProps) {
  const all = [unit, ...unit.descendants];
  const positions = all.flatMap((u) => u.positions.map((p) => ({ ...p, unitName: u.name })));
  const itemCount = all.reduce((n, u) => n + u.workItemCount, 0);
  const leaders = unit.positions.filter((p) => p.kind === 'head' || p.kind === 'deputy');

  return (
    <section aria-labelledby="gk-unit-name">
      <Space align="center" wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space align="center">
          <Typography.Title level={3} id="gk-unit-name" style={{ margin: 0 }}>
            {unit.name}
          </Typography.Title>
          <Tag>{unitKindNames[unit.kind] ?? unit.kind}</Tag>
        </Space>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={onRefresh} loading={loading} aria-label="刷新" />
          <Button
            icon={<PrinterOutlined />}
            onClick={() => window.open(`/org/${encodeURIComponent(unit.id)}/table`, '_blank', 'noopener')}
          >
            打印
          </Button>
          <Button icon={<DownloadOutlined />} onClick={onExport}>
            导出 Excel
          </Button>
          {isAdmin ? (
            <>
              <Button icon={<UploadOutlined />} onClick={onImport}>
                导入 Excel
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => onCreate('unit')}>
                新建下级单位
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => onCreate('position')}>
                新建岗位
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => onCreate('person')}>
                新建人员
              </Button>
            </>
          ) : null}
        </Space>
      </Space>

      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        {unit.remit ? <Descriptions.Item label="宗旨和业务范围">{unit.remit}</Descriptions.Item> : null}
        {leaders.length ? (
          <Descriptions.Item label="领导">
            {leaders
              .map(
                (p) =>
                  `${p.holders.map((h) => h.name).join('、') || '（空缺）'} ${p.name}${
                    p.supervises.length ? `，分管${p.supervises.map((s) => s.name).join('、')}` : ''
                  }`,
              )
              .join('；')}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label="规模">
          共 {positions.length} 个岗位、{itemCount} 项工作事项
        </Descriptions.Item>
        {unit.memberUnits.length ? (
          <Descriptions.Item label="成员单位">
            {unit.memberUnits.map((m) => m.name).join('、')}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <Tabs
        defaultActiveKey="table"
        items={[
          {
            key: 'table',
            label: '定岗定责定流程表',
            children: <DutyTables units={all} tables={unit.dutyTables} canEdit={isAdmin} onEdit={onEdit} />,
          },
          {
            key: 'positions',
            label: '岗位与人员',
            children: (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={positions}
                locale={{ emptyText: '还没有岗位' }}
                columns={[
                  { title: '岗位名称', dataIndex: 'name' },
                  { title: '所在单位', dataIndex: 'unitName' },
                  { title: '性质', dataIndex: 'kind', render: (k: string) => positionKindNames[k] ?? k },
                  {
                    title: '在岗人员',
                    key: 'holders',
                    render: (_, p) => p.holders.map((h) => h.name).join('、') || '（空缺）',
                  },
                  {
                    title: '分管',
                    key: 'supervises',
                    render: (_, p) => p.supervises.map((s) => s.name).join('、'),
                  },
                  { title: '工作事项', key: 'items', render: (_, p) => p.workItems.length },
                  ...(isAdmin
                    ? [
                        {
                          title: '操作',
                          key: 'actions',
                          render: (_: unknown, p: Position) => (
                            <Button size="small" icon={<PlusOutlined />} onClick={() => onAddItem(p)}>
                              添加工作事项
                            </Button>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
        ]}
      />
    </section>
  );
}
