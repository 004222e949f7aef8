import { useMemo, useState } from 'react';
import { Alert, Card, Empty, Segmented, Skeleton, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCursorList } from '../../api/useCursorList';
import { LoadMore } from '../../components/LoadMore';
import { Time } from '../../components/Time';
import { FEEDBACK_KEY, useSatisfaction, type RatingView, type SatisfactionView } from './api';
import { Chart, type ChartOption } from './Chart';

type Row = SatisfactionView['byWorker'][number] | SatisfactionView['byServiceType'][number];

/** The first instant of the Shanghai month `back` months before now's month. */
function monthStart(back: number): string {
  const sh = new Date(Date.now() + 8 * 3_600_000);
  const d = Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() - back, 1) - 8 * 3_600_000;
  return new Date(d).toISOString();
}

const PERIODS = { '6': 5, '12': 11 } as const;

/** Satisfaction per service type and per worker, and a monthly trend: a chart and a table each. */
export function Satisfaction() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<keyof typeof PERIODS>('6');
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const from = useMemo(() => monthStart(PERIODS[period]), [period]);
  const q = useSatisfaction(from);
  const s = q.data;
  return (
    <div data-testid="satisfaction">
      <div className="xq-fb-filters">
        <Segmented value={period} onChange={(v) => setPeriod(v as keyof typeof PERIODS)} options={(['6', '12'] as const).map((v) => ({ value: v, label: t('feedback.lastMonths', { count: Number(v) }) }))} />
        <Segmented value={view} onChange={(v) => setView(v as 'chart' | 'table')} options={[{ value: 'chart', label: t('feedback.chart') }, { value: 'table', label: t('feedback.table') }]} data-testid="satisfaction-view" />
      </div>
      <ErrorAlert error={q.error} />
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : s ? (
        <>
          {s.scope === 'own' && <Alert type="info" showIcon title={t('feedback.scopeOwn')} style={{ marginBottom: 12 }} />}
          <div className="xq-fb-stats" data-testid="satisfaction-overall">
            <Card size="small">
              <Statistic title={t('feedback.average')} value={s.overall.average ?? '—'} precision={s.overall.average === null ? undefined : 2} />
            </Card>
            <Card size="small">
              <Statistic title={t('feedback.count')} value={s.overall.count} />
            </Card>
          </div>
          {s.overall.count === 0 ? (
            <Empty description={t('feedback.noRatings')} />
          ) : (
            <>
              <Section title={t('feedback.byServiceType')} rows={s.byServiceType} view={view} testId="by-type" />
              <Section title={t('feedback.byWorker')} rows={s.byWorker} view={view} testId="by-worker" />
              <Card size="small" title={t('feedback.monthly')} className="xq-fb-chart-card">
                {view === 'chart' ? (
                  <Chart option={lineOption(s)} testId="chart-monthly" />
                ) : (
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="month"
                    dataSource={s.monthly}
                    columns={[
                      { title: t('feedback.month'), dataIndex: 'month' },
                      { title: t('feedback.count'), dataIndex: 'count' },
                      { title: t('feedback.average'), dataIndex: 'average', render: (v: number | null) => v ?? '—' },
                    ]}
                  />
                )}
              </Card>
            </>
          )}
          <RecentRatings from={from} />
        </>
      ) : null}
    </div>
  );
}

/** The ratings behind the numbers, newest first, with what residents said; filter by score. */
function RecentRatings({ from }: { from: string }) {
  const { t } = useTranslation();
  const [score, setScore] = useState('all');
  const list = useCursorList<RatingView>([...FEEDBACK_KEY, 'ratings'], '/api/ratings', { from, score: score === 'all' ? undefined : score }, 10);
  return (
    <Card
      size="small"
      title={t('feedback.recent')}
      className="xq-fb-chart-card"
      data-testid="recent-ratings"
      extra={<Segmented size="small" value={score} onChange={(v) => setScore(String(v))} options={[{ value: 'all', label: t('feedback.filterAll') }, ...['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: `${n}★` }))]} />}
    >
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('feedback.noRatings')} />
      ) : (
        <div className="xq-fb-ratings">
          {list.items.map((r) => (
            <div key={r.id} className="xq-fb-rating" data-testid="recent-rating" data-id={r.serviceRecordId}>
              <div className="xq-fb-card-head">
                <strong>
                  {'★'.repeat(r.score)}
                  <span className="xq-fb-star-off">{'★'.repeat(5 - r.score)}</span> {t(`feedback.scoreText.${r.score}`)}
                </strong>
                <span className="xq-muted">
                  <Time value={r.createdAt} relative />
                </span>
              </div>
              {r.comment && <div className="xq-break">“{r.comment}”</div>}
              <div className="xq-muted xq-small">
                {r.resident.name} · {r.serviceType?.name ?? t('feedback.noType')} · {r.worker.name} · {t(`feedback.channel.${r.channel}`)}
              </div>
            </div>
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </Card>
  );
}

function Section({ title, rows, view, testId }: { title: string; rows: Row[]; view: 'chart' | 'table'; testId: string }) {
  const { t } = useTranslation();
  const named = rows.map((r) => ({ ...r, name: r.name || t('feedback.noType') }));
  return (
    <Card size="small" title={title} className="xq-fb-chart-card" data-testid={testId}>
      {view === 'chart' ? (
        <Chart option={barOption(named)} height={Math.max(160, 44 * named.length + 40)} testId={`chart-${testId}`} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey={(r) => r.id ?? '-'}
          dataSource={named}
          scroll={{ x: true }}
          columns={[
            { title: t('feedback.name'), dataIndex: 'name' },
            { title: t('feedback.count'), dataIndex: 'count' },
            { title: t('feedback.average'), dataIndex: 'average', render: (v: number | null) => v ?? '—' },
            { title: `${t('feedback.distribution')} 1–5`, dataIndex: 'distribution', render: (d: number[]) => d.join(' / ') },
          ]}
        />
      )}
      <Typography.Text type="secondary" className="xq-small">
        {named.map((r) => `${r.name} ${r.average ?? '—'}（${r.count}）`).join('；')}
      </Typography.Text>
    </Card>
  );
}

const BLUE = '#1f6fd1';

function barOption(rows: { name: string; average: number | null; count: number }[]): ChartOption {
  const ordered = [...rows].reverse();
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', min: 0, max: 5 },
    yAxis: { type: 'category', data: ordered.map((r) => r.name), axisLabel: { width: 90, overflow: 'truncate' } },
    series: [{ type: 'bar', data: ordered.map((r) => r.average ?? 0), itemStyle: { color: BLUE }, label: { show: true, position: 'right', formatter: '{c}' }, barMaxWidth: 24 }],
  };
}

function lineOption(s: SatisfactionView): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: s.monthly.map((m) => m.month) },
    yAxis: { type: 'value', min: 0, max: 5 },
    series: [{ type: 'line', data: s.monthly.map((m) => m.average), connectNulls: true, itemStyle: { color: BLUE }, label: { show: true } }],
  };
}
