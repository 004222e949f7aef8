import { Button, Tabs } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { ExportPanel } from './ExportPanel';
import { ImportWizard } from './ImportWizard';
import './import.css';

/** 导入与导出名册: the import wizard, and (?tab=export) the export of the filtered list. */
export function ImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'export' ? 'export' : 'import';

  const setTab = (key: string) => {
    const next = new URLSearchParams(params);
    if (key === 'export') next.set('tab', 'export');
    else next.delete('tab');
    setParams(next, { replace: true });
  };

  return (
    <div className="xq-page xq-roster">
      <PageHeader
        title={t('roster.title')}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/residents')}>
            {t('roster.backToList')}
          </Button>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'import', label: t('roster.tabImport'), children: <ImportWizard /> },
          { key: 'export', label: t('roster.tabExport'), children: <ExportPanel /> },
        ]}
      />
    </div>
  );
}
