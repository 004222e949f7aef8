import { Button, Empty, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import type { Column } from '../../components/ResponsiveTable';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { RiskTierTag } from '../../components/RiskTierTag';
import { Time } from '../../components/Time';
import type { VisitView } from './api';

export function concernsOf(v: VisitView): string[] {
  return Object.entries(v.checklist)
    .filter(([, c]) => c === 'concern')
    .map(([k]) => k);
}

function columns(t: TFunction): Column<VisitView>[] {
  return [
    { key: 'when', title: t('visits.field.visitedAt'), hideOnCard: true, render: (v) => <Link to={`/visits/${v.id}`}><Time value={v.visitedAt} /></Link> },
    { key: 'resident', title: t('visits.field.resident'), hideOnCard: true, render: (v) => <Link to={`/residents/${v.resident.id}`}>{v.resident.name}</Link> },
    { key: 'village', title: t('visits.field.village'), render: (v) => v.resident.village.name },
    { key: 'worker', title: t('visits.field.worker'), render: (v) => v.worker.name },
    { key: 'mode', title: t('visits.field.mode'), render: (v) => `${t(`visits.mode.${v.mode}`)} · ${t('visits.minutes', { count: v.durationMinutes })}` },
    {
      key: 'tier',
      title: t('visits.field.tier'),
      render: (v) => (
        <Space size={4}>
          {v.tierBefore !== v.tierAfter && (
            <>
              <RiskTierTag tier={v.tierBefore} />→
            </>
          )}
          <RiskTierTag tier={v.tierAfter} />
        </Space>
      ),
    },
    {
      key: 'flags',
      title: t('visits.field.flagsAndConcerns'),
      render: (v) => (
        <span className="xq-visit-flags">
          {v.riskFlags.map((f) => (
            <Tag key={f} color="volcano">
              {t(`visits.flag.${f}`)}
            </Tag>
          ))}
          {concernsOf(v).map((k) => (
            <Tag key={k} color="orange">
              {t(`visits.checklist.${k}`)}
            </Tag>
          ))}
          {v.riskFlags.length === 0 && concernsOf(v).length === 0 && '—'}
        </span>
      ),
    },
  ];
}

/** 走访记录: every visit, newest first; filters (resident, worker, village) in the URL. */
export function HistoryPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const filters = { residentId: params.get('residentId') ?? undefined, workerId: params.get('workerId') ?? undefined, villageId: params.get('villageId') ?? undefined };
  const list = useCursorList<VisitView>(['visits', 'history'], '/api/visits', filters, 30);
  return (
    <div className="xq-page" data-testid="visits-history">
      <PageHeader
        title={t('visits.history')}
        extra={
          <Space wrap>
            <Link to="/visits">
              <Button>{t('visits.plan')}</Button>
            </Link>
            <Link to={filters.residentId ? `/visits/new?residentId=${filters.residentId}` : '/visits/new'}>
              <Button type="primary" icon={<PlusOutlined />}>
                {t('visits.record')}
              </Button>
            </Link>
          </Space>
        }
      />
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="visits-history-list"
        rows={list.items}
        rowKey={(v) => v.id}
        columns={columns(t)}
        loading={list.isLoading}
        cardTitle={(v) => (
          <span>
            <Link to={`/visits/${v.id}`}>{v.resident.name}</Link>{' '}
            <span className="xq-muted" style={{ fontWeight: 'normal' }}>
              <Time value={v.visitedAt} />
            </span>
          </span>
        )}
        empty={list.error ? null : <Empty description={t('visits.historyEmpty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
