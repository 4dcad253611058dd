import { Button, InputNumber, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';

// Tables 二, 三 and 四 of the annual report in the 2021 format (国办公开办函〔2021〕30号), as
// GET /api/v1/reports/annual/{year} computes them (src/requests/report/annualReport.ts).

export interface Table2Row {
  key: string;
  label: string;
  block: string;
  values: Record<string, number | null>;
  sources: Record<string, 'entered' | 'records' | null>;
}

export interface Table3Row {
  key: string;
  label: string;
  level: number;
  cells: Record<string, number>;
}

export type Table4 = Record<string, Record<string, number>>;

export interface Figure {
  row: string;
  column: string;
  value: number;
}

const table2ColumnNames: Record<string, string> = {
  issued: '本年制发件数',
  repealed: '本年废止件数',
  inForce: '现行有效件数',
  decisions: '本年处理决定数量',
  amountTenThousandYuan: '本年收费金额（单位：万元）',
};

interface FigureRow {
  id: string;
  block: string;
  label: string;
  row: string;
  column: string;
  value: number | null;
  source: 'entered' | 'records' | null;
}

/** 二、主动公开政府信息情况: one line per figure; staff enter what the records cannot count. */
export function Table2({ rows, onSave }: { rows: Table2Row[]; onSave(figures: Figure[]): Promise<void> }) {
  const [editing, setEditing] = useState<Record<string, number | null> | null>(null);
  const [busy, setBusy] = useState(false);
  const lines: FigureRow[] = rows.flatMap((r) =>
    Object.entries(r.values).map(([column, value]) => ({
      id: `${r.key}.${column}`,
      block: r.block,
      label: r.label,
      row: r.key,
      column,
      value,
      source: r.sources[column] ?? null,
    })),
  );
  const save = async () => {
    if (!editing) return;
    setBusy(true);
    try {
      const figures = lines.flatMap((l) => {
        const v = editing[l.id];
        return typeof v === 'number' && v !== l.value ? [{ row: l.row, column: l.column, value: v }] : [];
      });
      await onSave(figures);
      setEditing(null);
    } finally {
      setBusy(false);
    }
  };
  const columns: ColumnsType<FigureRow> = [
    { title: '条款', dataIndex: 'block', width: 150 },
    { title: '信息内容', dataIndex: 'label', width: 160 },
    { title: '项目', key: 'column', render: (_, l) => table2ColumnNames[l.column] ?? l.column },
    {
      title: '数量',
      key: 'value',
      width: 180,
      render: (_, l) =>
        editing ? (
          <InputNumber
            aria-label={`${l.label}${table2ColumnNames[l.column] ?? l.column}`}
            min={0}
            value={editing[l.id] ?? null}
            onChange={(v) => setEditing({ ...editing, [l.id]: typeof v === 'number' ? v : null })}
          />
        ) : (
          <Space>
            {l.value ?? '—'}
            {l.source === 'records' ? <Tag>据已发布信息统计</Tag> : null}
            {l.source === 'entered' ? <Tag color="blue">填报</Tag> : null}
          </Space>
        ),
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        {editing ? (
          <>
            <Button type="primary" loading={busy} onClick={() => void save()}>
              保存表二
            </Button>
            <Button onClick={() => setEditing(null)}>取消</Button>
          </>
        ) : (
          <Button onClick={() => setEditing(Object.fromEntries(lines.map((l) => [l.id, l.value])))}>
            填报表二
          </Button>
        )}
      </Space>
      <Table<FigureRow>
        size="small"
        rowKey="id"
        pagination={false}
        bordered
        dataSource={lines}
        columns={columns}
      />
    </>
  );
}

const num = (key: string, title: string) => ({
  title,
  key,
  width: 80,
  align: 'right' as const,
  render: (_: unknown, r: Table3Row) => r.cells[key] ?? 0,
});

const table3Columns: ColumnsType<Table3Row> = [
  {
    title: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
    key: 'label',
    render: (_, r) => <span style={{ paddingLeft: `${r.level * 1.5}em` }}>{r.label}</span>,
  },
  {
    title: '申请人情况',
    children: [
      num('naturalPerson', '自然人'),
      {
        title: '法人或其他组织',
        children: [
          num('business', '商业企业'),
          num('research', '科研机构'),
          num('publicWelfare', '社会公益组织'),
          num('legalService', '法律服务机构'),
          num('other', '其他'),
        ],
      },
      num('total', '总计'),
    ],
  },
];

/** 三、收到和处理政府信息公开申请情况. */
export function Table3({ rows }: { rows: Table3Row[] }) {
  return (
    <Table<Table3Row>
      className="gk-report-table3"
      size="small"
      rowKey="key"
      pagination={false}
      bordered
      dataSource={rows}
      columns={table3Columns}
    />
  );
}

const results = [
  ['upheld', '结果维持'],
  ['corrected', '结果纠正'],
  ['other', '其他结果'],
  ['pending', '尚未审结'],
  ['total', '总计'],
] as const;

const group = (kind: string, title: string) => ({
  title,
  children: results.map(([result, name]) => ({
    title: name,
    key: `${kind}.${result}`,
    align: 'right' as const,
    render: (_: unknown, t: Table4) => t[kind]?.[result] ?? 0,
  })),
});

/** 四、政府信息公开行政复议、行政诉讼情况: 15 cells. */
export function Table4View({ table }: { table: Table4 }) {
  return (
    <Table<Table4>
      size="small"
      rowKey={() => 'table4'}
      pagination={false}
      bordered
      dataSource={[table]}
      columns={[
        group('reconsideration', '行政复议'),
        {
          title: '行政诉讼',
          children: [
            group('litigationDirect', '未经复议直接起诉'),
            group('litigationAfterReconsideration', '复议后起诉'),
          ],
        },
      ]}
    />
  );
}
