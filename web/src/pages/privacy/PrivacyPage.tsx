import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { DELETION_FILTERS, DeletionTab, type DeletionFilter } from './DeletionTab';
import { RecordTab } from './RecordTab';
import { RetentionTab } from './RetentionTab';
import './privacy.css';

const TABS = ['deletion', 'retention', 'record'] as const;
type Tab = (typeof TABS)[number];

/** /privacy: deletion approvals, retention review and the record of processing (station heads, data officers). */
export function PrivacyPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as Tab) : 'deletion';
  const statusParam = params.get('status');
  const status: DeletionFilter = (DELETION_FILTERS as readonly string[]).includes(statusParam ?? '') ? (statusParam as DeletionFilter) : 'open';

  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  return (
    <div className="xq-page xq-privacy">
      <PageHeader title={t('privacy.title')} sub={t('privacy.sub')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'deletion' ? null : k, status: k === 'deletion' ? params.get('status') : null })}
        destroyOnHidden
        items={[
          { key: 'deletion', label: <span data-testid="privacy-tab-deletion">{t('privacy.tabs.deletion')}</span>, children: <DeletionTab status={status} onStatus={(s) => set({ status: s === 'open' ? null : s })} /> },
          { key: 'retention', label: <span data-testid="privacy-tab-retention">{t('privacy.tabs.retention')}</span>, children: <RetentionTab /> },
          { key: 'record', label: <span data-testid="privacy-tab-record">{t('privacy.tabs.record')}</span>, children: <RecordTab /> },
        ]}
      />
    </div>
  );
}
