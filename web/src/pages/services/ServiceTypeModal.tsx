import { useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { AREAS, MODES, SERVICE_TYPES_KEY, useStationWorkers, type ServiceArea, type ServiceMode, type ServiceType } from './api';

interface Values {
  name: string;
  area: ServiceArea;
  mode: ServiceMode;
  durationMinutes: number;
  bufferMinutes: number;
  travelMinutes: number;
  residentBookable: boolean;
  active: boolean;
  description?: string;
  workerIds: string[];
}

/** Create or edit one service type (station heads). */
export function ServiceTypeModal({ stationId, current, onClose }: { stationId: string; current: ServiceType | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const workers = useStationWorkers(stationId);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // One key per opened form: a retried create is not made twice.
  const [key] = useState(newIdempotencyKey);
  const mode = Form.useWatch('mode', form);

  const initial: Values = current
    ? { ...current, description: current.description ?? '' }
    : { name: '', area: 'policy', mode: 'station', durationMinutes: 30, bufferMinutes: 0, travelMinutes: 0, residentBookable: true, active: true, description: '', workerIds: [] };

  async function submit(v: Values) {
    setSaving(true);
    setError(null);
    const body = { ...v, description: v.description?.trim() || null, travelMinutes: v.mode === 'home_visit' ? v.travelMinutes : 0 };
    try {
      if (current) await api(`/api/service-types/${current.id}`, { method: 'PATCH', body });
      else await api('/api/service-types', { method: 'POST', body: { ...body, stationId }, idempotencyKey: key });
      await qc.invalidateQueries({ queryKey: SERVICE_TYPES_KEY });
      await qc.invalidateQueries({ queryKey: ['service-types'] });
      message.success(t('services.saved'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, { 'workerIds.0': 'workerIds' })) setError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={current ? `${t('services.edit')}：${current.name}` : t('services.create')}
      okText={t('services.save')}
      cancelText={t('services.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'service-save' } as Record<`data-${string}`, string>}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} requiredMark={false} data-testid="service-form">
        <Form.Item name="name" label={t('services.field.name')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input maxLength={60} data-testid="service-name" />
        </Form.Item>
        <div className="xq-svc-grid">
          <Form.Item name="area" label={t('services.field.area')} rules={[{ required: true }]}>
            <Select options={AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))} data-testid="service-area" />
          </Form.Item>
          <Form.Item name="mode" label={t('services.field.mode')} rules={[{ required: true }]}>
            <Select options={MODES.map((m) => ({ value: m, label: t(`services.mode.${m}`) }))} data-testid="service-mode" />
          </Form.Item>
        </div>
        <div className="xq-svc-grid three">
          <Form.Item name="durationMinutes" label={t('services.field.duration')} tooltip={t('services.help.duration')} rules={[{ required: true, type: 'integer', min: 5, max: 480 }]}>
            <InputNumber min={5} max={480} step={5} suffix={t('services.minUnit')} style={{ width: '100%' }} data-testid="service-duration" />
          </Form.Item>
          <Form.Item name="bufferMinutes" label={t('services.field.buffer')} tooltip={t('services.help.buffer')} rules={[{ type: 'integer', min: 0, max: 120 }]}>
            <InputNumber min={0} max={120} step={5} suffix={t('services.minUnit')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="travelMinutes" label={t('services.field.travel')} tooltip={t('services.help.travel')} rules={[{ type: 'integer', min: 0, max: 240 }]}>
            <InputNumber min={0} max={240} step={5} suffix={t('services.minUnit')} disabled={mode !== 'home_visit'} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="workerIds" label={t('services.field.workers')} tooltip={t('services.help.workers')}>
          <Select
            mode="multiple"
            loading={workers.isPending}
            options={(workers.data ?? []).map((w) => ({ value: w.id, label: w.displayName }))}
            optionFilterProp="label"
            data-testid="service-workers"
          />
        </Form.Item>
        <Form.Item name="description" label={t('services.field.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <div className="xq-svc-grid">
          <Form.Item name="residentBookable" label={t('services.field.bookable')} valuePropName="checked">
            <Switch data-testid="service-bookable" />
          </Form.Item>
          <Form.Item name="active" label={t('services.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
