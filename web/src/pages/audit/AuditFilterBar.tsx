import { Button, DatePicker, Form, Input, Select } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from './auditParams';

interface FormValues {
  action?: string;
  actorUsername?: string;
  result?: string;
  entityType?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const fmt = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

export function AuditFilterBar({ value, onChange }: { value: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const { t } = useTranslation();
  const initial: FormValues = {
    ...value,
    range: value.from || value.to ? [value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null] : null,
  };
  return (
    <Form<FormValues>
      key={JSON.stringify(value)}
      layout="inline"
      className="xq-filter-form"
      initialValues={initial}
      data-testid="audit-filters"
      onFinish={(v) =>
        onChange({
          action: v.action?.trim() || undefined,
          actorUsername: v.actorUsername?.trim() || undefined,
          result: v.result || undefined,
          entityType: v.entityType?.trim() || undefined,
          from: fmt(v.range?.[0]),
          to: fmt(v.range?.[1]),
        })
      }
    >
      <Form.Item name="action" label={t('audit.action')}>
        <Input allowClear placeholder="auth.login" data-testid="audit-filter-action" />
      </Form.Item>
      <Form.Item name="actorUsername" label={t('audit.actor')}>
        <Input allowClear autoCapitalize="none" data-testid="audit-filter-username" />
      </Form.Item>
      <Form.Item name="result" label={t('audit.result')}>
        <Select
          allowClear
          placeholder={t('audit.anyResult')}
          style={{ minWidth: 120 }}
          data-testid="audit-filter-result"
          options={(['ok', 'denied', 'error'] as const).map((r) => ({ value: r, label: t(`audit.results.${r}`) }))}
        />
      </Form.Item>
      <Form.Item name="entityType" label={t('audit.entityType')}>
        <Input allowClear data-testid="audit-filter-entity" />
      </Form.Item>
      <Form.Item name="range" label={t('audit.dateRange')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} inputReadOnly />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
      </Form.Item>
    </Form>
  );
}
