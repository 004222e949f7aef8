import { Empty, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Village } from '../../api/types';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import type { Column } from '../../components/ResponsiveTable';

export function VillagesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const list = useCursorList<Village>(['villages'], '/api/villages', { q: q || undefined });

  const columns: Column<Village>[] = [
    { key: 'name', title: t('villages.name'), render: (v) => v.name, hideOnCard: true },
    { key: 'code', title: t('villages.code'), render: (v) => <span className="xq-mono">{v.code}</span> },
    { key: 'station', title: t('villages.station'), render: (v) => v.stationName },
  ];

  return (
    <div className="xq-page">
      <PageHeader title={t('modules.villages')} />
      <div className="xq-filters">
        <Input.Search
          key={q}
          defaultValue={q}
          allowClear
          placeholder={t('villages.search')}
          aria-label={t('villages.search')}
          data-testid="villages-search"
          onSearch={(value) => {
            const next = new URLSearchParams(params);
            if (value.trim()) next.set('q', value.trim());
            else next.delete('q');
            setParams(next);
          }}
          style={{ maxWidth: 360 }}
        />
      </div>
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="villages-table"
        rows={list.items}
        rowKey={(v) => v.id}
        columns={columns}
        loading={list.isLoading}
        cardTitle={(v) => v.name}
        empty={<Empty description={q ? t('villages.emptySearch', { q }) : t('villages.empty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
