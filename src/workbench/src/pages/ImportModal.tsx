import { InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Modal, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, errorText, upload } from '../api.ts';
import type { Unit } from '../types.ts';

/** One bad row of an imported sheet, as the import reports it (row 0 is the file as a whole). */
interface RowError {
  row: number;
  column: string;
  reason: string;
}

/** A successful import: how many positions and work items the unit now has from the sheet. */
interface ImportAnswer {
  positions: number;
  workItems: number;
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function isRowError(v: unknown): v is RowError {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.row === 'number' && typeof r.column === 'string' && typeof r.reason === 'string';
}

/** The bad rows of a rejected import: the answer's `rows`, or else its field errors as they are. */
function rowsOf(error: ApiError): RowError[] {
  const rows = (error.body as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows) && rows.every(isRowError)) return rows;
  return error.fields.map((f) => ({ row: 0, column: f.field, reason: f.reason }));
}

interface Props {
  open: boolean;
  unit: Unit;
  onClose(): void;
  onImported(): void;
}

/**
 * Upload a filled-in 定岗定责定流程表 (.xlsx). The import is all-or-nothing: when any row is bad nothing changes,
 * and every bad row is listed here so the whole sheet can be fixed in one go.
 */
export function ImportModal({ open, unit, onClose, onImported }: Props) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<RowError[]>([]);

  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    setRows([]);
    try {
      // the type is set here, not taken from the file: some systems report .xlsx files with none
      const answer = await upload<ImportAnswer>(
        `/units/${encodeURIComponent(unit.id)}/duty-table`,
        file,
        xlsxType,
      );
      message.success(`导入完成：${answer.positions} 个岗位、${answer.workItems} 项工作事项`);
      onImported();
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) setRows(rowsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`导入定岗定责定流程表（${unit.name}）`}
      open={open}
      onCancel={() => {
        setError(null);
        setRows([]);
        onClose();
      }}
      footer={null}
      width={760}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        导入会用表格内容替换本单位及下属单位现有的岗位和工作事项。建议先“导出
        Excel”，在导出的表格上修改后再导入。
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{busy ? '正在导入…' : '点击或拖入 .xlsx 文件'}</p>
      </Upload.Dragger>
      {error ? <Alert type="error" showIcon role="alert" message={error} style={{ marginTop: 16 }} /> : null}
      {rows.length ? (
        <Table<RowError>
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
          pagination={false}
          dataSource={rows}
          aria-label="导入错误"
          columns={[
            { title: '行', dataIndex: 'row', width: 60, render: (r: number) => (r === 0 ? '整个文件' : r) },
            { title: '列', dataIndex: 'column', width: 120 },
            { title: '问题', dataIndex: 'reason' },
          ]}
        />
      ) : null}
    </Modal>
  );
}
