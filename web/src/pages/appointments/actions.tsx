import { useState } from 'react';
import { App, Button, Checkbox, Form, Input, Modal, Space } from 'antd';
import type { ButtonProps } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors, errorText } from '../../components/errors';
import type { Appointment, Slot, Transition } from './api';
import { allowedTransitions, serviceName, transition, useInvalidateAfterChange, useSlots } from './api';
import { daysFrom, dayOf, today } from './days';
import { DayButtons, SlotButtons, slotsByDay } from './pickers';

type Dialog = null | 'complete' | 'cancel' | 'reschedule';

const PRIMARY: ReadonlySet<Transition> = new Set(['confirm', 'check-in', 'complete']);

/** The buttons an appointment's state allows; the ones that need words open a short form. */
export function AppointmentActions({ a, size }: { a: Appointment; size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const refresh = useInvalidateAfterChange();
  const [dialog, setDialog] = useState<Dialog>(null);
  const quick = useMutation({
    mutationFn: (action: Transition) => transition(a, action),
    onSuccess: (_r, action) => {
      void message.success(t(`appointments.done.${action}`));
      refresh(a.resident.id);
    },
    onError: (e) => {
      void message.error(errorText(e, t, i18n.language));
      // Someone else moved it first: show what it is now.
      if (isApiError(e) && (e.id === 'version_conflict' || e.id === 'invalid_transition')) refresh(a.resident.id);
    },
  });

  const run = (action: Transition) => {
    if (action === 'complete' || action === 'cancel' || action === 'reschedule') return setDialog(action);
    if (action === 'no-show') {
      modal.confirm({
        title: t('appointments.noShowConfirm'),
        okText: t('appointments.action.no-show'),
        cancelText: t('common.cancel'),
        okButtonProps: { danger: true },
        onOk: () => quick.mutateAsync('no-show').catch(() => undefined),
      });
      return;
    }
    quick.mutate(action);
  };

  const actions = allowedTransitions(a.status);
  if (actions.length === 0) return null;
  return (
    <>
      <Space wrap size={[8, 8]} data-testid="appointment-actions">
        {actions.map((action) => (
          <Button
            key={action}
            size={size}
            type={PRIMARY.has(action) ? 'primary' : 'default'}
            danger={action === 'no-show'}
            loading={quick.isPending && quick.variables === action}
            onClick={() => run(action)}
            data-testid={`appointment-${action}`}
          >
            {t(`appointments.action.${action}`)}
          </Button>
        ))}
      </Space>
      {dialog === 'complete' && <CompleteModal a={a} onClose={() => setDialog(null)} />}
      {dialog === 'cancel' && <CancelModal a={a} onClose={() => setDialog(null)} />}
      {dialog === 'reschedule' && <RescheduleModal a={a} onClose={() => setDialog(null)} />}
    </>
  );
}

interface CompleteValues {
  summary: string;
  outcome?: string;
  followUpNeeded?: boolean;
}

/** 完成: the service record is written from this, once; nothing is typed twice. */
function CompleteModal({ a, onClose }: { a: Appointment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CompleteValues>();
  const refresh = useInvalidateAfterChange();
  const save = useMutation({
    mutationFn: (v: CompleteValues) =>
      transition(a, 'complete', {
        summary: v.summary.trim(),
        ...(v.outcome?.trim() ? { outcome: v.outcome.trim() } : {}),
        followUpNeeded: !!v.followUpNeeded,
      }),
    onSuccess: () => {
      void message.success(t('appointments.done.complete'));
      refresh(a.resident.id);
      onClose();
    },
    onError: (e) => applyFieldErrors(form, e),
  });
  return (
    <Modal
      open
      title={t('appointments.completeTitle', { service: serviceName(a) })}
      okText={t('appointments.completeSubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'complete-submit' } as ButtonProps}
      destroyOnHidden
    >
      <p className="xq-muted">{t('appointments.completeHint')}</p>
      <ErrorAlert error={save.error && isApiError(save.error) && Object.keys(save.error.fields).length > 0 ? null : save.error} />
      <Form<CompleteValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="complete-form">
        <Form.Item
          name="summary"
          label={t('serviceRecords.field.summary')}
          rules={[{ required: true, whitespace: true, message: t('serviceRecords.summaryRequired') }, { max: 2000 }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('serviceRecords.summaryPlaceholder')} data-testid="complete-summary" />
        </Form.Item>
        <Form.Item name="outcome" label={t('serviceRecords.field.outcome')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="complete-outcome" />
        </Form.Item>
        <Form.Item name="followUpNeeded" valuePropName="checked" style={{ marginBottom: 0 }}>
          <Checkbox data-testid="complete-follow-up">{t('serviceRecords.field.followUpNeeded')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CancelModal({ a, onClose }: { a: Appointment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const refresh = useInvalidateAfterChange();
  const save = useMutation({
    mutationFn: () => transition(a, 'cancel', reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: () => {
      void message.success(t('appointments.done.cancel'));
      refresh(a.resident.id);
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('appointments.cancelTitle')}
      okText={t('appointments.cancelSubmit')}
      cancelText={t('appointments.keep')}
      okButtonProps={{ danger: true, 'data-testid': 'cancel-submit' } as ButtonProps}
      onOk={() => save.mutate()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={save.error} />
      <p>{t('appointments.cancelHint')}</p>
      <Input.TextArea
        rows={2}
        maxLength={200}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('appointments.cancelReason')}
        aria-label={t('appointments.cancelReason')}
        data-testid="cancel-reason"
      />
    </Modal>
  );
}

/** 改期: pick another free day and time; the old time is released in the same step. */
function RescheduleModal({ a, onClose }: { a: Appointment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const first = today();
  const days = daysFrom(first, 14);
  const [day, setDay] = useState<string | undefined>(dayOf(a.start) >= first ? dayOf(a.start) : undefined);
  const [slot, setSlot] = useState<Slot | undefined>();
  const slots = useSlots(a.serviceType.id, first, 14);
  const refresh = useInvalidateAfterChange();
  const save = useMutation({
    mutationFn: (s: Slot) => transition(a, 'reschedule', { start: s.start, workerId: s.workerId }),
    onSuccess: () => {
      void message.success(t('appointments.done.reschedule'));
      refresh(a.resident.id);
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && (e.id === 'slot_taken' || e.id === 'not_bookable')) {
        setSlot(undefined);
        void slots.refetch();
      }
    },
  });
  const daySlots = day ? (slotsByDay(slots.data ?? []).get(day) ?? []) : [];
  return (
    <Modal
      open
      title={t('appointments.rescheduleTitle', { service: serviceName(a) })}
      okText={t('appointments.rescheduleSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !slot, 'data-testid': 'reschedule-submit' } as ButtonProps}
      onOk={() => slot && save.mutate(slot)}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <ErrorAlert error={save.error} />
      <h4>{t('appointments.pickDay')}</h4>
      <DayButtons
        days={days}
        slots={slots.data}
        loading={slots.isPending}
        error={slots.error}
        value={day}
        onChange={(d) => {
          setDay(d);
          setSlot(undefined);
        }}
      />
      {day && (
        <>
          <h4>{t('appointments.pickTime')}</h4>
          <SlotButtons slots={daySlots} value={slot?.start} onChange={setSlot} />
        </>
      )}
      <p className="xq-muted xq-small">{t('appointments.slotsWindow')}</p>
    </Modal>
  );
}
