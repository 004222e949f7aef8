import { Empty, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Station } from '../../api/types';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import type { Column } from '../../components/ResponsiveTable';

export function StationsPage() {
  const { t } = useTranslation();
  const list = useCursorList<Station>(['stations'], '/api/stations', {});
  const columns: Column<Station>[] = [
    { key: 'name', title: t('stations.name'), render: (s) => s.name, hideOnCard: true },
    { key: 'code', title: t('stations.code'), render: (s) => <span className="xq-mono">{s.code}</span> },
    { key: 'county', title: t('stations.county'), render: (s) => s.countyName ?? '—' },
    {
      key: 'operator',
      title: t('stations.operatorModel'),
      render: (s) => (
        <Tag color={s.operatorModel === 'ngo' ? 'purple' : 'blue'}>{t(`operatorModel.${s.operatorModel}`)}</Tag>
      ),
    },
    { key: 'operatorName', title: t('stations.operatorName'), render: (s) => s.operatorName || '—' },
    { key: 'villages', title: t('stations.villageCount'), render: (s) => s.villageCount },
  ];
  return (
    <div className="xq-page">
      <PageHeader title={t('modules.organisation')} sub={t('stations.sub')} />
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="stations-table"
        rows={list.items}
        rowKey={(s) => s.id}
        columns={columns}
        loading={list.isLoading}
        cardTitle={(s) => s.name}
        empty={<Empty description={t('stations.empty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
