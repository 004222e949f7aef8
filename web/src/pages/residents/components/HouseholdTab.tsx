import { Card, Descriptions, Empty, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ResponsiveTable } from '../../../components/ResponsiveTable';
import type { Column } from '../../../components/ResponsiveTable';
import { RiskTierTag } from '../../../components/RiskTierTag';
import type { Household, ResidentDetailView } from './api';
import { useHousehold } from './api';
import { CategoryTags, GenderAge, StatusTag } from './bits';

type Member = Household['members'][number];

/** 家庭: the household this resident belongs to, each member a link to their own file. */
export function HouseholdTab({ r }: { r: ResidentDetailView }) {
  const { t } = useTranslation();
  const q = useHousehold(r.householdId);
  if (!r.householdId) return <Empty description={t('residents.detail.noHousehold')} data-testid="household-none" />;
  if (q.isPending) return <Skeleton active />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const h = q.data;

  const name = (m: Member) =>
    m.id === r.id ? (
      <span>
        <strong>{m.name}</strong> <Tag>{t('residents.detail.self')}</Tag>
      </span>
    ) : (
      <Link to={`/residents/${m.id}`} data-testid="household-member-link">
        {m.name}
      </Link>
    );

  const columns: Column<Member>[] = [
    { key: 'name', title: t('residents.col.name'), hideOnCard: true, render: name },
    { key: 'relation', title: t('residents.field.relationToHead'), render: (m) => t(`residents.relationToHead.${m.relationToHead}`) },
    { key: 'genderAge', title: t('residents.col.genderAge'), render: (m) => <GenderAge gender={m.gender} age={m.age} /> },
    { key: 'categories', title: t('residents.col.categories'), render: (m) => <CategoryTags categories={m.categories} /> },
    { key: 'risk', title: t('residents.col.riskTier'), hideOnCard: true, render: (m) => <RiskTierTag tier={m.riskTier} /> },
    { key: 'status', title: t('residents.col.status'), render: (m) => <StatusTag status={m.status} /> },
  ];

  return (
    <div data-testid="household-view">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 1, md: 3 }}
          items={[
            {
              key: 'head',
              label: t('residents.detail.householdHead'),
              children: h.head ? (h.head.id === r.id ? h.head.name : <Link to={`/residents/${h.head.id}`}>{h.head.name}</Link>) : t('residents.dash'),
            },
            { key: 'village', label: t('residents.field.village'), children: h.villageName },
            {
              key: 'address',
              label: t('residents.detail.householdAddress'),
              children: h.addressMasked ? <span className="xq-mono">{h.addressMasked}</span> : t('residents.dash'),
            },
          ]}
        />
      </Card>
      <ResponsiveTable
        testId="household-members"
        rows={h.members}
        rowKey={(m) => m.id}
        columns={columns}
        loading={false}
        cardTitle={name}
        cardExtra={(m) => <RiskTierTag tier={m.riskTier} />}
        empty={<Empty />}
      />
    </div>
  );
}
