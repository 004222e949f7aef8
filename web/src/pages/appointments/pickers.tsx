import { Button, Empty, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Slot } from './api';
import { clockOf, shortDay, weekdayLabel } from './days';
import { distinctStarts, slotsByDay } from './slots';

export { distinctStarts, slotsByDay };

interface DayProps {
  days: string[];
  slots: Slot[] | undefined;
  loading: boolean;
  error: unknown;
  value?: string;
  onChange: (day: string) => void;
  big?: boolean;
}

/** Days as buttons, each saying how many times are free; a day with none cannot be picked. */
export function DayButtons({ days, slots, loading, error, value, onChange, big }: DayProps) {
  const { t, i18n } = useTranslation();
  if (error) return <ErrorAlert error={error} />;
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  const by = slotsByDay(slots ?? []);
  return (
    <div className={big ? 'xq-appt-choices big' : 'xq-appt-choices'} data-testid="days">
      {days.map((d) => {
        const n = distinctStarts(by.get(d) ?? []).length;
        return (
          <Button
            key={d}
            size={big ? 'large' : 'middle'}
            type={value === d ? 'primary' : 'default'}
            disabled={n === 0}
            onClick={() => onChange(d)}
            className="xq-appt-choice"
            data-testid={`day-${d}`}
            aria-pressed={value === d}
          >
            <span className="xq-appt-choice-main">
              {weekdayLabel(d, i18n.language)} {shortDay(d, i18n.language)}
            </span>
            <span className="xq-appt-choice-sub">{n > 0 ? t('appointments.freeCount', { count: n }) : t('appointments.noneFree')}</span>
          </Button>
        );
      })}
    </div>
  );
}

interface SlotProps {
  slots: Slot[];
  value?: string;
  onChange: (slot: Slot) => void;
  big?: boolean;
}

/** Start times of one day as buttons (`09:00 – 09:30`). */
export function SlotButtons({ slots, value, onChange, big }: SlotProps) {
  const { t } = useTranslation();
  const starts = distinctStarts(slots);
  if (starts.length === 0) return <Empty description={t('appointments.noSlotsDay')} data-testid="slots-empty" />;
  // 上午 / 下午: an older person finds "afternoon" faster than a time among twenty.
  const parts = [
    { key: 'morning', list: starts.filter((s) => clockOf(s.start) < '12:00') },
    { key: 'afternoon', list: starts.filter((s) => clockOf(s.start) >= '12:00') },
  ].filter((p) => p.list.length > 0);
  return (
    <div data-testid="slots">
      {parts.map((part) => (
        <div key={part.key} className="xq-appt-slot-part">
          <div className="xq-appt-part-title">{t(`appointments.${part.key}`)}</div>
          <div className={big ? 'xq-appt-choices big slots' : 'xq-appt-choices slots'}>
            {part.list.map((s) => {
              const picked = value !== undefined && new Date(value).getTime() === new Date(s.start).getTime();
              return (
                <Button
                  key={s.start}
                  size={big ? 'large' : 'middle'}
                  type={picked ? 'primary' : 'default'}
                  onClick={() => onChange(s)}
                  className="xq-appt-choice"
                  data-testid={`slot-${clockOf(s.start).replace(':', '')}`}
                  aria-pressed={picked}
                >
                  <span className="xq-appt-choice-main">
                    {clockOf(s.start)}–{clockOf(s.end)}
                  </span>
                </Button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
