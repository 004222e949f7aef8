import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import type { Column } from '../../../components/ResponsiveTable';
import { RiskTierTag } from '../../../components/RiskTierTag';
import type { ResidentListItemView } from './api';
import { CategoryTags, GenderAge, StatusTag } from './bits';

/** Columns of the resident list; on a phone the name and risk tier head the card instead. */
export function residentColumns(t: TFunction): Column<ResidentListItemView>[] {
  return [
    {
      key: 'name',
      title: t('residents.col.name'),
      hideOnCard: true,
      render: (r) => <ResidentNameLink r={r} />,
    },
    { key: 'genderAge', title: t('residents.col.genderAge'), hideOnCard: true, render: (r) => <GenderAge gender={r.gender} age={r.age} /> },
    { key: 'village', title: t('residents.col.village'), render: (r) => r.villageName },
    { key: 'categories', title: t('residents.col.categories'), render: (r) => <CategoryTags categories={r.categories} /> },
    { key: 'riskTier', title: t('residents.col.riskTier'), hideOnCard: true, render: (r) => <RiskTierTag tier={r.riskTier} /> },
    {
      key: 'idNumber',
      title: t('residents.col.idNumber'),
      render: (r) => (r.idNumberMasked ? <span className="xq-mono">{r.idNumberMasked}</span> : <span className="xq-muted">{t('residents.dash')}</span>),
    },
    {
      key: 'phone',
      title: t('residents.col.phone'),
      render: (r) => {
        const first = r.phones[0];
        if (!first) return <span className="xq-muted">{t('residents.dash')}</span>;
        return (
          <span>
            <span className="xq-mono">{first.numberMasked}</span>{' '}
            <span className="xq-muted">{t('residents.paren', { text: t(`residents.phoneRelation.${first.relation}`) })}</span>
            {r.phones.length > 1 && <span className="xq-muted"> +{r.phones.length - 1}</span>}
          </span>
        );
      },
    },
    { key: 'status', title: t('residents.col.status'), render: (r) => <StatusTag status={r.status} anonymised={r.anonymised} /> },
  ];
}

export function ResidentNameLink({ r }: { r: Pick<ResidentListItemView, 'id' | 'name'> }) {
  return (
    <Link to={`/residents/${r.id}`} className="xq-res-name" data-testid="resident-link">
      {r.name}
    </Link>
  );
}

