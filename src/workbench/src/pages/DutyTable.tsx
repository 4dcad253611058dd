import { EditOutlined } from '@ant-design/icons';
import { Button, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { DutyTableOut, Position, Unit, WorkItem } from '../types.ts';

interface Row {
  key: string;
  position: Position;
  unit: Unit;
  serial: number;
  /** Rows of the position this row opens (0 for the rows under it): the printed table merges those cells. */
  span: number;
  item: WorkItem | null;
}

/**
 * The rows of one printed table: one per work item, positions without items get one empty row, as on paper.
 * Which posts stand in the table, and in which order, is the server's rule (src/registry/dutyTables.ts, the same
 * the printable page uses); the 序号 is the post's own, else its place in the table.
 */
export function dutyRows(table: DutyTableOut, units: Unit[]): Row[] {
  const byId = new Map(
    units.flatMap((u) => u.positions.map((p) => [p.id, { unit: u, position: p }] as const)),
  );
  const positions = table.positionIds.flatMap((id) => {
    const found = byId.get(id);
    return found ? [found] : [];
  });
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
  /** The unit and everything below it: the posts the tables name. */
  units: Unit[];
  tables: DutyTableOut[];
  canEdit: boolean;
  onEdit(item: WorkItem, position: Position): void;
}

/**
 * The 定岗定责定流程表 as the bureau prints it (seed 000): the unit's table with its 股室' posts in 序号 order, then
 * one table for each 所属单位 with its 隶属关系 and 宗旨和业务范围.
 */
export function DutyTables({ units, tables, canEdit, onEdit }: Props) {
  return (
    <>
      {tables.map((t, i) => {
        const headingId = `gk-duty-table-${t.unitId}`;
        return (
          <section key={t.unitId} aria-labelledby={headingId} style={{ marginBottom: 24 }}>
            <Typography.Title level={4} id={headingId} style={{ textAlign: 'center' }}>
              {t.name}定岗定责定流程表
            </Typography.Title>
            {t.affiliation ? <Typography.Paragraph>隶属关系：{t.affiliation}</Typography.Paragraph> : null}
            {/* the first table's remit stands in the unit's description above it */}
            {i > 0 && t.remit ? <Typography.Paragraph>宗旨和业务范围：{t.remit}</Typography.Paragraph> : null}
            <DutyTable table={t} units={units} canEdit={canEdit} onEdit={onEdit} />
          </section>
        );
      })}
    </>
  );
}

/** One table with the printed table's nine columns, position cells merged over their items. */
function DutyTable({ table, units, canEdit, onEdit }: { table: DutyTableOut } & Omit<Props, 'tables'>) {
  const rows = dutyRows(table, units);
  const spanned = (r: Row) => ({ rowSpan: r.span });
  const columns: ColumnsType<Row> = [
    {
      title: '序号',
      key: 'serial',
      width: 56,
      className: 'gk-serial',
      onCell: spanned,
      render: (_, r) => r.serial,
    },
    {
      title: '岗位名称',
      key: 'position',
      width: 150,
      onCell: spanned,
      render: (_, r) => (
        <>
          {r.position.category ? <div className="gk-muted">{r.position.category}</div> : null}
          <div className="gk-position-name">
            {r.position.number ? `${r.position.number}、` : ''}
            {r.position.name}
          </div>
          {/* a post of a 股室 stands in its bureau's table: the 股室 is named under it */}
          {r.unit.id !== table.unitId ? <div className="gk-muted">（{r.unit.name}）</div> : null}
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
