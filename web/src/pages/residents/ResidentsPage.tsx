import { Button, Empty, Space } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { RiskTierTag } from '../../components/RiskTierTag';
import type { ResidentListItemView } from './components/api';
import { useVillages } from './components/api';
import { GenderAge } from './components/bits';
import { ResidentFilterBar } from './components/ResidentFilterBar';
import { residentColumns, ResidentNameLink } from './components/residentColumns';
import { filtersToSearch, readFilters, toApiQuery } from './components/residentParams';
import type { ResidentFilterKey } from './components/residentParams';
import './components/residents.css';

/** 服务对象: find anyone in seconds; every filter is in the URL. */
export function ResidentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const station = useCurrentStation(user);
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  // Someone serving several stations works in the one chosen in the header.
  const stationId = user.stations.length > 1 ? station?.id : undefined;
  const list = useCursorList<ResidentListItemView>(['residents'], '/api/residents', toApiQuery(filters, stationId));
  const villages = useVillages(station?.id);
  const filtered = Object.keys(filters).length > 0;

  const setFilter = (key: ResidentFilterKey, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (next.toString() !== params.toString()) setParams(next);
  };

  const exportSearch = filtersToSearch(filters, { tab: 'export' });

  return (
    <div className="xq-page">
      <PageHeader
        title={t('residents.title')}
        extra={
          <Space wrap>
            <Button icon={<UploadOutlined />} onClick={() => navigate('/residents/import')} data-testid="residents-import">
              {t('residents.import')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => navigate(`/residents/import?${exportSearch}`)}
              data-testid="residents-export"
            >
              {t('residents.export')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/residents/new')} data-testid="resident-create">
              {t('residents.create')}
            </Button>
          </Space>
        }
      />
      <ResidentFilterBar
        value={filters}
        villages={villages.data ?? []}
        villagesLoading={villages.isPending}
        onChange={setFilter}
        onClear={() => setParams(new URLSearchParams())}
      />
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="residents-table"
        rows={list.items}
        rowKey={(r) => r.id}
        columns={residentColumns(t)}
        loading={list.isLoading}
        cardTitle={(r) => (
          <span>
            <ResidentNameLink r={r} />{' '}
            <span className="xq-muted" style={{ fontWeight: 'normal' }}>
              <GenderAge gender={r.gender} age={r.age} />
            </span>
          </span>
        )}
        cardExtra={(r) => <RiskTierTag tier={r.riskTier} />}
        empty={
          filtered ? (
            <Empty description={t('residents.emptyFiltered')} data-testid="residents-empty">
              <Button onClick={() => setParams(new URLSearchParams())}>{t('residents.clearFilters')}</Button>
            </Empty>
          ) : (
            <Empty description={t('residents.empty')} data-testid="residents-empty">
              <Space wrap>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/residents/new')}>
                  {t('residents.create')}
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => navigate('/residents/import')}>
                  {t('residents.import')}
                </Button>
              </Space>
            </Empty>
          )
        }
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
