import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Progress, Radio, Result, Row, Select, Space, Statistic, Steps, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../../api/client';
import { useUser } from '../../../app/auth';
import { useCurrentStation } from '../../../app/station';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ResponsiveTable } from '../../../components/ResponsiveTable';
import { MAPPING_TARGETS, ROSTER_FIELDS, type MappingTarget } from '../../../../../server/src/modules/roster/fields';
import { useVillages } from '../components/api';
import { LAWFUL_BASES, type LawfulBasis } from '../components/options';
import { download, fetchProgress, newImportId, uploadRoster, type ImportColumnView, type ImportResultView, type Progress as ServerProgress } from './rosterApi';

type Mode = 'valid_only' | 'all_or_nothing';
type Issue = ImportResultView['problems'][number];
interface Busy {
  upload: number;
  server: ServerProgress | null;
}

const MAX_BYTES = 20 * 1024 * 1024;
/** Rows of problems shown on the page; the workbook has them all. */
const SHOWN = 200;

const sizeText = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function useTargetLabel() {
  const { t } = useTranslation();
  return (target: MappingTarget) =>
    target.startsWith('phone:') ? t('roster.target.phone', { relation: t(`residents.phoneRelation.${target.slice(6)}`) }) : t(`roster.target.${target}`);
}

/** The wizard: choose a file → check the column mapping → dry run results → import → summary. */
export function ImportWizard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const station = useCurrentStation(user);
  const villages = useVillages(station?.id);
  const targetLabel = useTargetLabel();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResultView | null>(null);
  const [mapping, setMapping] = useState<Record<string, MappingTarget | null>>({});
  const [lawfulBasis, setLawfulBasis] = useState<LawfulBasis>('statutory_duty');
  const [villageId, setVillageId] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('valid_only');
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ImportResultView | null>(null);
  const poll = useRef<number | null>(null);
  useEffect(() => () => {
    if (poll.current) window.clearInterval(poll.current);
  }, []);

  async function send(f: File, opts: { dryRun: boolean; mapping: Record<string, MappingTarget | null> }): Promise<ImportResultView | null> {
    setError(null);
    const importId = newImportId();
    setBusy({ upload: 0, server: null });
    poll.current = window.setInterval(() => {
      void fetchProgress(importId).then((p) => p && setBusy((b) => (b ? { ...b, server: p } : b)));
    }, 500);
    try {
      return await uploadRoster({
        file: f,
        importId,
        query: { dryRun: String(opts.dryRun), mode: opts.dryRun ? undefined : mode },
        fields: { mapping: Object.keys(opts.mapping).length ? JSON.stringify(opts.mapping) : undefined, lawfulBasis, villageId },
        onUpload: (percent) => setBusy((b) => (b ? { ...b, upload: percent } : b)),
      });
    } catch (e) {
      // All or nothing refused: the answer still carries the check results to show.
      if (isApiError(e) && e.id === 'import_has_problems' && e.details.result) setResult(e.details.result as ImportResultView);
      setError(e);
      return null;
    } finally {
      if (poll.current) window.clearInterval(poll.current);
      poll.current = null;
      setBusy(null);
    }
  }

  async function choose(f: File, keepMapping: boolean) {
    if (!/\.(xlsx|csv|txt)$/i.test(f.name)) {
      setError(new Error(t('roster.file.wrongType')));
      return;
    }
    if (f.size > MAX_BYTES) {
      setError(new Error(t('roster.file.tooLarge')));
      return;
    }
    setFile(f);
    const m = keepMapping ? mapping : {};
    const r = await send(f, { dryRun: true, mapping: m });
    if (!r) return;
    setResult(r);
    setMapping(Object.fromEntries(r.columns.map((c) => [c.header, c.target])));
    setStep(keepMapping ? 2 : 1);
  }

  async function check() {
    if (!file) return;
    const r = await send(file, { dryRun: true, mapping });
    if (!r) return;
    setResult(r);
    setStep(2);
  }

  async function commit() {
    if (!file) return;
    const r = await send(file, { dryRun: false, mapping });
    if (!r) return;
    setDone(r);
    setStep(4);
    message.success(t('roster.done.title'));
  }

  async function downloadProblems() {
    if (!file) return;
    const form = new FormData();
    form.append('mapping', JSON.stringify(mapping));
    form.append('lawfulBasis', lawfulBasis);
    if (villageId) form.append('villageId', villageId);
    form.append('file', file, file.name);
    try {
      await download('/api/residents/import/problems.xlsx', 'roster-problems.xlsx', form);
    } catch (e) {
      setError(e);
    }
  }

  function restart() {
    setStep(0);
    setFile(null);
    setResult(null);
    setMapping({});
    setDone(null);
    setError(null);
  }

  const chosen = Object.values(mapping).filter((v): v is MappingTarget => !!v);
  const twice = ROSTER_FIELDS.find((f) => chosen.filter((c) => c === f).length > 1);
  const hasName = chosen.includes('name');
  const hasVillage = chosen.includes('village');

  const steps = [t('roster.steps.file'), t('roster.steps.mapping'), t('roster.steps.check'), t('roster.steps.commit'), t('roster.steps.done')];

  const picker = (label: string, keepMapping: boolean, testId: string) => (
    <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => (void choose(f, keepMapping), false)} disabled={!!busy}>
      <Button icon={<UploadOutlined />} disabled={!!busy} data-testid={testId}>
        {label}
      </Button>
    </Upload>
  );

  return (
    <div className="xq-roster-wizard">
      <Steps current={step} size="small" items={steps.map((title) => ({ title }))} className="xq-roster-steps" />
      <ErrorAlert error={error} testId="import-error" />
      {busy && <BusyBar busy={busy} />}

      {step === 0 && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            disabled={!!busy}
            beforeUpload={(f) => (void choose(f, false), false)}
            data-testid="import-dropzone"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('roster.file.drop')}</p>
            <p className="ant-upload-hint">{t('roster.file.hint')}</p>
          </Upload.Dragger>
          <Space wrap>
            <Button icon={<FileExcelOutlined />} onClick={() => void download('/api/residents/import/template.xlsx', 'roster-template.xlsx').catch(setError)} data-testid="import-template">
              {t('roster.file.template')}
            </Button>
            <Typography.Text type="secondary">{t('roster.file.templateHint')}</Typography.Text>
          </Space>
        </Space>
      )}

      {step === 1 && result && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('roster.mapping.intro')}</Typography.Paragraph>
          <Space wrap size={[8, 4]}>
            {file && <Tag>{t('roster.file.chosen', { name: file.name, size: sizeText(file.size) })}</Tag>}
            <Tag>{t('roster.mapping.headerRow', { row: result.headerRow })}</Tag>
            {result.sheetName && <Tag>{t('roster.mapping.sheet', { name: result.sheetName })}</Tag>}
            {result.encoding && <Tag>{t('roster.mapping.encoding', { encoding: result.encoding.toUpperCase() })}</Tag>}
          </Space>
          <ResponsiveTable<ImportColumnView>
            testId="import-mapping"
            rows={result.columns}
            rowKey={(c) => String(c.index)}
            loading={false}
            empty={null}
            cardTitle={(c) => c.header}
            columns={[
              { key: 'header', title: t('roster.mapping.header'), hideOnCard: true, render: (c) => <Typography.Text strong>{c.header}</Typography.Text> },
              {
                key: 'target',
                title: t('roster.mapping.target'),
                render: (c) => (
                  <Space direction="vertical" size={2} style={{ width: '100%' }}>
                    <Select<string>
                      className="xq-roster-select"
                      value={mapping[c.header] ?? ''}
                      onChange={(v) => setMapping((m) => ({ ...m, [c.header]: (v || null) as MappingTarget | null }))}
                      options={[{ value: '', label: t('roster.mapping.ignore') }, ...MAPPING_TARGETS.map((target) => ({ value: target, label: targetLabel(target) }))]}
                      aria-label={c.header}
                      data-testid={`mapping-${c.index}`}
                    />
                    {!mapping[c.header] && c.ignored && <Typography.Text type="secondary">{t(`roster.mapping.ignored.${c.ignored}`)}</Typography.Text>}
                    {mapping[c.header] !== c.target && <Typography.Text type="warning">{t('roster.mapping.manual')}</Typography.Text>}
                  </Space>
                ),
              },
              {
                key: 'sample',
                title: t('roster.mapping.sample'),
                render: (c) => {
                  const i = result.columns.indexOf(c);
                  const values = result.preview.map((p) => p.cells[i]).filter(Boolean).slice(0, 2);
                  return <Typography.Text type="secondary">{values.join(' / ') || '—'}</Typography.Text>;
                },
              },
            ]}
          />
          {twice && <Alert type="error" showIcon title={t('roster.mapping.twice', { field: targetLabel(twice) })} />}
          {!hasName && <Alert type="warning" showIcon title={t('roster.mapping.missingName')} />}
          {!hasVillage && <Alert type="warning" showIcon title={t('roster.mapping.missingVillage')} />}
          <Row gutter={[16, 12]}>
            <Col xs={24} md={12} className="xq-roster-field">
              <Typography.Text strong>{t('roster.mapping.defaultVillage')}</Typography.Text>
              <Select<string>
                className="xq-roster-select"
                allowClear
                value={villageId}
                onChange={(v) => setVillageId(v || undefined)}
                placeholder={t('roster.mapping.defaultVillageNone')}
                options={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
                data-testid="import-default-village"
              />
            </Col>
            <Col xs={24} md={12} className="xq-roster-field">
              <Typography.Text strong>{t('roster.mapping.lawfulBasis')}</Typography.Text>
              <Select<LawfulBasis>
                className="xq-roster-select"
                value={lawfulBasis}
                onChange={setLawfulBasis}
                options={LAWFUL_BASES.map((b) => ({ value: b, label: t(`residents.lawfulBasis.${b}`) }))}
                data-testid="import-lawful-basis"
              />
              <Typography.Text type="secondary">{t('roster.mapping.lawfulBasisHint')}</Typography.Text>
            </Col>
          </Row>
          <Space wrap>
            <Button type="primary" onClick={() => void check()} disabled={!!busy || !!twice} loading={!!busy} data-testid="import-check">
              {t('roster.mapping.check')}
            </Button>
            {picker(t('roster.file.read'), false, 'import-other-file')}
          </Space>
        </Space>
      )}

      {(step === 2 || step === 3) && result && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Counts r={result} />
          {result.invalid === 0 ? (
            <Alert type="success" showIcon title={t('roster.check.allGood', { rows: result.rows })} data-testid="import-all-good" />
          ) : (
            <Alert type="warning" showIcon title={t('roster.check.hasProblems', { invalid: result.invalid })} />
          )}
          {result.truncated && <Alert type="info" showIcon title={t('roster.check.truncated')} />}
          <Space wrap>
            {result.invalid > 0 && (
              <Button icon={<DownloadOutlined />} onClick={() => void downloadProblems()} disabled={!!busy} data-testid="import-download-problems">
                {t('roster.check.download')}
              </Button>
            )}
            {picker(t('roster.check.reupload'), true, 'import-reupload')}
            <Button icon={<ReloadOutlined />} onClick={() => setStep(1)} disabled={!!busy}>
              {t('roster.check.remap')}
            </Button>
          </Space>
          {result.problems.length > 0 && <IssueTable title={t('roster.check.problems')} issues={result.problems} testId="import-problems" />}
          {result.warnings.length > 0 && (
            <>
              <IssueTable title={t('roster.check.warnings')} issues={result.warnings} testId="import-warnings" />
              <Typography.Text type="secondary">{t('roster.check.guardianNote')}</Typography.Text>
            </>
          )}
          {result.skipped.length > 0 && (
            <IssueTable title={t('roster.check.skipped')} issues={result.skipped.map((s) => ({ ...s, column: '' }))} testId="import-skipped" />
          )}
          <Card size="small" title={t('roster.commit.mode')}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="import-mode">
              <Space direction="vertical">
                <Radio value="valid_only">
                  {t('roster.commit.validOnly')}
                  <div className="xq-roster-hint">{t('roster.commit.validOnlyHint')}</div>
                </Radio>
                <Radio value="all_or_nothing" disabled={result.invalid > 0}>
                  {t('roster.commit.allOrNothing')}
                  <div className="xq-roster-hint">{result.invalid > 0 ? t('roster.commit.allOrNothingBlocked', { invalid: result.invalid }) : t('roster.commit.allOrNothingHint')}</div>
                </Radio>
              </Space>
            </Radio.Group>
            <div style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={!!busy || result.newRows === 0 || (mode === 'all_or_nothing' && result.invalid > 0)}
                loading={!!busy && step === 3}
                onClick={() => {
                  setStep(3);
                  void commit().then(() => setStep((s) => (s === 3 ? 2 : s)));
                }}
                data-testid="import-commit"
              >
                {result.newRows === 0 ? t('roster.commit.nothing') : t('roster.commit.start', { count: result.newRows })}
              </Button>
            </div>
          </Card>
        </Space>
      )}

      {step === 4 && done && (
        <Result
          status="success"
          title={t('roster.done.title')}
          subTitle={<span data-testid="import-done">{t('roster.done.summary', { created: done.created, skipped: done.alreadyRegistered, invalid: done.invalid })}</span>}
          extra={
            <Space wrap style={{ justifyContent: 'center' }}>
              <Link to="/residents">
                <Button type="primary" data-testid="import-to-list">
                  {t('roster.done.toList')}
                </Button>
              </Link>
              {done.invalid > 0 && (
                <Button icon={<DownloadOutlined />} onClick={() => void downloadProblems()}>
                  {t('roster.check.download')}
                </Button>
              )}
              <Button onClick={restart}>{t('roster.done.another')}</Button>
            </Space>
          }
        />
      )}
    </div>
  );
}

function BusyBar({ busy }: { busy: Busy }) {
  const { t } = useTranslation();
  const s = busy.server;
  const uploading = busy.upload < 100 && !s;
  const label = uploading
    ? t('roster.progress.uploading', { percent: busy.upload })
    : s?.phase === 'checking'
      ? t('roster.progress.checking', { done: s.done, total: s.total })
      : s?.phase === 'writing'
        ? t('roster.progress.writing', { done: s.done, total: s.total })
        : s?.phase === 'reading'
          ? t('roster.progress.reading')
          : t('roster.progress.processing');
  const percent = uploading ? busy.upload : s && s.total > 0 ? Math.round((s.done / s.total) * 100) : undefined;
  return (
    <div className="xq-roster-busy" role="status" aria-live="polite" data-testid="import-busy">
      <Typography.Text>{label}</Typography.Text>
      <Progress percent={percent ?? 100} status={percent === undefined ? 'active' : 'normal'} showInfo={percent !== undefined} />
    </div>
  );
}

function Counts({ r }: { r: ImportResultView }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[12, 12]} data-testid="import-counts">
      <Col xs={12} sm={8} md={4}>
        <Statistic title={t('roster.check.rows')} value={r.rows} />
      </Col>
      <Col xs={12} sm={8} md={4}>
        <Statistic title={t('roster.check.valid')} value={r.valid} />
      </Col>
      <Col xs={12} sm={8} md={4}>
        <Statistic title={t('roster.check.newRows')} value={r.newRows} />
      </Col>
      <Col xs={12} sm={8} md={4}>
        <Statistic title={t('roster.check.already')} value={r.alreadyRegistered} />
      </Col>
      <Col xs={12} sm={8} md={4}>
        <Statistic title={t('roster.check.invalid')} value={r.invalid} styles={{ content: r.invalid > 0 ? { color: '#cf1322' } : undefined }} />
      </Col>
    </Row>
  );
}

function IssueTable({ title, issues, testId }: { title: string; issues: Issue[]; testId: string }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const rows = all ? issues : issues.slice(0, SHOWN);
  return (
    <div>
      <Typography.Title level={5}>{title}</Typography.Title>
      <ResponsiveTable<Issue>
        testId={testId}
        rows={rows}
        rowKey={(p) => `${p.row}:${p.column}:${p.message}`}
        loading={false}
        empty={t('roster.check.noProblems')}
        cardTitle={(p) => `${t('roster.check.rowN', { row: p.row })}${p.column ? ` · ${p.column}` : ''}`}
        columns={[
          { key: 'row', title: t('roster.check.row'), width: 70, hideOnCard: true, render: (p) => p.row },
          { key: 'column', title: t('roster.check.column'), width: 140, hideOnCard: true, render: (p) => p.column },
          { key: 'message', title: t('roster.check.message'), render: (p) => p.message },
        ]}
      />
      {!all && issues.length > SHOWN && (
        <Button type="link" onClick={() => setAll(true)}>
          {`${SHOWN} / ${issues.length} …`}
        </Button>
      )}
    </div>
  );
}
