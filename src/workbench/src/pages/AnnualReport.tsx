import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { download, errorText, get, post, put } from '../api.ts';
import { useSession } from '../session.tsx';
import type { Items, Unit } from '../types.ts';
import {
  type Figure,
  Table2,
  type Table2Row,
  Table3,
  type Table3Row,
  type Table4,
  Table4View,
} from './AnnualReportTables.tsx';
import { receivingUnitKinds } from './infoRequestTypes.ts';

// 政府信息公开工作年度报告 (条例 Art. 49, 50; the 2021 format): tables 二, 三, 四 computed from the data with the
// format's checks, sections 一, 五, 六 written by staff, exported as .docx / .xlsx, and published as a record
// by the office head (src/requests/report/routes.ts).

interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

interface Report {
  year: number;
  scope: { unitId: string | null; unitName: string };
  sections: Record<string, string>;
  table2: Table2Row[];
  table3: Table3Row[];
  table4: Table4;
  checks: Check[];
  allChecksPassed: boolean;
  previousPublished: boolean;
  nextPublished: boolean;
}

const sectionTitles: [string, string][] = [
  ['1', '一、总体情况'],
  ['5', '五、存在的主要问题及改进情况'],
  ['6', '六、其他需要报告的事项'],
];

const thisYear = new Date().getFullYear();
/** The report is written in January–March for the year before (Art. 49: by 31 January / 31 March). */
const defaultYear = new Date().getMonth() < 3 ? thisYear - 1 : thisYear;
const years = Array.from({ length: 8 }, (_, i) => thisYear - i);

function Checks({ checks }: { checks: Check[] }) {
  const failed = checks.filter((c) => !c.passed);
  return (
    <Alert
      type={failed.length ? 'error' : 'success'}
      showIcon
      message={failed.length ? `${failed.length} 项校验未通过，不能发布` : '校验全部通过'}
      description={
        <ul className="gk-cell-list" aria-label="校验结果">
          {checks.map((c) => (
            <li key={c.name}>
              {c.passed ? (
                <CheckCircleFilled style={{ color: '#52c41a' }} />
              ) : (
                <CloseCircleFilled style={{ color: '#f5222d' }} />
              )}{' '}
              {c.name}：{c.detail}
            </li>
          ))}
        </ul>
      }
      style={{ marginBottom: 16 }}
    />
  );
}

function SectionEditor({
  title,
  text,
  onSave,
}: {
  title: string;
  text: string;
  onSave(t: string): Promise<void>;
}) {
  const [value, setValue] = useState(text);
  const [busy, setBusy] = useState(false);
  useEffect(() => setValue(text), [text]);
  const save = async () => {
    setBusy(true);
    try {
      await onSave(value);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={title}
      style={{ marginBottom: 16 }}
      extra={
        <Button size="small" loading={busy} disabled={value === text} onClick={() => void save()}>
          保存
        </Button>
      }
    >
      <Input.TextArea
        aria-label={title}
        rows={4}
        maxLength={50_000}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
    </Card>
  );
}

export function AnnualReportPage() {
  const { message, modal } = AntApp.useApp();
  const { user } = useSession();
  const [year, setYear] = useState(defaultYear);
  const [unit, setUnit] = useState<string | null>(null);
  const [units, setUnits] = useState<Unit[]>([]);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const scope = unit ? `?unit=${encodeURIComponent(unit)}` : '';
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setReport(await get<Report>(`/reports/annual/${year}${scope}`));
    } catch (e) {
      setReport(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [year, scope]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    get<Items<Unit>>('/units')
      .then((a) => setUnits(a.items.filter((u) => receivingUnitKinds.has(u.kind))))
      .catch((e: unknown) => message.error(errorText(e)));
  }, [message]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      message.success(done);
      await load();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const saveSection = (section: string, text: string) =>
    act(() => put(`/reports/annual/${year}/sections/${section}${scope}`, { text }), '已保存');
  const saveFigures = (figures: Figure[]) =>
    act(() => put(`/reports/annual/${year}/figures${scope}`, { figures }), '表二已保存');
  const exportAs = (format: 'docx' | 'xlsx') =>
    download(
      `/reports/annual/${year}/export${scope ? `${scope}&` : '?'}format=${format}`,
      `annual-report-${year}.${format}`,
    ).catch((e: unknown) => message.error(errorText(e)));
  const publish = async () => {
    try {
      const r = await post<{ indexNumber: string }>(`/reports/annual/${year}/publish${scope}`);
      modal.success({
        title: '年度报告已发布',
        content: `已作为政府信息在门户网站公开，索引号 ${r.indexNumber}。`,
      });
      await load();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <section aria-labelledby="gk-report-title">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={3} id="gk-report-title" style={{ margin: 0 }}>
          政府信息公开工作年度报告
        </Typography.Title>
        <Select
          aria-label="年度"
          style={{ width: 110 }}
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: `${y}年度` }))}
        />
        <Select
          aria-label="报告单位"
          style={{ width: 240 }}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="全部机关"
          value={unit ?? undefined}
          onChange={(v?: string) => setUnit(v ?? null)}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
        />
        <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => void load()} />
        <Button icon={<DownloadOutlined />} onClick={() => void exportAs('docx')}>
          导出 Word
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => void exportAs('xlsx')}>
          导出 Excel
        </Button>
        {user.role === 'leader' ? (
          <Popconfirm
            title="发布年度报告"
            description="发布后表三、表四数据冻结，报告作为政府信息在门户网站公开。"
            okText="发布"
            cancelText="取消"
            onConfirm={() => void publish()}
            disabled={!report?.allChecksPassed}
          >
            <Button type="primary" disabled={!report?.allChecksPassed}>
              发布
            </Button>
          </Popconfirm>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      {loading && !report ? <Spin /> : null}
      {report ? (
        <Spin spinning={loading}>
          <Typography.Paragraph type="secondary">
            {report.scope.unitName} · {report.year}年度
            {report.previousPublished ? <Tag style={{ marginLeft: 8 }}>上年度报告已发布</Tag> : null}
            {report.nextPublished ? <Tag>下年度报告已发布</Tag> : null}
            {user.role === 'leader' ? null : (
              <span> · 发布须由政府信息公开工作机构负责人（领导账号）操作</span>
            )}
          </Typography.Paragraph>
          <Checks checks={report.checks} />
          <SectionEditor
            title={sectionTitles[0]![1]}
            text={report.sections['1'] ?? ''}
            onSave={(t) => saveSection('1', t)}
          />
          <Typography.Title level={4}>二、主动公开政府信息情况</Typography.Title>
          <Table2 rows={report.table2} onSave={saveFigures} />
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            三、收到和处理政府信息公开申请情况
          </Typography.Title>
          <Table3 rows={report.table3} />
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            四、政府信息公开行政复议、行政诉讼情况
          </Typography.Title>
          <Table4View table={report.table4} />
          <div style={{ marginTop: 16 }}>
            {sectionTitles.slice(1).map(([key, title]) => (
              <SectionEditor
                key={key}
                title={title}
                text={report.sections[key] ?? ''}
                onSave={(t) => saveSection(key, t)}
              />
            ))}
          </div>
        </Spin>
      ) : null}
    </section>
  );
}
