import { useEffect, useMemo, useState } from 'react';
import { App, Button, Empty, Form, Input, Popconfirm, Select, Space, Switch, Tag, Typography } from 'antd';
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, isApiError, newIdempotencyKey } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { formatDate } from '../../components/format';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { addDays, isoWeekday, wallClock, zonedInstant } from '../../../../server/src/modules/scheduling/zoned';
import { clock, minuteOf, useExceptions, useHours, useServiceTypeList, useSlotPreview, useStationWorkers, type Hours, type WorkerException } from './api';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
type Block = { start: string; end: string };
type Week = Record<number, Block[]>;

const toWeek = (items: Hours[]): Week => Object.fromEntries(WEEKDAYS.map((d) => [d, items.filter((h) => h.weekday === d).map((h) => ({ start: clock(h.startMinute), end: clock(h.endMinute) }))]));

/** One worker's week: hours, absences, and the bookable times they produce. */
export function ScheduleTab({ stationId, isHead }: { stationId: string | undefined; isHead: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const workers = useStationWorkers(stationId);
  const workerId = params.get('worker') ?? workers.data?.[0]?.id;
  const setWorker = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('worker', id);
    setParams(p, { replace: true });
  };

  return (
    <div className="xq-svc-schedule">
      <ErrorAlert error={workers.error} />
      <Space wrap style={{ marginBottom: 16 }} data-testid="schedule-worker-picked" data-worker={workerId ?? ''}>
        <span>{t('services.worker')}</span>
        <Select
          value={workerId}
          onChange={setWorker}
          placeholder={t('services.pickWorker')}
          aria-label={t('services.worker')}
          loading={workers.isPending}
          options={(workers.data ?? []).map((w) => ({ value: w.id, label: w.displayName }))}
          style={{ minWidth: 180 }}
          data-testid="schedule-worker"
        />
      </Space>
      {workerId && (
        <>
          <HoursEditor key={`${workerId}`} userId={workerId} stationId={stationId} isHead={isHead} />
          <Exceptions userId={workerId} stationId={stationId} isHead={isHead} />
          <SlotPreview userId={workerId} stationId={stationId} />
        </>
      )}
    </div>
  );
}

function HoursEditor({ userId, stationId, isHead }: { userId: string; stationId: string | undefined; isHead: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const hours = useHours(userId, stationId);
  const [week, setWeek] = useState<Week | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [bad, setBad] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  // Load once per worker (the editor remounts per worker): a background refetch — another tab's
  // invalidation, focus — must not wipe edits not yet saved.
  useEffect(() => {
    const data = hours.data;
    if (data) setWeek((w) => w ?? toWeek(data));
  }, [hours.data]);

  if (!week) return <ErrorAlert error={hours.error} />;
  const update = (day: number, change: (blocks: Block[]) => Block[]) => setWeek((w) => (w ? { ...w, [day]: change(w[day]!) } : w));
  const flat = WEEKDAYS.flatMap((d) => week[d]!.map((b) => ({ day: d, b })));

  async function save() {
    setError(null);
    const local: Record<string, string> = {};
    const items = flat.map(({ day, b }, i) => {
      const s = minuteOf(b.start);
      const e = minuteOf(b.end);
      if (s === null) local[`items.${i}.startMinute`] = 'invalid';
      if (e === null) local[`items.${i}.endMinute`] = 'invalid';
      return { weekday: day, startMinute: s ?? 0, endMinute: e ?? 0 };
    });
    setBad(local);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      await api(`/api/workers/${userId}/hours`, { method: 'PUT', body: { stationId, items } });
      await qc.invalidateQueries({ queryKey: ['scheduling'] });
      await qc.invalidateQueries({ queryKey: ['slots'] });
      message.success(t('services.hoursSaved'));
    } catch (e) {
      if (isApiError(e)) setBad(e.fields);
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  let index = -1;
  return (
    // data-worker: whose hours these are (the editor remounts per worker; tests wait for the right one).
    <section className="xq-svc-section" data-testid="hours-editor" data-worker={userId}>
      <Typography.Title level={5}>{t('services.hoursTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('services.hoursHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <div className="xq-svc-week">
        {WEEKDAYS.map((day) => (
          <div key={day} className="xq-svc-day" data-testid={`hours-day-${day}`}>
            <div className="xq-svc-dayname">{t(`services.weekday.${day}`)}</div>
            <div className="xq-svc-blocks">
              {week[day]!.length === 0 && <span className="xq-muted">{t('services.rest')}</span>}
              {week[day]!.map((b, i) => {
                index += 1;
                const k = index;
                const invalid = bad[`items.${k}.startMinute`] || bad[`items.${k}.endMinute`];
                return (
                  <span key={i} className={invalid ? 'xq-svc-block invalid' : 'xq-svc-block'}>
                    <Input type="time" size="small" value={b.start} disabled={!isHead} status={invalid ? 'error' : undefined} aria-label={`${t(`services.weekday.${day}`)} ${t('services.from')}`} onChange={(e) => update(day, (bs) => bs.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} />
                    <span>–</span>
                    <Input type="time" size="small" value={b.end} disabled={!isHead} status={invalid ? 'error' : undefined} aria-label={`${t(`services.weekday.${day}`)} ${t('services.to')}`} onChange={(e) => update(day, (bs) => bs.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} />
                    {isHead && <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('services.removeBlock')} onClick={() => update(day, (bs) => bs.filter((_, j) => j !== i))} />}
                  </span>
                );
              })}
              {isHead && (
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => update(day, (bs) => [...bs, bs.length ? { start: '14:00', end: '17:30' } : { start: '08:30', end: '12:00' }])} data-testid={`hours-add-${day}`}>
                  {t('services.addBlock')}
                </Button>
              )}
            </div>
          </div>
        ))}
      </div>
      {isHead && (
        <Space wrap style={{ marginTop: 12 }}>
          <Button icon={<CopyOutlined />} onClick={() => setWeek((w) => (w ? { ...w, ...Object.fromEntries([2, 3, 4, 5].map((d) => [d, w[1]!.map((b) => ({ ...b }))])) } : w))} data-testid="hours-copy">
            {t('services.copyToWeekdays')}
          </Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="hours-save">
            {t('services.save')}
          </Button>
        </Space>
      )}
    </section>
  );
}

interface ExceptionForm {
  date: string;
  wholeDay: boolean;
  from?: string;
  to?: string;
  kind: 'leave' | 'training' | 'other';
  note?: string;
}

function Exceptions({ userId, stationId, isHead }: { userId: string; stationId: string | undefined; isHead: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useExceptions(userId);
  const [form] = Form.useForm<ExceptionForm>();
  const wholeDay = Form.useWatch('wholeDay', form);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState(newIdempotencyKey);

  async function add(v: ExceptionForm) {
    setError(null);
    const body = { stationId, date: v.date, kind: v.kind, note: v.note?.trim() || null, startMinute: v.wholeDay ? null : minuteOf(v.from ?? ''), endMinute: v.wholeDay ? null : minuteOf(v.to ?? '') };
    try {
      const r = await api<{ affectedAppointments: number }>(`/api/workers/${userId}/exceptions`, { method: 'POST', body, idempotencyKey: key });
      setKey(newIdempotencyKey());
      await qc.invalidateQueries({ queryKey: ['scheduling'] });
      await qc.invalidateQueries({ queryKey: ['slots'] });
      if (r.affectedAppointments > 0) message.warning(t('services.affected', { count: r.affectedAppointments }));
      else message.success(t('services.exceptionSaved'));
      form.resetFields(['note']);
    } catch (e) {
      // Field messages go next to the fields; the alert says something went wrong even when a field is hidden (whole day).
      applyFieldErrors(form, e, { startMinute: 'from', endMinute: 'to' });
      setError(e);
    }
  }

  async function remove(x: WorkerException) {
    try {
      await api(`/api/workers/${userId}/exceptions/${x.id}`, { method: 'DELETE' });
      await qc.invalidateQueries({ queryKey: ['scheduling'] });
      await qc.invalidateQueries({ queryKey: ['slots'] });
    } catch (e) {
      setError(e);
    }
  }

  const columns: Column<WorkerException>[] = [
    { key: 'date', title: t('services.date'), render: (x) => `${formatDate(zonedInstant(x.date, 720), i18n.language)} ${t(`services.weekday.${isoWeekday(x.date)}`)}`, hideOnCard: true },
    { key: 'span', title: t('services.span'), render: (x) => (x.startMinute === null ? t('services.wholeDay') : `${clock(x.startMinute)}–${clock(x.endMinute!)}`) },
    { key: 'kind', title: t('services.kindLabel'), render: (x) => <Tag color={x.kind === 'leave' ? 'orange' : x.kind === 'training' ? 'blue' : 'default'}>{t(`services.kind.${x.kind}`)}</Tag> },
    { key: 'note', title: t('services.note'), render: (x) => x.note ?? '—' },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (x) => (
        <Popconfirm title={t('services.removeConfirm')} onConfirm={() => void remove(x)} okText={t('services.remove')} cancelText={t('services.cancel')}>
          <Button size="small" danger icon={<DeleteOutlined />} disabled={!isHead} data-testid={`exception-remove-${x.date}`}>
            {t('services.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <section className="xq-svc-section" data-testid="exceptions">
      <Typography.Title level={5}>{t('services.exceptionsTitle')}</Typography.Title>
      <ErrorAlert error={error ?? list.error} />
      {isHead && (
        <Form form={form} layout="inline" className="xq-svc-exform" initialValues={{ date: addDays(wallClock(new Date()).date, 1), wholeDay: true, from: '14:00', to: '17:30', kind: 'leave' }} onFinish={(v) => void add(v)} data-testid="exception-form">
          <Form.Item name="date" label={t('services.date')} rules={[{ required: true }]}>
            <Input type="date" data-testid="exception-date" />
          </Form.Item>
          <Form.Item name="wholeDay" label={t('services.wholeDay')} valuePropName="checked">
            <Switch data-testid="exception-wholeday" />
          </Form.Item>
          {!wholeDay && (
            <>
              <Form.Item name="from" label={t('services.from')} rules={[{ required: true }]}>
                <Input type="time" />
              </Form.Item>
              <Form.Item name="to" label={t('services.to')} rules={[{ required: true }]}>
                <Input type="time" />
              </Form.Item>
            </>
          )}
          <Form.Item name="kind" label={t('services.kindLabel')}>
            <Select style={{ minWidth: 110 }} options={(['leave', 'training', 'other'] as const).map((k) => ({ value: k, label: t(`services.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('services.note')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} data-testid="exception-add">
              {t('services.addException')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <ResponsiveTable
        testId="exceptions-table"
        rows={list.data ?? []}
        rowKey={(x) => x.id}
        columns={columns}
        loading={list.isPending}
        cardTitle={(x) => `${formatDate(zonedInstant(x.date, 720), i18n.language)} ${t(`services.weekday.${isoWeekday(x.date)}`)}`}
        empty={<Empty description={t('services.exceptionsEmpty')} />}
      />
    </section>
  );
}

/** The free times this worker would show to residents on one day, for one service. */
function SlotPreview({ userId, stationId }: { userId: string; stationId: string | undefined }) {
  const { t } = useTranslation();
  const types = useServiceTypeList(stationId);
  const mine = useMemo(() => (types.data ?? []).filter((s) => s.active && s.workerIds.includes(userId)), [types.data, userId]);
  const [serviceId, setServiceId] = useState<string | undefined>();
  const [day, setDay] = useState(() => {
    let d = addDays(wallClock(new Date()).date, 1);
    while (isoWeekday(d) > 5) d = addDays(d, 1);
    return d;
  });
  const chosen = serviceId && mine.some((s) => s.id === serviceId) ? serviceId : mine[0]?.id;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day);
  const slots = useSlotPreview(valid ? chosen : undefined, userId, valid ? zonedInstant(day, 0).toISOString() : '', valid ? zonedInstant(addDays(day, 1), 0).toISOString() : '');

  return (
    <section className="xq-svc-section" data-testid="slot-preview">
      <Typography.Title level={5}>{t('services.previewTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('services.previewHint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select value={chosen} onChange={setServiceId} aria-label={t('services.previewService')} placeholder={t('services.previewService')} options={mine.map((s) => ({ value: s.id, label: s.name }))} style={{ minWidth: 180 }} data-testid="preview-service" />
        <Input type="date" value={day} onChange={(e) => setDay(e.target.value)} aria-label={t('services.previewDay')} style={{ width: 170 }} data-testid="preview-day" />
        {slots.data && <span className="xq-muted" data-testid="preview-count">{t('services.previewCount', { count: slots.data.length })}</span>}
      </Space>
      <ErrorAlert error={slots.error} />
      {slots.data && slots.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('services.previewNone')} />}
      <div className="xq-svc-slots" data-testid="preview-slots">
        {(slots.data ?? []).map((s) => (
          <Tag key={s.start} className="xq-svc-slot">
            {clock(wallClock(new Date(s.start)).minute)}–{clock(wallClock(new Date(s.end)).minute)}
          </Tag>
        ))}
      </div>
    </section>
  );
}
