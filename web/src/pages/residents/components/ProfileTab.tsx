import type { ReactNode } from 'react';
import { Descriptions, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { IdentityLocale } from '../../../../../server/src/lib/identity';
import { DISABILITY_CATEGORIES, DISABILITY_CATEGORY_LABELS, DISABILITY_GRADE_LABELS } from '../../../../../server/src/lib/identity';
import type { DisabilityGrade } from '../../../../../server/src/lib/identity';
import { MaskedValue } from '../../../components/MaskedValue';
import type { RevealResult } from '../../../components/MaskedValue';
import { RiskTierTag } from '../../../components/RiskTierTag';
import { Time } from '../../../components/Time';
import { useIsMobile } from '../../../components/useIsMobile';
import type { ResidentDetailView } from './api';
import { CategoryTags, StatusTag } from './bits';
import { formatDay } from './dates';
import type { RevealableField } from '../../../../../server/src/modules/residents/schema';

const identityLocale = (lang: string): IdentityLocale => (lang.startsWith('en') ? 'en' : 'zh-CN');

/** "视力残疾 一级" from the stored category digit and grade. */
export function disabilityText(d: { category: number; grade: number }, lang: string): string {
  const loc = identityLocale(lang);
  const cat = DISABILITY_CATEGORIES[d.category - 1];
  const grade = DISABILITY_GRADE_LABELS[d.grade as DisabilityGrade];
  return [cat ? DISABILITY_CATEGORY_LABELS[cat][loc] : String(d.category), grade ? grade[loc] : String(d.grade)].join(' ');
}

/** 基本信息: every field, sensitive ones masked behind an eye button that asks for a reason. */
export function ProfileTab({ r }: { r: ResidentDetailView }) {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const may = (f: RevealableField) => r.revealable.includes(f) && !r.anonymised;
  const none = <span className="xq-muted">{t('residents.detail.notRecorded')}</span>;
  const masked = (field: RevealableField, label: string, value: string | null, testId: string, renderClear?: (x: RevealResult) => ReactNode) =>
    value === null ? (
      none
    ) : (
      <MaskedValue
        residentId={r.id}
        field={field}
        fieldLabel={label}
        masked={<span className="xq-mono">{value}</span>}
        canReveal={may(field)}
        renderClear={renderClear}
        testId={testId}
      />
    );
  const notes = (field: 'healthNotes' | 'incomeNotes', has: boolean) =>
    has ? (
      <MaskedValue
        residentId={r.id}
        field={field}
        fieldLabel={t(`residents.field.${field}`)}
        masked={<span className="xq-muted">{t('residents.detail.recordedHidden')}</span>}
        canReveal={may(field)}
        renderClear={(x) => <span style={{ whiteSpace: 'pre-wrap' }}>{x.value}</span>}
        testId={`resident-${field}`}
      />
    ) : (
      none
    );

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('residents.field.name'), children: r.name },
    { key: 'gender', label: t('residents.field.gender'), children: t(`residents.gender.${r.gender}`) },
    {
      key: 'birthDate',
      label: t('residents.field.birthDate'),
      children: (
        <span>
          {formatDay(r.birthDate, i18n.language)}
          {t('residents.paren', { text: t('residents.ageYears', { age: r.age }) })}
        </span>
      ),
    },
    {
      key: 'idNumber',
      label: t('residents.field.idNumber'),
      children: r.anonymised
        ? t('residents.anonymised')
        : r.idNumberMasked
          ? masked('idNumber', t('residents.field.idNumber'), r.idNumberMasked, 'resident-id')
          : t('residents.detail.noId', { reason: r.noIdReason ?? t('residents.dash') }),
    },
    {
      key: 'phones',
      label: t('residents.field.phones'),
      children:
        r.phones.length === 0 ? (
          none
        ) : (
          <MaskedValue
            residentId={r.id}
            field="phones"
            fieldLabel={t('residents.field.phones')}
            canReveal={may('phones')}
            testId="resident-phones"
            masked={
              <span className="xq-tags" style={{ flexDirection: 'column' }}>
                {r.phones.map((p, i) => (
                  <span key={i}>
                    <span className="xq-mono">{p.numberMasked}</span>
                    {t('residents.paren', { text: t(`residents.phoneRelation.${p.relation}`) })}
                  </span>
                ))}
              </span>
            }
            renderClear={(x) => (
              <span className="xq-tags" style={{ flexDirection: 'column' }}>
                {(x.phones ?? []).map((p, i) => (
                  <span key={i}>
                    <a href={`tel:${p.number}`} className="xq-mono">
                      {p.number}
                    </a>
                    {t('residents.paren', { text: t(`residents.phoneRelation.${p.relation}`) })}
                  </span>
                ))}
              </span>
            )}
          />
        ),
    },
    { key: 'village', label: t('residents.field.village'), children: r.villageName },
    {
      key: 'relationToHead',
      label: t('residents.field.relationToHead'),
      children: r.relationToHead ? t(`residents.relationToHead.${r.relationToHead}`) : none,
    },
    { key: 'address', label: t('residents.field.address'), children: masked('address', t('residents.field.address'), r.addressMasked, 'resident-address') },
    { key: 'categories', label: t('residents.field.categories'), children: <CategoryTags categories={r.categories} /> },
    {
      key: 'riskTier',
      label: t('residents.field.riskTier'),
      children: (
        <span>
          <RiskTierTag tier={r.riskTier} /> <span className="xq-muted">{t(`residents.riskHint.${r.riskTier}`)}</span>
        </span>
      ),
    },
    {
      key: 'disability',
      label: t('residents.field.disability'),
      children: r.disability ? (
        <span className="xq-tags" style={{ flexDirection: 'column', alignItems: 'flex-start' }}>
          <span>{disabilityText(r.disability, i18n.language)}</span>
          {masked('disabilityCertificate', t('residents.field.disabilityCertificate'), r.disability.certificateMasked, 'resident-certificate')}
        </span>
      ) : (
        none
      ),
    },
    { key: 'healthNotes', label: t('residents.field.healthNotes'), children: notes('healthNotes', r.hasHealthNotes) },
    { key: 'incomeNotes', label: t('residents.field.incomeNotes'), children: notes('incomeNotes', r.hasIncomeNotes) },
    {
      key: 'guardian',
      label: t('residents.field.guardian'),
      children: r.guardian ? <Link to={`/residents/${r.guardian.id}`}>{r.guardian.name}</Link> : none,
    },
    {
      key: 'lawfulBasis',
      label: t('residents.field.lawfulBasis'),
      children: (
        <span>
          {t(`residents.lawfulBasis.${r.lawfulBasis}`)}
          <Typography.Paragraph type="secondary" className="xq-small" style={{ margin: 0 }}>
            {t(`residents.lawfulBasisHint.${r.lawfulBasis}`)}
          </Typography.Paragraph>
        </span>
      ),
    },
    {
      key: 'status',
      label: t('residents.field.status'),
      children: (
        <span>
          <StatusTag status={r.status} anonymised={r.anonymised} /> {r.statusDate && formatDay(r.statusDate, i18n.language)}
        </span>
      ),
    },
    { key: 'createdAt', label: t('residents.field.createdAt'), children: <Time value={r.createdAt} /> },
    { key: 'updatedAt', label: t('residents.field.updatedAt'), children: <Time value={r.updatedAt} relative /> },
  ];

  return (
    <Descriptions
      className="xq-res-desc"
      data-testid="resident-profile"
      bordered={!mobile}
      // Two even halves on a desktop: label 15 %, value 35 % each side.
      styles={mobile ? {} : { label: { width: '15%' }, content: { width: '35%' } }}
      size="small"
      column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 2 }}
      items={items}
    />
  );
}
