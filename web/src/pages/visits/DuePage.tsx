import { useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Segmented, Select, Space, Table, Tabs, Tag } from 'antd';
import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useUser } from '../../app/auth';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../components/format';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import type { Column } from '../../components/ResponsiveTable';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { RiskTierTag } from '../../components/RiskTierTag';
import { Time } from '../../components/Time';
import { STATES, TABS, TIERS, useSummary, type DueRowView, type DueState, type Tab, type Tier } from './api';
import { SummaryChart } from './SummaryChart';

/** 逾期 N 天 in red, 今天到期 / N 天后到期 in orange or plain. */
export function DueTag({ days }: { days: number }) {
  const { t } = useTranslation();
  if (days > 0)
    return (
      <Tag color="red" data-testid="due-overdue" data-days={days}>
        {t('visits.overdueDays', { count: days })}
      </Tag>
    );
  if (days === 0) return <Tag color="orange">{t('visits.dueToday')}</Tag>;
  return <Tag color={days >= -7 ? 'orange' : 'default'}>{t('visits.dueIn', { count: -days })}</Tag>;
}

function columns(t: TFunction, lang: string): Column<DueRowView>[] {
  return [
    {
      key: 'resident',
      title: t('visits.field.resident'),
      hideOnCard: true,
      render: (r) => (
        <Space size={4} wrap>
          <Link to={`/residents/${r.resident.id}`}>{r.resident.name}</Link>
          <RiskTierTag tier={r.resident.tier} />
        </Space>
      ),
    },
    { key: 'status', title: t('visits.field.status'), hideOnCard: true, render: (r) => <DueTag days={r.daysOverdue} /> },
    { key: 'dueOn', title: t('visits.field.dueOn'), render: (r) => formatDate(`${r.dueOn}T12:00:00+08:00`, lang) },
    {
      key: 'last',
      title: t('visits.field.lastVisit'),
      render: (r) =>
        r.lastVisitAt ? (
          <span>
            <Time value={r.lastVisitAt} relative /> {r.lastVisitBy && <span className="xq-muted">· {r.lastVisitBy.name}</span>}
          </span>
        ) : (
          <span className="xq-muted">{t('visits.never')}</span>
        ),
    },
    { key: 'village', title: t('visits.field.village'), render: (r) => r.resident.village.name },
    {
      key: 'categories',
      title: t('visits.field.categories'),
      render: (r) => (r.resident.categories.length ? r.resident.categories.map((c) => t(`residents.category.${c}`)).join(t('visits.listSep')) : '—'),
    },
    { key: 'covering', title: t('visits.field.covering'), render: (r) => r.coveringWorkers.map((w) => w.name).join(t('visits.listSep')) || '—' },
    {
      key: 'action',
      title: '',
      hideOnCard: true,
      render: (r) => (
        <Link to={`/visits/new?residentId=${r.resident.id}`} data-testid="due-record">
          {t('visits.record')}
        </Link>
      ),
    },
  ];
}

/** 走访计划: who is due or overdue for a visit, most overdue first (high tier first among equals). */
export function DuePage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const isWorker = user.roles.some((r) => r.role === 'social_worker');
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : isWorker ? 'mine' : 'all';
  const state = (STATES as readonly string[]).includes(params.get('state') ?? '') ? (params.get('state') as DueState) : 'due';
  const tier = (TIERS as readonly string[]).includes(params.get('tier') ?? '') ? (params.get('tier') as Tier) : undefined;
  const villageId = params.get('villageId') ?? undefined;
  const scope = tab === 'mine' ? 'mine' : 'all';
  const summary = useSummary(scope);
  const list = useCursorList<DueRowView>(['visits', 'due'], '/api/visits/due', { scope, state, tier, villageId }, 30);
  // By worker on 全站, by village elsewhere, until the user picks.
  const [summaryChoice, setSummaryBy] = useState<'village' | 'worker' | null>(null);
  const summaryBy = summaryChoice ?? (tab === 'all' ? 'worker' : 'village');
  const [view, setView] = useState<'chart' | 'table'>('chart');

  const set = (patch: Record<string, string | undefined>) => {
    const sp = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) sp.set(k, v);
      else sp.delete(k);
    }
    setParams(sp, { replace: false });
  };

  const s = summary.data;
  const bars = useMemo(
    () => (summaryBy === 'village' ? (s?.byVillage ?? []).map((v) => ({ name: v.villageName, overdue: v.overdue, dueSoon: v.dueSoon })) : (s?.byWorker ?? []).map((w) => ({ name: w.workerName, overdue: w.overdue, dueSoon: w.dueSoon }))),
    [s, summaryBy],
  );
  const chartLabels = useMemo(() => ({ overdue: t('visits.summary.overdue'), dueSoon: t('visits.summary.dueSoon') }), [t]);
  const filtered = !!tier || !!villageId || state !== 'due';

  return (
    <div className="xq-page xq-visits" data-testid="visits-due">
      <PageHeader
        title={t('visits.plan')}
        sub={s ? t('visits.planSub', s.visitDays) : undefined}
        extra={
          <Space wrap>
            <Link to="/visits/history">
              <Button icon={<HistoryOutlined />}>{t('visits.history')}</Button>
            </Link>
            <Link to="/visits/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="visit-new">
                {t('visits.record')}
              </Button>
            </Link>
          </Space>
        }
      />
      {s && s.overdueHighTier > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="xq-visits-alert"
          data-testid="visits-alert"
          title={t('visits.alert.title', { count: s.overdueHighTier })}
          description={
            <span className="xq-visits-alert-names">
              {s.overdueHigh.map((r, i) => (
                <span key={r.id}>
                  {i > 0 && t('visits.listSep')}
                  <Link to={`/visits/new?residentId=${r.id}`}>{r.name}</Link>
                  <span className="xq-muted">（{t('visits.overdueDays', { count: r.daysOverdue })}）</span>
                </span>
              ))}
              {s.overdueHighTier > s.overdueHigh.length && ` ${t('visits.alert.more')}`}
            </span>
          }
        />
      )}
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k, villageId: undefined })} items={TABS.map((k) => ({ key: k, label: <span data-testid={`visits-tab-${k}`}>{t(`visits.tab.${k}`)}</span> }))} />
      <div className="xq-visits-filters" data-testid="visits-filters">
        <Select value={state} onChange={(v: DueState) => set({ state: v === 'due' ? undefined : v })} options={STATES.map((v) => ({ value: v, label: t(`visits.state.${v}`) }))} aria-label={t('visits.filter.state')} data-testid="visits-filter-state" />
        <Select
          allowClear
          value={tier}
          placeholder={t('visits.filter.anyTier')}
          onChange={(v?: Tier) => set({ tier: v })}
          options={TIERS.map((v) => ({ value: v, label: t(`residents.risk.${v}`) }))}
          aria-label={t('visits.filter.tier')}
          data-testid="visits-filter-tier"
        />
        {tab !== 'mine' || (s?.byVillage.length ?? 0) > 1 ? (
          <Select
            allowClear
            value={villageId}
            placeholder={t('visits.filter.anyVillage')}
            onChange={(v?: string) => set({ villageId: v })}
            options={(s?.byVillage ?? []).map((v) => ({ value: v.villageId, label: v.villageName }))}
            aria-label={t('visits.filter.village')}
            data-testid="visits-filter-village"
          />
        ) : null}
      </div>
      {s && bars.length > 0 && (tab !== 'mine' || bars.length > 1) && (
        <Card
          size="small"
          className="xq-visits-summary"
          title={t('visits.summary.title')}
          extra={
            <Segmented
              size="small"
              value={view}
              onChange={(v) => setView(v as 'chart' | 'table')}
              options={[
                { value: 'chart', label: t('visits.summary.chart') },
                { value: 'table', label: t('visits.summary.table') },
              ]}
            />
          }
          data-testid="visits-summary"
        >
          <Segmented
            size="small"
            value={summaryBy}
            onChange={(v) => setSummaryBy(v as 'village' | 'worker')}
            options={[
              { value: 'village', label: t('visits.summary.byVillage') },
              { value: 'worker', label: t('visits.summary.byWorker') },
            ]}
            style={{ marginBottom: 8 }}
          />
          {view === 'chart' ? (
            <SummaryChart bars={bars} labels={chartLabels} testId="visits-chart" />
          ) : (
            <Table
              size="small"
              pagination={false}
              rowKey="name"
              dataSource={bars}
              columns={[
                { key: 'name', dataIndex: 'name', title: t('visits.summary.name') },
                { key: 'overdue', dataIndex: 'overdue', title: t('visits.summary.overdue') },
                { key: 'dueSoon', dataIndex: 'dueSoon', title: t('visits.summary.dueSoon') },
              ]}
            />
          )}
        </Card>
      )}
      <ErrorAlert error={list.error ?? summary.error} />
      <ResponsiveTable
        testId="visits-due-list"
        rows={list.items}
        rowKey={(r) => r.resident.id}
        columns={columns(t, i18n.language)}
        loading={list.isLoading}
        cardTitle={(r) => (
          <Space size={4} wrap>
            <Link to={`/residents/${r.resident.id}`}>{r.resident.name}</Link>
            <RiskTierTag tier={r.resident.tier} />
            <DueTag days={r.daysOverdue} />
          </Space>
        )}
        cardExtra={(r) => (
          <Link to={`/visits/new?residentId=${r.resident.id}`} data-testid="due-record">
            {t('visits.record')}
          </Link>
        )}
        empty={
          list.error ? null : filtered ? (
            <Empty description={t('visits.empty.filtered')} data-testid="visits-empty">
              <Button onClick={() => set({ tier: undefined, villageId: undefined, state: undefined })}>{t('visits.clearFilters')}</Button>
            </Empty>
          ) : (
            <Empty description={t(tab === 'mine' ? 'visits.empty.mine' : 'visits.empty.all')} data-testid="visits-empty" />
          )
        }
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
