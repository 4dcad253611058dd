import { EditOutlined } from '@ant-design/icons';
import { Button, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Position, Unit, WorkItem } from '../types.ts';

interface Row {
  key: string;
  position: Position;
  unit: Unit;
  serial: number;
  /** Rows of the position this row opens (0 for the rows under it): the printed table merges those cells. */
  span: number;
  item: WorkItem | null;
}

/** All rows of the table: one per work item, positions without items get one empty row, as on paper. */
export function dutyRows(units: Unit[]): Row[] {
  const positions = units.flatMap((u) => u.positions.map((p) => ({ unit: u, position: p })));
  return positions.flatMap(({ unit, position }, pi) => {
    const items: (WorkItem | null)[] = position.workItems.length ? position.workItems : [null];
    return items.map((item, i) => ({
      key: item?.id ?? `position-${position.id}`,
      position,
      unit,
      serial: position.serial ?? pi + 1,
      span: i === 0 ? items.length : 0,
      item,
    }));
  });
}

function List({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  if (items.length === 1) return <>{items[0]}</>;
  return (
    <ol className="gk-cell-list">
      {items.map((t, i) => (
        // the same sentence may stand twice in a hand-made table; the position keeps them apart
        // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity but their place
        <li key={i}>{t}</li>
      ))}
    </ol>
  );
}

interface Props {
  units: Unit[];
  rootUnitId: string;
  canEdit: boolean;
  onEdit(item: WorkItem, position: Position): void;
}

/** The 定岗定责定流程表 with the printed table's nine columns, position cells merged over their items. */
export function DutyTable({ units, rootUnitId, canEdit, onEdit }: Props) {
  const rows = dutyRows(units);
  const spanned = (r: Row) => ({ rowSpan: r.span });
  const columns: ColumnsType<Row> = [
    { title: '序号', key: 'serial', width: 56, onCell: spanned, render: (_, r) => r.serial },
    {
      title: '岗位名称',
      key: 'position',
      width: 150,
      onCell: spanned,
      render: (_, r) => (
        <>
          {r.position.category ? <div className="gk-muted">{r.position.category}</div> : null}
          <div>
            {r.position.number ? `${r.position.number}、` : ''}
            {r.position.name}
          </div>
          {r.unit.id !== rootUnitId ? <div className="gk-muted">（{r.unit.name}）</div> : null}
        </>
      ),
    },
    {
      title: '工作事项',
      key: 'title',
      width: 160,
      render: (_, r) => (r.item ? `${r.item.number ? `${r.item.number}、` : ''}${r.item.title}` : null),
    },
    { title: '岗位职能描述', key: 'functions', render: (_, r) => <List items={r.item?.functions ?? []} /> },
    {
      title: '岗位责任描述',
      key: 'responsibilities',
      render: (_, r) => <List items={(r.item?.responsibilities ?? []).map((x) => `${x.kind}：${x.text}`)} />,
    },
    { title: '工作流程', key: 'flows', width: 90, render: (_, r) => r.item?.flowCodes.join(' ') },
    { title: '牵头负责人', key: 'lead', width: 90, render: (_, r) => r.item?.lead?.name },
    {
      title: '辅助人员',
      key: 'assistants',
      width: 110,
      render: (_, r) => r.item?.assistants.map((a) => a.name).join('、'),
    },
    { title: '备注', key: 'note', width: 90, render: (_, r) => r.item?.note },
  ];
  if (canEdit) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 72,
      fixed: 'right',
      render: (_, r) =>
        r.item ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            aria-label={`编辑工作事项：${r.item.title}`}
            onClick={() => r.item && onEdit(r.item, r.position)}
          >
            编辑
          </Button>
        ) : null,
    });
  }
  return (
    <Table<Row>
      className="gk-duty-table"
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={rows}
      scroll={{ x: 1200 }}
      locale={{ emptyText: '本单位还没有岗位和工作事项' }}
    />
  );
}
