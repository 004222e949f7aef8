import { Progress, Steps, Tag } from 'antd';
import {
  AlertOutlined, ArrowDownOutlined, CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, MinusCircleOutlined, MinusOutlined, SyncOutlined, UserAddOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../../components/Time';
import type { CandidateView, RequestStatus, ServiceRequest, Urgency } from './api';

export { areaName, explain } from './explain';

const URGENCY_LOOK: Record<Urgency, { color: string; icon: ReactNode }> = {
  urgent: { color: 'red', icon: <AlertOutlined aria-hidden /> },
  high: { color: 'orange', icon: <ExclamationCircleOutlined aria-hidden /> },
  normal: { color: 'blue', icon: <MinusOutlined aria-hidden /> },
  low: { color: 'default', icon: <ArrowDownOutlined aria-hidden /> },
};

/** Urgency in colour, icon and words (never colour alone). */
export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  const look = URGENCY_LOOK[urgency];
  return (
    <Tag color={look.color} icon={look.icon} data-testid="request-urgency" data-urgency={urgency} style={{ marginInlineEnd: 0 }}>
      {t(`requests.urgency.${urgency}`)}
    </Tag>
  );
}

const STATUS_LOOK: Record<RequestStatus, { color: string; icon: ReactNode }> = {
  open: { color: 'gold', icon: <UserAddOutlined aria-hidden /> },
  assigned: { color: 'blue', icon: <ClockCircleOutlined aria-hidden /> },
  in_progress: { color: 'cyan', icon: <SyncOutlined aria-hidden /> },
  fulfilled: { color: 'green', icon: <CheckCircleOutlined aria-hidden /> },
  cancelled: { color: 'default', icon: <MinusCircleOutlined aria-hidden /> },
};

export function StatusTag({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  const look = STATUS_LOOK[status];
  return (
    <Tag color={look.color} icon={look.icon} data-testid="request-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`requests.status.${status}`)}
    </Tag>
  );
}


/** The status steps a resident follows: raised → assigned → in progress → fulfilled. */
export function RequestSteps({ request, history, small }: { request: ServiceRequest; history?: { status: RequestStatus; at: string }[]; small?: boolean }) {
  const { t } = useTranslation();
  const order: RequestStatus[] = ['open', 'assigned', 'in_progress', 'fulfilled'];
  if (request.status === 'cancelled') return <StatusTag status="cancelled" />;
  const current = order.indexOf(request.status);
  if (small) {
    // A compact bar of four steps: stays on one line in a phone card, even in elder mode.
    return (
      <ol className="xq-req-mini-steps" data-testid="request-steps" data-current={request.status} aria-label={t(`requests.status.${request.status}`)}>
        {order.map((s, i) => (
          <li key={s} className={i < current ? 'done' : i === current ? 'current' : ''} aria-current={i === current ? 'step' : undefined}>
            <span className="xq-req-mini-bar" />
            <span className="xq-req-mini-label">{t(`requests.steps.${s}`)}</span>
          </li>
        ))}
      </ol>
    );
  }
  const when = (s: RequestStatus) => {
    const h = [...(history ?? [])].reverse().find((x) => x.status === s);
    const at = h?.at ?? (s === 'open' ? request.createdAt : s === 'assigned' ? request.assignedAt : s === 'fulfilled' ? request.fulfilledAt : null);
    return at ? <Time value={at} relative /> : null;
  };
  return (
    <Steps
      size="small"
      direction="vertical"
      current={current}
      status={request.status === 'fulfilled' ? 'finish' : 'process'}
      data-testid="request-steps"
      data-current={request.status}
      items={order.map((s, i) => ({ title: t(`requests.steps.${s}`), description: i <= current ? when(s) : null }))}
    />
  );
}

/** The maximum of each score part (docs/requests.md): the bars are drawn against these. */
const PART_MAX = { skill: 40, village: 35, workload: 20, availability: 15 } as const;

export function ScoreBars({ c }: { c: CandidateView }) {
  const { t } = useTranslation();
  return (
    <div className="xq-req-bars">
      {(Object.keys(PART_MAX) as (keyof typeof PART_MAX)[]).map((k) => (
        <div key={k} className="xq-req-bar" data-part={k} data-value={c.parts[k]}>
          <span className="xq-req-bar-label">{t(`requests.candidates.parts.${k}`)}</span>
          <Progress percent={Math.round((c.parts[k] / PART_MAX[k]) * 100)} showInfo={false} size="small" aria-label={`${t(`requests.candidates.parts.${k}`)} ${c.parts[k]}/${PART_MAX[k]}`} />
          <span className="xq-req-bar-value">{c.parts[k]}</span>
        </div>
      ))}
    </div>
  );
}
