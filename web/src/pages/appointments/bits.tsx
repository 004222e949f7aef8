import { Tag } from 'antd';
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  LoginOutlined,
  MinusCircleOutlined,
  QuestionCircleOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentStatus } from './api';
import { clockOf, dayOf, shortDay, weekdayLabel } from './days';

const LOOK: Record<AppointmentStatus, { color: string; icon: ReactNode }> = {
  requested: { color: 'gold', icon: <QuestionCircleOutlined aria-hidden /> },
  confirmed: { color: 'blue', icon: <ClockCircleOutlined aria-hidden /> },
  checked_in: { color: 'cyan', icon: <LoginOutlined aria-hidden /> },
  completed: { color: 'green', icon: <CheckCircleOutlined aria-hidden /> },
  cancelled: { color: 'default', icon: <MinusCircleOutlined aria-hidden /> },
  no_show: { color: 'red', icon: <CloseCircleOutlined aria-hidden /> },
};

/** A state in colour, icon and words (never colour alone). */
export function StatusTag({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation();
  const look = LOOK[status];
  return (
    <Tag color={look.color} icon={look.icon} data-testid="appointment-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`appointments.status.${status}`)}
    </Tag>
  );
}

/** `周一 11月30日 09:00–09:30` */
export function WhenText({ start, end, withDay = true }: { start: string; end: string; withDay?: boolean }) {
  const { i18n } = useTranslation();
  const d = dayOf(start);
  return (
    <time dateTime={start}>
      {withDay && `${weekdayLabel(d, i18n.language)} ${shortDay(d, i18n.language)} `}
      {clockOf(start)}–{clockOf(end)}
    </time>
  );
}
