import { useState } from 'react';
import { Button, Empty, Space, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { useServiceTypeList, type ServiceType } from './api';
import { ServiceTypeModal } from './ServiceTypeModal';

/** The station's service types: what, how long, by whom, bookable by residents or not. */
export function CatalogueTab({ stationId, isHead }: { stationId: string | undefined; isHead: boolean }) {
  const { t } = useTranslation();
  const list = useServiceTypeList(stationId);
  const [editing, setEditing] = useState<ServiceType | 'new' | null>(null);
  const rows = list.data ?? [];

  const columns: Column<ServiceType>[] = [
    { key: 'name', title: t('services.field.name'), render: (s) => <strong>{s.name}</strong>, hideOnCard: true },
    { key: 'area', title: t('services.field.area'), render: (s) => t(`services.area.${s.area}`) },
    { key: 'mode', title: t('services.field.mode'), render: (s) => t(`services.mode.${s.mode}`) },
    {
      key: 'duration',
      title: t('services.field.duration'),
      render: (s) => (
        <span>
          {t('services.minutes', { count: s.durationMinutes })}
          {(s.bufferMinutes > 0 || (s.mode === 'home_visit' && s.travelMinutes > 0)) && (
            <span className="xq-muted xq-svc-extra">
              {[s.bufferMinutes > 0 && t('services.bufferShort', { count: s.bufferMinutes }), s.mode === 'home_visit' && s.travelMinutes > 0 && t('services.travelShort', { count: s.travelMinutes })].filter(Boolean).join(' · ')}
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'workers',
      title: t('services.field.workers'),
      render: (s) => (s.workers.length ? s.workers.map((w) => w.displayName).join('、') : <Tag color="warning">{t('services.noWorkers')}</Tag>),
    },
    { key: 'bookable', title: t('services.field.bookableShort'), render: (s) => (s.residentBookable ? t('services.yes') : t('services.no')) },
    { key: 'active', title: t('services.field.active'), render: (s) => (s.active ? <Tag color="green">{t('services.active')}</Tag> : <Tag>{t('services.inactive')}</Tag>) },
  ];
  if (isHead) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (s) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid={`service-edit-${s.name}`}>
          {t('services.edit')}
        </Button>
      ),
    });
  }

  return (
    <div>
      {isHead && (
        <Space style={{ marginBottom: 12, justifyContent: 'flex-end', width: '100%' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="service-create">
            {t('services.create')}
          </Button>
        </Space>
      )}
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="services-table"
        rows={rows}
        rowKey={(s) => s.id}
        columns={columns}
        loading={list.isPending && !!stationId}
        cardTitle={(s) => s.name}
        empty={<Empty description={isHead ? t('services.empty') : t('services.emptyReadOnly')} />}
      />
      {editing && stationId && <ServiceTypeModal stationId={stationId} current={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
