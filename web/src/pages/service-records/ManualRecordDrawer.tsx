import { useRef } from 'react';
import { App, Button, Checkbox, DatePicker, Drawer, Form, Input, Radio, Select, TimePicker } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ServiceRecordView } from '../../../../server/src/modules/service-records/schema';
import { api, isApiError, newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsMobile } from '../../components/useIsMobile';
import { useServiceTypes } from '../appointments/api';
import { clockOf, instantOf, today } from '../appointments/days';
import { shanghaiDay } from '../../components/format';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { useStationWorkers } from '../appointments/api';
import { ResidentsPicker } from './ResidentsPicker';
import { METHODS } from './recordParams';

interface Values {
  residentId?: string;
  residentIds?: string[];
  coWorkerIds?: string[];
  method?: string;
  serviceTypeId?: string;
  date?: Dayjs;
  time?: Dayjs;
  minutes: number;
  place?: string;
  summary?: string;
  outcome?: string;
  followUpNeeded?: boolean;
}

const DURATIONS = [15, 30, 45, 60, 90, 120, 180];
/** Server field → form field. */
const FIELD_MAP: Record<string, string> = { start: 'time', end: 'minutes' };
/** Methods where one session serves many residents: the form asks for all of them at once. */
const GROUP_METHODS = new Set(['group', 'community']);

/** Half an hour ago, rounded down to five minutes: a service that just ended. */
const defaultStartAt = () => Date.now() - 30 * 60_000;

function defaultStart(at: number): Dayjs {
  const clock = clockOf(at);
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return dayjs().hour(h).minute(m - (m % 5)).second(0);
}

/** 新增服务记录: one screen, usable on a phone in a village; anything not recorded from an appointment. */
export function ManualRecordDrawer({ onClose, defaultResident }: { onClose: () => void; defaultResident?: { id: string; name?: string } }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const user = useUser();
  const station = useCurrentStation(user);
  const types = useServiceTypes(station?.id);
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const keyRef = useRef<{ sig: string; key: string } | null>(null);
  // Date and time of the default start come from one instant: just after midnight it is still yesterday.
  const startAt = useRef(defaultStartAt());
  const method = Form.useWatch('method', form);
  const group = GROUP_METHODS.has(method ?? '');
  const workers = useStationWorkers(station?.id);
  const known = defaultResident?.name ? new Map([[defaultResident.id, defaultResident.name]]) : undefined;
  const names = useRef<Map<string, string>>(new Map(known ?? []));

  /** Field errors on the form; a problem with one of several residents ("residentIds.2") names the person. */
  function showErrors(e: unknown, residentIds: string[] | undefined) {
    if (!isApiError(e)) return;
    const byField = new Map<string, string[]>();
    const add = (name: string, text: string) => byField.set(name, [...(byField.get(name) ?? []), text]);
    for (const [k, problem] of Object.entries(e.fields)) {
      const [head, index] = k.split('.');
      if (head === 'residentIds' && index !== undefined) {
        const id = residentIds?.[Number(index)];
        add('residentIds', t('serviceRecords.personProblem', { name: (id && names.current.get(id)) || t('serviceRecords.field.resident'), problem }));
      } else if (head === 'coWorkerIds') add('coWorkerIds', problem);
      else add(FIELD_MAP[k] ?? k, problem);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof Values, errors })));
  }

  const save = useMutation({
    mutationFn: (v: Values) => {
      const day = v.date!.format('YYYY-MM-DD');
      const start = instantOf(day, v.time!.format('HH:mm'));
      const end = new Date(new Date(start).getTime() + v.minutes * 60_000).toISOString();
      const body = {
        // The submitted method decides, as on the server (not the value watched at the last render).
        ...(GROUP_METHODS.has(v.method!) ? { residentIds: v.residentIds! } : { residentId: v.residentId! }),
        ...(v.coWorkerIds?.length ? { coWorkerIds: v.coWorkerIds } : {}),
        method: v.method!,
        serviceTypeId: v.serviceTypeId ?? null,
        start,
        end,
        place: v.place?.trim() || null,
        summary: v.summary!.trim(),
        outcome: v.outcome?.trim() || null,
        followUpNeeded: !!v.followUpNeeded,
      };
      const sig = JSON.stringify(body);
      if (keyRef.current?.sig !== sig) keyRef.current = { sig, key: newIdempotencyKey() };
      return api<{ record: ServiceRecordView; records?: ServiceRecordView[] }>('/api/service-records', { method: 'POST', body, idempotencyKey: keyRef.current.key });
    },
    onSuccess: (r) => {
      const all = r.records ?? [r.record];
      void message.success(all.length > 1 ? t('serviceRecords.savedGroup', { n: all.length }) : t('serviceRecords.saved'));
      void qc.invalidateQueries({ queryKey: ['service-records'] });
      for (const x of all) void qc.invalidateQueries({ queryKey: ['resident-timeline', x.resident.id] });
      onClose();
    },
    onError: (e, v) => showErrors(e, v.residentIds),
  });
  const fieldErrorsShown = isApiError(save.error) && Object.keys(save.error.fields).length > 0;

  return (
    <Drawer
      open
      onClose={onClose}
      title={t('serviceRecords.create')}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      footer={
        <div className="xq-drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="record-save">
            {t('serviceRecords.save')}
          </Button>
        </div>
      }
    >
      <ErrorAlert error={fieldErrorsShown ? null : save.error} testId="record-error" />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{ residentId: defaultResident?.id, residentIds: defaultResident ? [defaultResident.id] : undefined, date: dayjs(shanghaiDay(startAt.current)), time: defaultStart(startAt.current), minutes: 30, method: 'casework' }}
        data-testid="record-form"
        className="xq-sr-form"
      >
        <Form.Item name="method" label={t('serviceRecords.field.method')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            className="xq-sr-methods"
            options={METHODS.map((m) => ({ value: m, label: t(`serviceRecords.method.${m}`) }))}
            data-testid="record-method"
          />
        </Form.Item>
        {/* Both pickers stay mounted (one hidden), so switching the method back and forth keeps the names shown. */}
        <Form.Item
          name="residentIds"
          hidden={!group}
          label={t('serviceRecords.participants')}
          extra={t('serviceRecords.participantsHint')}
          rules={group ? [{ required: true, type: 'array', min: 1, message: t('serviceRecords.participantsRequired') }] : []}
        >
          <ResidentsPicker testId="record-residents" initialLabels={known} onLabels={(m) => (names.current = m)} />
        </Form.Item>
        <Form.Item name="residentId" hidden={group} label={t('serviceRecords.field.resident')} rules={group ? [] : [{ required: true, message: t('serviceRecords.residentRequired') }]}>
          <ResidentPicker testId="record-resident" initialLabel={defaultResident?.name} />
        </Form.Item>
        <Form.Item name="serviceTypeId" label={t('serviceRecords.field.service')}>
          <Select
            allowClear
            loading={types.isPending}
            placeholder={t('serviceRecords.typeOptional')}
            options={(types.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            data-testid="record-service"
          />
        </Form.Item>
        <div className="xq-sr-when">
          <Form.Item name="date" label={t('serviceRecords.date')} rules={[{ required: true, message: t('serviceRecords.dateRequired') }]}>
            <DatePicker inputReadOnly allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > today()} data-testid="record-date" />
          </Form.Item>
          <Form.Item name="time" label={t('serviceRecords.startTime')} rules={[{ required: true, message: t('serviceRecords.timeRequired') }]}>
            <TimePicker format="HH:mm" minuteStep={5} inputReadOnly allowClear={false} needConfirm={false} data-testid="record-time" />
          </Form.Item>
          <Form.Item name="minutes" label={t('serviceRecords.duration')}>
            <Select options={DURATIONS.map((n) => ({ value: n, label: t('serviceRecords.minutes', { n }) }))} style={{ minWidth: 100 }} data-testid="record-minutes" />
          </Form.Item>
        </div>
        <Form.Item name="place" label={t('serviceRecords.field.place')} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t('serviceRecords.placePlaceholder')} data-testid="record-place" />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('serviceRecords.field.summary')}
          rules={[{ required: true, whitespace: true, message: t('serviceRecords.summaryRequired') }, { max: 2000 }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t(group ? 'serviceRecords.groupSummaryPlaceholder' : 'serviceRecords.summaryPlaceholder')} data-testid="record-summary-input" />
        </Form.Item>
        <Form.Item name="outcome" label={t('serviceRecords.field.outcome')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="record-outcome" />
        </Form.Item>
        <Form.Item name="coWorkerIds" label={t('serviceRecords.coWorkers')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('serviceRecords.coWorkersHint')}
            loading={workers.isPending}
            options={(workers.data ?? []).filter((w) => w.id !== user.id).map((w) => ({ value: w.id, label: w.displayName }))}
            optionFilterProp="label"
            data-testid="record-coworkers"
          />
        </Form.Item>
        <Form.Item name="followUpNeeded" valuePropName="checked" style={{ marginBottom: 0 }}>
          <Checkbox data-testid="record-follow-up">{t('serviceRecords.field.followUpNeeded')}</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
