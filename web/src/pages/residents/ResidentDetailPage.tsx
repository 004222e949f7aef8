import { useMemo } from 'react';
import { Alert, Button, Card, Skeleton, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RiskTierTag } from '../../components/RiskTierTag';
import { useIsMobile } from '../../components/useIsMobile';
import { ResidentPrivacyActions } from '../privacy/ResidentPrivacyActions';
import type { ResidentDetailView } from './components/api';
import { useResident, useVillages } from './components/api';
import { CategoryTags, GenderAge, StatusTag } from './components/bits';
import { formatDay } from './components/dates';
import { HouseholdTab } from './components/HouseholdTab';
import { ProfileTab } from './components/ProfileTab';
import { TimelineTab } from './components/TimelineTab';
import { ConsentsTab } from './consents/ConsentsTab';
import { NotFoundPage } from '../errors/NotFoundPage';
import { ResidentVisitStrip } from '../visits/ResidentVisitStrip';
import './components/residents.css';

const TABS = ['profile', 'household', 'consents', 'timeline'] as const;
type TabKey = (typeof TABS)[number];
const isTab = (v: string | null): v is TabKey => (TABS as readonly (string | null)[]).includes(v);

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/residents" className="xq-muted" data-testid="resident-back">
      <ArrowLeftOutlined aria-hidden /> {t('residents.backToList')}
    </Link>
  );
}

/** Skeleton of the header and tabs: nothing jumps when the record arrives. */
function DetailSkeleton() {
  return (
    <div className="xq-page" data-testid="resident-loading">
      <Card>
        <Skeleton active title={{ width: '30%' }} paragraph={{ rows: 2 }} />
      </Card>
      <Card style={{ marginTop: 16 }}>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    </div>
  );
}

export function ResidentNotFound() {
  const { t } = useTranslation();
  return <NotFoundPage message={t('residents.notFound')} backTo="/residents" backLabel={t('residents.backToList')} testId="resident-not-found" />;
}

function Header({ r }: { r: ResidentDetailView }) {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  return (
    <Card className="xq-res-header-card" data-testid="resident-header" styles={{ body: mobile ? { padding: 16 } : {} }}>
      <div className="xq-res-head">
        <div className="xq-res-head-main">
          <div className="xq-res-head-title">
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="resident-name">
              {r.name}
            </Typography.Title>
            <RiskTierTag tier={r.riskTier} />
            <StatusTag status={r.status} anonymised={r.anonymised} />
          </div>
          <div className="xq-res-facts">
            <GenderAge gender={r.gender} age={r.age} />
            <span>{formatDay(r.birthDate, i18n.language)}</span>
            <span>{r.villageName}</span>
            {r.status !== 'active' && r.statusDate && (
              <span>
                {t(`residents.status.${r.status}`)} {formatDay(r.statusDate, i18n.language)}
              </span>
            )}
          </div>
          <CategoryTags categories={r.categories} />
        </div>
        <div className="xq-res-actions">
          {!r.anonymised && (
            <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/residents/${r.id}/edit`)} data-testid="resident-edit">
              {t('residents.edit')}
            </Button>
          )}
          <ResidentPrivacyActions residentId={r.id} anonymised={r.anonymised} />
        </div>
      </div>
      {r.anonymised && <Alert type="info" showIcon title={t('residents.anonymisedHint')} style={{ marginTop: 8 }} />}
    </Card>
  );
}

/** 服务对象详情: key facts and actions on top, tabs below (the tab is in the URL). */
export function ResidentDetailPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const q = useResident(id);
  const villages = useVillages(q.data?.stationId);
  const villageNames = useMemo(() => new Map((villages.data ?? []).map((v) => [v.id, v.name])), [villages.data]);
  const tabParam = params.get('tab');
  const tab: TabKey = isTab(tabParam) ? tabParam : 'profile';

  if (q.isPending) return <DetailSkeleton />;
  if (q.error) {
    if (isApiError(q.error) && q.error.status === 404) return <ResidentNotFound />;
    return (
      <div className="xq-page">
        <BackLink />
        <ErrorAlert error={q.error} />
        <Button onClick={() => void q.refetch()}>{t('common.retry')}</Button>
      </div>
    );
  }
  const r = q.data;

  return (
    <div className="xq-page" data-testid="resident-detail">
      <div style={{ marginBottom: 8 }}>
        <BackLink />
      </div>
      <Header r={r} />
      <ResidentVisitStrip residentId={r.id} />
      <Card style={{ marginTop: 16 }} styles={{ body: mobile ? { padding: 12 } : {} }}>
        <Tabs
          tabBarGutter={mobile ? 16 : undefined}
          activeKey={tab}
          onChange={(k) => {
            const next = new URLSearchParams(params);
            if (k === 'profile') next.delete('tab');
            else next.set('tab', k);
            setParams(next, { replace: true });
          }}
          items={[
            { key: 'profile', label: t('residents.detail.tabProfile'), children: <ProfileTab r={r} /> },
            { key: 'household', label: t('residents.detail.tabHousehold'), children: <HouseholdTab r={r} /> },
            {
              key: 'consents',
              label: t('residents.detail.tabConsents'),
              children: <ConsentsTab residentId={r.id} stationId={r.stationId} />,
            },
            {
              key: 'timeline',
              label: t('residents.detail.tabTimeline'),
              children: <TimelineTab residentId={r.id} villages={villageNames} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}
