import { useRef, useState } from 'react';
import { Alert, Button, Card, Empty, Input, Result, Skeleton, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError, newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { ErrorAlert } from '../../components/ErrorAlert';
import { bookAppointment, useBookableResidents, useInvalidateAfterChange, useServiceTypes, useSlots } from './api';
import { isStaffUser } from './AppointmentsPage';
import { WhenText } from './bits';
import { daysFrom, isDay, today } from './days';
import { DayButtons, SlotButtons, slotsByDay } from './pickers';
import './appointments.css';


const WINDOW_DAYS = 14;
type Step = 'who' | 'service' | 'day' | 'time' | 'confirm';

/** 预约服务: one question per screen — (for whom) → service → day → time → confirm. Every answer is in the URL. */
export function BookPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const station = useCurrentStation(user);
  const [params, setParams] = useSearchParams();
  const staff = isStaffUser(user);
  const people = useBookableResidents(!staff);
  const types = useServiceTypes(station?.id, true);
  const first = today();
  const days = daysFrom(first, WINDOW_DAYS);

  const list = people.data ?? [];
  const who = params.get('who') ?? (list.length === 1 ? list[0]!.id : null);
  const service = params.get('service');
  const rawDay = params.get('day');
  const day = isDay(rawDay) ? rawDay : null;
  const start = params.get('start');
  const worker = params.get('worker');
  const slots = useSlots(service ?? undefined, first, WINDOW_DAYS);

  const steps: Step[] = [...(list.length > 1 ? (['who'] as const) : []), 'service', 'day', 'time', 'confirm'];
  const step: Step = list.length > 1 && !who ? 'who' : !service ? 'service' : !day ? 'day' : !start ? 'time' : 'confirm';
  const index = steps.indexOf(step);

  const go = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  const back = () => {
    if (step === 'confirm') go({ start: null, worker: null });
    else if (step === 'time') go({ day: null });
    else if (step === 'day') go({ service: null });
    else if (step === 'service' && list.length > 1) go({ who: null });
    else navigate('/appointments');
  };

  const chosenType = types.data?.find((s) => s.id === service);
  const person = list.find((p) => p.id === who);

  // Staff book for someone else: that is the calendar's 代为预约 form.
  if (staff) return <Navigate to="/appointments?book=1" replace />;
  if (people.isPending) return <Shell><Skeleton active paragraph={{ rows: 6 }} /></Shell>;
  if (people.error) return <Shell><ErrorAlert error={people.error} /></Shell>;
  if (list.length === 0) {
    return (
      <Shell>
        <Result status="info" title={t('appointments.noLinkTitle')} subTitle={t('appointments.noLinkHint')} data-testid="book-no-link" />
      </Shell>
    );
  }

  return (
    <Shell>
      <div className="xq-book-top">
        <Button size="large" icon={<LeftOutlined />} onClick={back} data-testid="book-back">
          {index === 0 ? t('appointments.backToMine') : t('common.previous')}
        </Button>
        <span className="xq-muted" data-testid="book-progress">
          {t('appointments.stepOf', { n: index + 1, total: steps.length })}
        </span>
      </div>

      {step === 'who' && (
        <Question title={t('appointments.q.who')}>
          <div className="xq-appt-choices big one" data-testid="who-choices">
            {list.map((p) => (
              <Button key={p.id} size="large" onClick={() => go({ who: p.id })} className="xq-appt-choice" data-testid={`who-${p.id}`}>
                <span className="xq-appt-choice-main">{p.name}</span>
                {p.relation && <span className="xq-appt-choice-sub">{t(`appointments.relation.${p.relation}`)}</span>}
              </Button>
            ))}
          </div>
        </Question>
      )}

      {step === 'service' && (
        <Question title={t('appointments.q.service')}>
          <ErrorAlert error={types.error} />
          {types.isPending ? (
            <Skeleton active paragraph={{ rows: 4 }} />
          ) : (types.data ?? []).length === 0 && !types.error ? (
            <Empty description={t('appointments.noBookable')} data-testid="book-no-services" />
          ) : (
            <div className="xq-appt-choices big one" data-testid="service-choices">
              {(types.data ?? []).map((s) => (
                <Button key={s.id} size="large" onClick={() => go({ service: s.id })} className="xq-appt-choice" data-testid="service-choice" data-id={s.id}>
                  <span className="xq-appt-choice-main">{s.name}</span>
                  <span className="xq-appt-choice-sub">
                    {t(`appointments.mode.${s.mode}`)} · {t('appointments.minutes', { n: s.durationMinutes })}
                  </span>
                </Button>
              ))}
            </div>
          )}
        </Question>
      )}

      {step === 'day' && (
        <Question title={t('appointments.q.day')} sub={chosenType?.name}>
          <DayButtons big days={days} slots={slots.data} loading={slots.isPending} error={slots.error} onChange={(d) => go({ day: d })} />
          {!slots.isPending && !slots.error && (slots.data ?? []).length === 0 && (
            <Alert type="info" showIcon title={t('appointments.noSlotsWindow')} style={{ marginTop: 16 }} data-testid="book-no-slots" />
          )}
        </Question>
      )}

      {step === 'time' && day && (
        <Question title={t('appointments.q.time')} sub={chosenType?.name}>
          <ErrorAlert error={slots.error} />
          {slots.isPending ? (
            <Skeleton active paragraph={{ rows: 4 }} />
          ) : (
            <SlotButtons big slots={slotsByDay(slots.data ?? []).get(day) ?? []} onChange={(s) => go({ start: s.start, worker: s.workerId })} />
          )}
        </Question>
      )}

      {step === 'confirm' && service && start && (
        <Confirm
          serviceTypeId={service}
          serviceName={chosenType?.name ?? ''}
          residentId={who!}
          residentName={person?.name ?? ''}
          start={start}
          durationMinutes={chosenType?.durationMinutes ?? 0}
          workerId={worker ?? undefined}
          onTaken={() => {
            void slots.refetch();
            go({ start: null, worker: null });
          }}
        />
      )}
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <div className="xq-page xq-resident-page xq-book" data-testid="book-page">
      {children}
    </div>
  );
}

function Question({ title, sub, children }: { title: string; sub?: string; children: React.ReactNode }) {
  return (
    <section>
      <Typography.Title level={3} className="xq-book-question" data-testid="book-question">
        {title}
      </Typography.Title>
      {sub && <div className="xq-muted xq-book-sub">{sub}</div>}
      {children}
    </section>
  );
}

interface ConfirmProps {
  serviceTypeId: string;
  serviceName: string;
  residentId: string;
  residentName: string;
  start: string;
  durationMinutes: number;
  workerId?: string;
  onTaken: () => void;
}

function Confirm(p: ConfirmProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const refresh = useInvalidateAfterChange();
  const [note, setNote] = useState('');
  const keyRef = useRef<{ sig: string; key: string } | null>(null);
  const [taken, setTaken] = useState(false);
  const book = useMutation({
    mutationFn: () => {
      const body = { serviceTypeId: p.serviceTypeId, residentId: p.residentId, start: p.start, workerId: p.workerId, note: note.trim() || undefined };
      const sig = JSON.stringify(body);
      if (keyRef.current?.sig !== sig) keyRef.current = { sig, key: newIdempotencyKey() };
      return bookAppointment(body, keyRef.current.key);
    },
    onSuccess: (r) => {
      refresh(p.residentId);
      navigate(`/appointments?booked=${encodeURIComponent(r.appointment.id)}`, { replace: true });
    },
    onError: (e) => {
      if (isApiError(e) && (e.id === 'slot_taken' || e.id === 'not_bookable')) setTaken(true);
    },
  });
  const end = new Date(new Date(p.start).getTime() + p.durationMinutes * 60_000).toISOString();
  return (
    <Question title={t('appointments.q.confirm')}>
      {taken ? (
        <Alert
          type="warning"
          showIcon
          title={t('appointments.takenTitle')}
          description={t('appointments.takenHint')}
          action={
            <Button size="large" onClick={p.onTaken} data-testid="book-pick-again">
              {t('appointments.pickAgain')}
            </Button>
          }
          style={{ marginBottom: 16 }}
          data-testid="book-taken"
        />
      ) : (
        <ErrorAlert error={book.error} testId="book-error" />
      )}
      <Card className="xq-book-summary" data-testid="book-summary">
        <dl>
          <dt>{t('appointments.field.service')}</dt>
          <dd>{p.serviceName}</dd>
          <dt>{t('appointments.field.time')}</dt>
          <dd>{p.durationMinutes > 0 ? <WhenText start={p.start} end={end} /> : <WhenText start={p.start} end={p.start} />}</dd>
          <dt>{t('appointments.field.forWhom')}</dt>
          <dd>{p.residentName}</dd>
        </dl>
      </Card>
      <label className="xq-book-note">
        <span>{t('appointments.noteOptional')}</span>
        <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="book-note" />
      </label>
      <Button type="primary" size="large" block className="xq-big-button" loading={book.isPending} disabled={taken} onClick={() => book.mutate()} data-testid="book-confirm">
        {t('appointments.confirmBook')}
      </Button>
      <p className="xq-muted" style={{ marginTop: 12 }}>
        {t('appointments.confirmHint')}
      </p>
    </Question>
  );
}
