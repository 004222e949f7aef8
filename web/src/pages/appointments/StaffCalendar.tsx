import { useMemo, useState } from 'react';
import { Button, Drawer, Empty, Segmented, Select, Skeleton, Space } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile } from '../../components/useIsMobile';
import type { Appointment } from './api';
import { useAppointments, useStationWorkers } from './api';
import { AppointmentCard } from './AppointmentCard';
import { StatusTag } from './bits';
import { BookForResident } from './BookForResident';
import { addDays, clockOf, dayOf, dayStartIso, daysFrom, isDay, shortDay, today, weekdayLabel, weekStart } from './days';

type View = 'day' | 'week';

/** Calendar state in the URL: `?view=week&date=2026-11-30&worker=<id>` (shareable, back button works). */
function useCalendarParams() {
  const [params, setParams] = useSearchParams();
  const mobile = useIsMobile();
  const rawView = params.get('view');
  const view: View = rawView === 'day' || rawView === 'week' ? rawView : mobile ? 'day' : 'week';
  const rawDate = params.get('date');
  const date = isDay(rawDate) ? rawDate : today();
  const worker = params.get('worker') ?? '';
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  return { view, date, worker, set };
}

/** 预约日程: the station's day or week, with every action a state allows. */
export function StaffCalendar() {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const { view, date, worker, set } = useCalendarParams();
  const user = useUser();
  const station = useCurrentStation(user);
  const workers = useStationWorkers(station?.id);
  const [booking, setBooking] = useState(() => new URLSearchParams(window.location.search).get('book') === '1');
  const [openId, setOpenId] = useState<string | null>(null);
  const first = view === 'week' ? weekStart(date) : date;
  const days = daysFrom(first, view === 'week' ? 7 : 1);
  const list = useAppointments({
    from: dayStartIso(first),
    to: dayStartIso(addDays(first, days.length)),
    workerId: worker || undefined,
  });
  const byDay = useMemo(() => {
    const m = new Map<string, Appointment[]>();
    for (const a of [...(list.data ?? [])].sort((x, y) => x.start.localeCompare(y.start))) {
      const d = dayOf(a.start);
      m.set(d, [...(m.get(d) ?? []), a]);
    }
    return m;
  }, [list.data]);
  const open = openId ? list.data?.find((a) => a.id === openId) : undefined;
  const step = view === 'week' ? 7 : 1;
  const range =
    view === 'week'
      ? `${shortDay(days[0]!, i18n.language)} – ${shortDay(days[6]!, i18n.language)}`
      : `${weekdayLabel(date, i18n.language)} ${shortDay(date, i18n.language)}`;

  return (
    <div className="xq-page" data-testid="appointments-staff">
      <PageHeader
        title={t('appointments.title')}
        sub={t('appointments.staffSub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setBooking(true)} data-testid="book-for-resident">
            {t('appointments.bookForResident')}
          </Button>
        }
      />
      <div className="xq-appt-toolbar" data-testid="calendar-toolbar">
        <Segmented<View>
          value={view}
          onChange={(v) => set({ view: v })}
          options={[
            { value: 'day', label: t('appointments.view.day') },
            { value: 'week', label: t('appointments.view.week') },
          ]}
          data-testid="calendar-view"
        />
        <Space.Compact>
          <Button icon={<LeftOutlined />} aria-label={t('appointments.prev')} onClick={() => set({ date: addDays(date, -step) })} data-testid="calendar-prev" />
          <Button onClick={() => set({ date: null })} data-testid="calendar-today">
            {t('appointments.today')}
          </Button>
          <Button icon={<RightOutlined />} aria-label={t('appointments.next')} onClick={() => set({ date: addDays(date, step) })} data-testid="calendar-next" />
        </Space.Compact>
        <strong className="xq-appt-range" data-testid="calendar-range">
          {range}
        </strong>
        <Select
          value={worker}
          onChange={(v: string) => set({ worker: v || null })}
          style={{ minWidth: 150 }}
          aria-label={t('appointments.field.worker')}
          options={[
            { value: '', label: t('appointments.allWorkers') },
            { value: user.id, label: t('appointments.onlyMine') },
            ...(workers.data ?? []).filter((w) => w.id !== user.id).map((w) => ({ value: w.id, label: w.displayName })),
            ...(worker && worker !== user.id && !(workers.data ?? []).some((w) => w.id === worker) ? [{ value: worker, label: t('appointments.oneWorker') }] : []),
          ]}
          data-testid="calendar-worker"
        />
      </div>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : view === 'day' ? (
        <DayList appointments={byDay.get(date) ?? []} onBook={() => setBooking(true)} />
      ) : (
        <div className={mobile ? 'xq-appt-week stacked' : 'xq-appt-week'} data-testid="calendar-week">
          {days.map((d) => (
            <section key={d} className={d === today() ? 'xq-appt-day today' : 'xq-appt-day'} data-day={d}>
              <button type="button" className="xq-appt-day-head" onClick={() => set({ view: 'day', date: d })}>
                <span>{weekdayLabel(d, i18n.language)}</span> <span>{shortDay(d, i18n.language)}</span>
                {d === today() && <span className="xq-appt-today-mark">{t('appointments.today')}</span>}
              </button>
              {(byDay.get(d) ?? []).length === 0 && <div className="xq-muted xq-small xq-appt-none">{t('appointments.noneThisDay')}</div>}
              {(byDay.get(d) ?? []).map((a) => (
                <button
                  type="button"
                  key={a.id}
                  className={`xq-appt-chip status-${a.status}`}
                  onClick={() => setOpenId(a.id)}
                  data-testid="appointment-chip"
                  data-id={a.id}
                  data-status={a.status}
                >
                  <span className="xq-appt-chip-time">{clockOf(a.start)}</span>
                  <span className="xq-appt-chip-name">{a.resident.name}</span>
                  <span className="xq-appt-chip-service">
                    {a.serviceType.name} · {a.worker.name}
                  </span>
                  <StatusTag status={a.status} />
                </button>
              ))}
            </section>
          ))}
        </div>
      )}
      <Drawer
        open={!!open}
        onClose={() => setOpenId(null)}
        title={t('appointments.detailTitle')}
        size={mobile ? '100%' : 480}
        destroyOnHidden
      >
        {open && <AppointmentCard a={open} withDay />}
      </Drawer>
      {booking && (
        <BookForResident
          onClose={() => {
            setBooking(false);
            set({ book: null });
          }}
          defaultDay={date >= today() ? date : today()}
        />
      )}
    </div>
  );
}

function DayList({ appointments, onBook }: { appointments: Appointment[]; onBook: () => void }) {
  const { t } = useTranslation();
  if (appointments.length === 0) {
    return (
      <Empty description={t('appointments.emptyDay')} data-testid="calendar-empty">
        <Button type="primary" icon={<PlusOutlined />} onClick={onBook}>
          {t('appointments.bookForResident')}
        </Button>
      </Empty>
    );
  }
  return (
    <div className="xq-appt-list" data-testid="calendar-day">
      {appointments.map((a) => (
        <AppointmentCard key={a.id} a={a} />
      ))}
    </div>
  );
}
