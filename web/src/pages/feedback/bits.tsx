import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../components/format';
import { daysLeft, deadlineDay, type FeedbackStatus, type ItemView } from './api';

const STATUS_COLOR: Record<FeedbackStatus, string> = { open: 'gold', in_progress: 'blue', resolved: 'green', closed: 'default' };

export function ItemStatusTag({ status }: { status: FeedbackStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="item-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`feedback.status.${status}`)}
    </Tag>
  );
}

/** A complaint's deadline as a countdown; red (with words) when overdue or escalated. */
export function Deadline({ item }: { item: ItemView }) {
  const { t } = useTranslation();
  if (item.kind !== 'complaint' || !item.dueAt) return null;
  const settled = item.status === 'resolved' || item.status === 'closed';
  const left = daysLeft(item.dueAt);
  return (
    <span className="xq-fb-deadline">
      {!settled && (
        <Tag color={item.overdue ? 'red' : left < 2 ? 'orange' : 'default'} data-testid="item-deadline" data-overdue={item.overdue ? '1' : '0'}>
          {item.overdue ? t('feedback.overdueDays', { count: -left }) : left < 1 ? t('feedback.dueToday') : t('feedback.daysLeft', { count: left })}
        </Tag>
      )}
      {item.escalatedAt && (
        <Tag color="red" data-testid="item-escalated">
          {t('feedback.escalated')}
        </Tag>
      )}
    </span>
  );
}

/** "2026年12月4日 周五 当天内": the last working day to answer on. */
export function DueDay({ dueAt }: { dueAt: string }) {
  const { t, i18n } = useTranslation();
  return <time dateTime={dueAt}>{t('feedback.dueDay', { date: formatDate(deadlineDay(dueAt), i18n.language) })}</time>;
}
