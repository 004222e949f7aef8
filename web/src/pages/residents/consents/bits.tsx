import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsentState } from '../../../../../server/src/modules/consents/rules';
import type { ConsentView, PurposeStatusView } from './api';

const STATE_COLOR: Record<ConsentState, string> = { given: 'green', expired: 'orange', withdrawn: 'red', missing: 'default' };

/** A purpose's state, always with text (never colour alone). */
export function PurposeStateTags({ s }: { s: PurposeStatusView }) {
  const { t } = useTranslation();
  if (!s.required) {
    return (
      <span className="xq-tags">
        <Tag color="blue">{t('consents.notRequired')}</Tag>
        {s.state !== 'missing' && <Tag color={STATE_COLOR[s.state]}>{t(`consents.state.${s.state}`)}</Tag>}
      </span>
    );
  }
  return <Tag color={STATE_COLOR[s.state]}>{t(`consents.state.${s.state}`)}</Tag>;
}

export type RecordState = 'current' | 'renewed' | 'withdrawn' | 'expired' | 'pending';

/** What became of one consent record, for the history list. */
export function recordState(c: ConsentView, today: string): RecordState {
  if (c.standing) return 'current';
  if (c.withdrawnAt) return c.withdrawnReason === 'renewed' ? 'renewed' : 'withdrawn';
  if (c.expiresOn !== null && c.expiresOn <= today) return 'expired';
  return 'pending';
}

export function RecordStateTag({ state }: { state: RecordState }) {
  const { t } = useTranslation();
  switch (state) {
    case 'current':
      return <Tag color="green">{t('consents.current')}</Tag>;
    case 'renewed':
      return <Tag>{t('consents.renewed')}</Tag>;
    case 'withdrawn':
      return <Tag color="red">{t('consents.state.withdrawn')}</Tag>;
    case 'expired':
      return <Tag color="orange">{t('consents.state.expired')}</Tag>;
    case 'pending':
      return <Tag>{t('consents.state.missing')}</Tag>;
  }
}
