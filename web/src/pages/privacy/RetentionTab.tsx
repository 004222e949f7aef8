import { useMemo, useState } from 'react';
import { Alert, App, Button, Empty, Tag } from 'antd';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiGet, apiPost } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../components/format';
import { LoadMore } from '../../components/LoadMore';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { PRIVACY_KEYS, type RetentionItemView, type RetentionPage } from './api';
import { ReasonModal } from './ReasonModal';

/** Residents who moved away or died more than N years ago: review each, and request deletion where due. */
export function RetentionTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [target, setTarget] = useState<RetentionItemView | null>(null);
  const q = useInfiniteQuery({
    queryKey: [...PRIVACY_KEYS.retention],
    queryFn: ({ pageParam, signal }) => apiGet<RetentionPage>('/api/privacy/retention', { limit: 20, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const first = q.data?.pages[0];

  const request = async (reason: string) => {
    if (!target) return;
    await apiPost('/api/privacy/deletion-requests', { residentId: target.id, reason });
    void message.success(t('privacy.request.done'));
    void qc.invalidateQueries({ queryKey: ['privacy'] });
  };

  const statusText = (r: RetentionItemView) => t(`privacy.retention.${r.status}`);
  const columns: Column<RetentionItemView>[] = [
    { key: 'name', title: t('privacy.col.resident'), hideOnCard: true, render: (r) => <Link to={`/residents/${r.id}`}>{r.name}</Link> },
    { key: 'village', title: t('privacy.col.village'), render: (r) => r.villageName },
    { key: 'status', title: t('privacy.col.residentStatus'), render: (r) => <Tag>{statusText(r)}</Tag> },
    { key: 'date', title: t('privacy.col.statusDate'), render: (r) => formatDate(`${r.statusDate}T12:00:00+08:00`, i18n.language) },
    { key: 'station', title: t('privacy.col.station'), render: (r) => r.stationName },
    {
      key: 'actions',
      title: t('privacy.col.actions'),
      render: (r) =>
        r.openRequestId ? (
          <Tag color="gold">{t('privacy.retention.requested')}</Tag>
        ) : (
          <Button size="small" danger onClick={() => setTarget(r)} data-testid={`retention-request-${r.id}`}>
            {t('privacy.retention.request')}
          </Button>
        ),
    },
  ];

  return (
    <div data-testid="privacy-retention">
      {first && (
        <Alert
          type={first.total > 0 ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={t('privacy.retention.intro', { years: first.years, cutoff: formatDate(`${first.cutoff}T12:00:00+08:00`, i18n.language), total: first.total })}
          data-testid="retention-intro"
        />
      )}
      <ErrorAlert error={q.error} />
      <ResponsiveTable
        testId="retention-table"
        rows={items}
        rowKey={(r) => r.id}
        columns={columns}
        loading={q.isPending}
        cardTitle={(r) => <Link to={`/residents/${r.id}`}>{r.name}</Link>}
        empty={<Empty description={t('privacy.retention.empty')} />}
      />
      <LoadMore count={items.length} hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onMore={() => void q.fetchNextPage()} />
      <ReasonModal
        key={target?.id ?? 'none'}
        open={target !== null}
        title={t('privacy.request.title')}
        label={t('privacy.request.reason')}
        note={t('privacy.request.note')}
        okText={t('privacy.request.submit')}
        danger
        initialReason={target ? t('privacy.retention.defaultReason', { status: statusText(target), years: first?.years ?? '' }) : ''}
        testId="retention-request"
        onSubmit={request}
        onClose={() => setTarget(null)}
      />
    </div>
  );
}
