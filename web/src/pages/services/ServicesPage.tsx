import { Alert, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUser } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { stationOf } from './api';
import { CalendarTab } from './CalendarTab';
import { CatalogueTab } from './CatalogueTab';
import { ScheduleTab } from './ScheduleTab';
import { CoverageTab } from './CoverageTab';
import { StationSettingsTab } from './StationSettingsTab';
import './services.css';

const TABS = ['catalogue', 'schedule', 'calendar', 'coverage', 'settings'] as const;
type Tab = (typeof TABS)[number];

/** 服务项目与排班: the catalogue, who works when (hours, leave), and the holiday calendar. */
export function ServicesPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { stationId, isHead } = stationOf(user);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'catalogue';
  const setTab = (next: string) => {
    const p = new URLSearchParams(params);
    p.set('tab', next);
    setParams(p);
  };

  return (
    <div className="xq-page">
      <PageHeader title={t('services.title')} sub={t('services.sub')} />
      {!isHead && <Alert type="info" showIcon title={t('services.readOnly')} style={{ marginBottom: 16 }} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'catalogue', label: <span data-testid="tab-catalogue">{t('services.tabs.catalogue')}</span>, children: <CatalogueTab stationId={stationId} isHead={isHead} /> },
          { key: 'schedule', label: <span data-testid="tab-schedule">{t('services.tabs.schedule')}</span>, children: <ScheduleTab stationId={stationId} isHead={isHead} /> },
          { key: 'calendar', label: <span data-testid="tab-calendar">{t('services.tabs.calendar')}</span>, children: <CalendarTab isHead={isHead} /> },
          // Which villages and areas each worker covers (matching, visit lists) — owned by requests.
          { key: 'coverage', label: <span data-testid="tab-coverage">{t('requests.coverage.tab')}</span>, children: <CoverageTab stationId={stationId} isHead={isHead} /> },
          // Office hours for response deadlines, visit cadence, complaint deadlines — owned by settings.
          { key: 'settings', label: <span data-testid="tab-settings">{t('consultations.settings.tab')}</span>, children: <StationSettingsTab stationId={stationId} isHead={isHead} /> },
        ]}
      />
    </div>
  );
}
