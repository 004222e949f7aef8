import { useState } from 'react';
import { App, Button, Empty, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { formatDate } from '../../components/format';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { isoWeekday, wallClock, zonedInstant } from '../../../../server/src/modules/scheduling/zoned';
import { useCalendar, type CalendarDay } from './api';

interface DayForm {
  date: string;
  kind: 'holiday' | 'workday' | 'normal';
  name?: string;
}

/** The national holidays and make-up working days (调休) that switch bookings off and on. */
export function CalendarTab({ isHead }: { isHead: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const thisYear = Number(wallClock(new Date()).date.slice(0, 4));
  const year = Number(params.get('year')) || thisYear;
  const cal = useCalendar(year);
  const [form] = Form.useForm<DayForm>();
  const kind = Form.useWatch('kind', form);
  const [error, setError] = useState<unknown>(null);

  const setYear = (y: number) => {
    const p = new URLSearchParams(params);
    p.set('year', String(y));
    setParams(p, { replace: true });
  };
  const dayLabel = (date: string) => `${formatDate(zonedInstant(date, 720), i18n.language)} ${t(`services.weekday.${isoWeekday(date)}`)}`;

  async function submit(v: DayForm) {
    setError(null);
    try {
      await api(`/api/calendar/${v.date}`, { method: 'PUT', body: { kind: v.kind, ...(v.kind !== 'normal' && { name: v.name }) } });
      await qc.invalidateQueries({ queryKey: ['scheduling'] });
      await qc.invalidateQueries({ queryKey: ['slots'] });
      message.success(t('services.calendarSaved'));
    } catch (e) {
      if (!applyFieldErrors(form, e)) setError(e);
    }
  }

  const columns: Column<CalendarDay>[] = [
    { key: 'date', title: t('services.date'), render: (d) => dayLabel(d.date), hideOnCard: true },
    { key: 'kind', title: t('services.dayKind'), render: (d) => (d.kind === 'holiday' ? <Tag color="red">{t('services.holiday')}</Tag> : <Tag color="blue">{t('services.workday')}</Tag>) },
    { key: 'name', title: t('services.dayName'), render: (d) => d.name },
    { key: 'source', title: t('services.source'), render: (d) => (d.source?.startsWith('manual:') ? t('services.manual') : (d.source ?? '—')) },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('services.calendarTitle', { year })}
        </Typography.Title>
        <Select value={year} onChange={setYear} aria-label={t('services.year')} options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: y }))} data-testid="calendar-year" />
      </Space>
      <Typography.Paragraph type="secondary">{t('services.calendarHint')}</Typography.Paragraph>
      <ErrorAlert error={error ?? cal.error} />
      {isHead && (
        <Form form={form} layout="inline" className="xq-svc-exform" initialValues={{ kind: 'holiday' }} onFinish={(v) => void submit(v)} data-testid="calendar-form">
          <Form.Item name="date" label={t('services.date')} rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="kind" label={t('services.dayKind')}>
            <Select
              style={{ minWidth: 150 }}
              options={[
                { value: 'holiday', label: t('services.holiday') },
                { value: 'workday', label: t('services.workday') },
                { value: 'normal', label: t('services.normalDay') },
              ]}
            />
          </Form.Item>
          {kind !== 'normal' && (
            <Form.Item name="name" label={t('services.dayName')} rules={[{ required: true, whitespace: true, max: 40 }]}>
              <Input maxLength={40} />
            </Form.Item>
          )}
          <Form.Item>
            <Button htmlType="submit">{t('services.setDay')}</Button>
          </Form.Item>
        </Form>
      )}
      <ResponsiveTable
        testId="calendar-table"
        rows={cal.data ?? []}
        rowKey={(d) => d.date}
        columns={columns}
        loading={cal.isPending}
        cardTitle={(d) => dayLabel(d.date)}
        empty={<Empty description={t('services.calendarEmpty')} />}
      />
    </div>
  );
}
