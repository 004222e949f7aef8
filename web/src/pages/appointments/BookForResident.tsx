import { useMemo, useRef, useState } from 'react';
import { App, Button, Drawer, Form, Input, Radio, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError, newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useIsMobile } from '../../components/useIsMobile';
import { ResidentPicker } from './ResidentPicker';
import type { Slot } from './api';
import { bookAppointment, useInvalidateAfterChange, useServiceTypes, useSlots } from './api';
import { daysFrom, today } from './days';
import { DayButtons, SlotButtons, slotsByDay } from './pickers';

const WINDOW_DAYS = 14;

/** 代为预约: staff book for a resident who phoned or walked in. */
export function BookForResident({ onClose, defaultDay }: { onClose: () => void; defaultDay: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const user = useUser();
  const station = useCurrentStation(user);
  const types = useServiceTypes(station?.id);
  const [residentId, setResidentId] = useState<string>();
  const [serviceTypeId, setServiceTypeId] = useState<string>();
  const [channel, setChannel] = useState<'phone' | 'walk_in' | 'staff'>('phone');
  const [day, setDay] = useState<string | undefined>(defaultDay);
  const [slot, setSlot] = useState<Slot>();
  const [note, setNote] = useState('');
  const first = today();
  const days = daysFrom(first, WINDOW_DAYS);
  const slots = useSlots(serviceTypeId, first, WINDOW_DAYS);
  const refresh = useInvalidateAfterChange();
  // One key per distinct request: a retry of the same booking is answered once.
  const keyRef = useRef<{ sig: string; key: string } | null>(null);

  const book = useMutation({
    mutationFn: () => {
      const body = { serviceTypeId: serviceTypeId!, residentId: residentId!, start: slot!.start, workerId: slot!.workerId, channel, note: note.trim() || undefined };
      const sig = JSON.stringify(body);
      if (keyRef.current?.sig !== sig) keyRef.current = { sig, key: newIdempotencyKey() };
      return bookAppointment(body, keyRef.current.key);
    },
    onSuccess: () => {
      void message.success(t('appointments.booked'));
      refresh(residentId);
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && (e.id === 'slot_taken' || e.id === 'not_bookable')) {
        setSlot(undefined);
        void slots.refetch();
      }
    },
  });

  const typeOptions = useMemo(
    () => (types.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${t(`appointments.mode.${s.mode}`)} · ${t('appointments.minutes', { n: s.durationMinutes })}）` })),
    [types.data, t],
  );
  const daySlots = day ? (slotsByDay(slots.data ?? []).get(day) ?? []) : [];
  const ready = !!residentId && !!serviceTypeId && !!slot;

  return (
    <Drawer
      open
      onClose={onClose}
      title={t('appointments.bookForResident')}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      footer={
        <div className="xq-drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" disabled={!ready} loading={book.isPending} onClick={() => book.mutate()} data-testid="book-submit">
            {t('appointments.bookSubmit')}
          </Button>
        </div>
      }
    >
      <div data-testid="book-for-resident-form">
        <ErrorAlert error={book.error} testId="book-error" />
        <Form layout="vertical" component="div">
          <Form.Item label={t('appointments.field.resident')} required>
            <ResidentPicker value={residentId} onChange={setResidentId} />
          </Form.Item>
          <Form.Item label={t('appointments.field.service')} required>
            <Select
              value={serviceTypeId}
              onChange={(v: string) => {
                setServiceTypeId(v);
                setSlot(undefined);
              }}
              loading={types.isPending}
              options={typeOptions}
              placeholder={t('appointments.pickService')}
              notFoundContent={t('appointments.noServices')}
              data-testid="book-service"
            />
          </Form.Item>
          {types.error ? <ErrorAlert error={types.error} /> : null}
          <Form.Item label={t('appointments.field.channel')}>
            <Radio.Group
              value={channel}
              onChange={(e) => setChannel(e.target.value as typeof channel)}
              optionType="button"
              options={(['phone', 'walk_in', 'staff'] as const).map((c) => ({ value: c, label: t(`appointments.channel.${c}`) }))}
              data-testid="book-channel"
            />
          </Form.Item>
          {serviceTypeId && (
            <>
              <Form.Item label={t('appointments.pickDay')} required>
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
              </Form.Item>
              {day && !slots.isPending && !slots.error && (
                <Form.Item label={t('appointments.pickTime')} required>
                  <SlotButtons slots={daySlots} value={slot?.start} onChange={setSlot} />
                </Form.Item>
              )}
            </>
          )}
          <Form.Item label={t('appointments.field.note')}>
            <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="book-note" />
          </Form.Item>
        </Form>
      </div>
    </Drawer>
  );
}
