import { StarFilled, StarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * Five stars as real buttons (a radio group): big targets for elderly fingers, each with a spoken
 * label, and the meaning of the chosen score in words under them (never the stars alone).
 */
export function Stars({ value, onChange, size = 'large', testId = 'stars' }: { value: number; onChange: (score: number) => void; size?: 'large' | 'small'; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className={`xq-stars xq-stars-${size}`} role="radiogroup" aria-label={t('feedback.rateQuestion')} data-testid={testId}>
      <div className="xq-stars-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={value === n}
            aria-label={t('feedback.star', { count: n })}
            className={`xq-star ${n <= value ? 'on' : ''}`}
            onClick={() => onChange(n)}
            data-testid={`${testId}-${n}`}
          >
            {n <= value ? <StarFilled aria-hidden /> : <StarOutlined aria-hidden />}
          </button>
        ))}
      </div>
      {size === 'large' && (
        <div className="xq-stars-text" aria-live="polite" data-testid={`${testId}-text`}>
          {value > 0 ? t(`feedback.scoreText.${value}`) : '\u00a0'}
        </div>
      )}
    </div>
  );
}
