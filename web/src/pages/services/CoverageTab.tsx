import { useState } from 'react';
import { App, Button, Checkbox, Empty, Modal, Skeleton, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { AREAS, COVERAGE_KEY, saveCoverage, useCoverage, type CoverageWorker, type ServiceArea } from '../requests/api';

/**
 * 人员分工: which villages (包村) and areas each worker, the head and each volunteer cover. Everyone
 * on staff reads it; the station head changes it (matching and visit lists read it).
 */
export function CoverageTab({ stationId, isHead }: { stationId: string | undefined; isHead: boolean }) {
  const { t } = useTranslation();
  const cov = useCoverage(stationId);
  const [editing, setEditing] = useState<CoverageWorker | null>(null);
  const villageName = new Map((cov.data?.villages ?? []).map((v) => [v.id, v.name]));
  return (
    <div data-testid="coverage-tab">
      <Typography.Paragraph type="secondary">
        {t('requests.coverage.hint')} {!isHead && t('requests.coverage.readOnly')}
      </Typography.Paragraph>
      <ErrorAlert error={cov.error} />
      {cov.isPending && stationId ? (
        <Skeleton active />
      ) : (
        <ResponsiveTable<CoverageWorker>
          rows={cov.data?.workers ?? []}
          rowKey={(w) => w.id}
          loading={false}
          testId="coverage-table"
          empty={<Empty description={t('requests.coverage.empty')} />}
          cardTitle={(w) => (
            <span>
              {w.name} <Tag>{t(`requests.candidates.role.${w.role}`)}</Tag>
            </span>
          )}
          cardExtra={(w) => (isHead ? <Button size="small" onClick={() => setEditing(w)} data-testid="coverage-edit">{t('requests.coverage.edit')}</Button> : null)}
          columns={[
            {
              key: 'name',
              title: t('requests.coverage.worker'),
              hideOnCard: true,
              render: (w) => (
                <span>
                  {w.name} <Tag>{t(`requests.candidates.role.${w.role}`)}</Tag>
                </span>
              ),
            },
            {
              key: 'villages',
              title: t('requests.coverage.villages'),
              render: (w) => (w.villageIds.length ? w.villageIds.map((v) => villageName.get(v) ?? v).join('、') : <span className="xq-muted">{t('requests.coverage.none')}</span>),
            },
            {
              key: 'areas',
              title: t('requests.coverage.areas'),
              render: (w) => (w.areas.length ? w.areas.map((a) => <Tag key={a}>{t(`services.area.${a}`)}</Tag>) : <span className="xq-muted">{t('requests.coverage.none')}</span>),
            },
            ...(isHead
              ? [{ key: 'edit', title: '', hideOnCard: true, width: 90, render: (w: CoverageWorker) => <Button size="small" onClick={() => setEditing(w)} data-testid="coverage-edit">{t('requests.coverage.edit')}</Button> }]
              : []),
          ]}
        />
      )}
      {editing && stationId && cov.data && <EditCoverage stationId={stationId} worker={editing} villages={cov.data.villages} onClose={() => setEditing(null)} />}
    </div>
  );
}

function EditCoverage({ stationId, worker, villages, onClose }: { stationId: string; worker: CoverageWorker; villages: { id: string; name: string }[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [villageIds, setVillageIds] = useState<string[]>(worker.villageIds);
  const [areas, setAreas] = useState<ServiceArea[]>(worker.areas);
  const save = useMutation({
    mutationFn: () => saveCoverage(stationId, worker.id, { villageIds, areas }),
    onSuccess: () => {
      void message.success(t('requests.coverage.saved'));
      void qc.invalidateQueries({ queryKey: COVERAGE_KEY });
      onClose();
    },
  });
  return (
    <Modal open title={t('requests.coverage.editTitle', { name: worker.name })} onCancel={onClose} footer={null} destroyOnHidden>
      <ErrorAlert error={save.error} />
      <Typography.Title level={5}>{t('requests.coverage.villages')}</Typography.Title>
      <Checkbox.Group className="xq-req-checks" value={villageIds} onChange={(v) => setVillageIds(v as string[])} options={villages.map((v) => ({ value: v.id, label: v.name }))} />
      <Typography.Title level={5}>{t('requests.coverage.areas')}</Typography.Title>
      <Checkbox.Group className="xq-req-checks" value={areas} onChange={(v) => setAreas(v as ServiceArea[])} options={AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))} />
      <Button type="primary" block size="large" loading={save.isPending} onClick={() => save.mutate()} style={{ marginTop: 16 }} data-testid="coverage-save">
        {t('requests.coverage.save')}
      </Button>
    </Modal>
  );
}
