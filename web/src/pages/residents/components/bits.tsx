import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Category, Gender, ResidentStatus } from './options';

/** Categories as tags (neutral colour: colour is kept for the risk tier). */
export function CategoryTags({ categories }: { categories: readonly Category[] }) {
  const { t } = useTranslation();
  if (categories.length === 0) return <span className="xq-muted">{t('residents.dash')}</span>;
  return (
    <span className="xq-tags">
      {categories.map((c) => (
        <Tag key={c} bordered={false} color="blue">
          {t(`residents.category.${c}`)}
        </Tag>
      ))}
    </span>
  );
}

export function GenderAge({ gender, age }: { gender: Gender; age: number }) {
  const { t } = useTranslation();
  return (
    <span>
      {t(`residents.gender.${gender}`)} · {t('residents.ageYears', { age })}
    </span>
  );
}

const STATUS_COLOR: Record<ResidentStatus, string> = { active: 'green', moved: 'default', deceased: 'default' };

export function StatusTag({ status, anonymised = false }: { status: ResidentStatus; anonymised?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="xq-tags">
      <Tag color={STATUS_COLOR[status]}>{t(`residents.status.${status}`)}</Tag>
      {anonymised && <Tag>{t('residents.anonymised')}</Tag>}
    </span>
  );
}
