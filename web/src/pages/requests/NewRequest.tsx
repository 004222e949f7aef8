import { useMemo } from 'react';
import { App, Button, Card, Form, Input, Radio, Select } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError, newIdempotencyKey } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { AREAS, URGENCIES, createRequest, useRefresh, type NewRequest as Input_ } from './api';
import { areaName } from './bits';

/** Staff record a need for a resident (phone call, walk-in, seen on a visit): one screen. */
export function NewRequest() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Input_>();
  const key = useMemo(() => newIdempotencyKey(), []);
  const save = useMutation({
    mutationFn: (v: Input_) => createRequest({ ...v, title: v.title.trim(), description: (v.description ?? '').trim() }, key),
    onSuccess: (res) => {
      void message.success(t('requests.done.create'));
      refresh();
      navigate(`/requests/${res.request.id}`, { replace: true });
    },
    onError: (e) => {
      if (isApiError(e) && e.fields) form.setFields(Object.entries(e.fields).map(([name, errors]) => ({ name: name as keyof Input_, errors: [errors] })));
    },
  });
  return (
    <div className="xq-page">
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/requests')} style={{ paddingInline: 0 }}>
        {t('requests.back')}
      </Button>
      <PageHeader title={t('requests.newTitle')} />
      <Card className="xq-req-form">
        <ErrorAlert error={save.error} />
        <Form form={form} layout="vertical" initialValues={{ urgency: 'normal', residentId: params.get('residentId') ?? undefined, description: '' }} onFinish={(v) => save.mutate(v)} requiredMark={false}>
          <Form.Item name="residentId" label={t('requests.field.resident')} rules={[{ required: true, message: t('requests.field.resident') }]}>
            <ResidentPicker testId="request-resident" />
          </Form.Item>
          <Form.Item name="area" label={t('requests.field.area')} rules={[{ required: true, message: t('requests.field.area') }]}>
            <Select options={AREAS.map((a) => ({ value: a, label: areaName(t, a) }))} data-testid="request-area" />
          </Form.Item>
          <Form.Item name="title" label={t('requests.field.title')} rules={[{ required: true, whitespace: true, message: t('requests.field.title') }]}>
            <Input maxLength={80} placeholder={t('requests.titlePlaceholder')} data-testid="request-title-input" />
          </Form.Item>
          <Form.Item name="description" label={t('requests.field.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="urgency" label={t('requests.field.urgency')}>
            <Radio.Group optionType="button" options={URGENCIES.map((u) => ({ value: u, label: t(`requests.urgency.${u}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={save.isPending} data-testid="request-save">
            {t('requests.newButton')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
