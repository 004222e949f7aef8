import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { AlertOutlined, ExclamationCircleOutlined, MinusCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

type RiskTier = 'high' | 'priority' | 'normal';

const LOOK: Record<RiskTier, { color: string; icon: ReactNode }> = {
  high: { color: 'red', icon: <AlertOutlined aria-hidden /> },
  priority: { color: 'orange', icon: <ExclamationCircleOutlined aria-hidden /> },
  normal: { color: 'default', icon: <MinusCircleOutlined aria-hidden /> },
};

/** A risk tier: always colour, icon and words (高风险 / 重点 / 一般), never colour alone. */
export function RiskTierTag({ tier }: { tier: RiskTier }) {
  const { t } = useTranslation();
  const look = LOOK[tier];
  return (
    <Tag color={look.color} icon={look.icon} data-testid="risk-tier" data-tier={tier} style={{ marginInlineEnd: 0 }}>
      {t(`residents.risk.${tier}`)}
    </Tag>
  );
}
