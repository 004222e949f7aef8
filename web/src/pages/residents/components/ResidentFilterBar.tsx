import { useState } from 'react';
import { Button, Input, InputNumber, Select, Typography } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Village } from '../../../api/types';
import { useIsMobile } from '../../../components/useIsMobile';
import { categoryOptions, riskOptions, statusOptions } from './options';
import { isPartialNumber } from './residentParams';
import type { ResidentFilterKey, ResidentFilters } from './residentParams';

interface Props {
  value: ResidentFilters;
  villages: Village[];
  villagesLoading: boolean;
  onChange: (key: ResidentFilterKey, value: string) => void;
  onClear: () => void;
}

/** Filters above the resident list; every change goes straight into the URL. */
export function ResidentFilterBar({ value, villages, villagesLoading, onChange, onClear }: Props) {
  const { t } = useTranslation();
  const any = Object.keys(value).length > 0;
  const mobile = useIsMobile();
  // On a phone the filters other than search fold away until asked for (or in use).
  const set = Object.keys(value).filter((k) => k !== 'q').length;
  const [open, setOpen] = useState(false);
  const showAll = !mobile || open || set > 0;
  const age = (key: 'ageMin' | 'ageMax') => (
    <InputNumber<number>
      key={`${key}-${value[key] ?? ''}`}
      min={0}
      max={150}
      precision={0}
      inputMode="numeric"
      defaultValue={value[key] ? Number(value[key]) : undefined}
      placeholder={t(`residents.${key}`)}
      aria-label={t(`residents.${key}`)}
      data-testid={`residents-filter-${key}`}
      onBlur={(e) => onChange(key, e.target.value.trim())}
      onPressEnter={(e) => onChange(key, (e.target as HTMLInputElement).value.trim())}
    />
  );
  return (
    <>
      <div className="xq-res-filters" data-testid="residents-filters">
        <Input.Search
          key={value.q ?? ''}
          className="xq-res-search"
          defaultValue={value.q}
          allowClear
          maxLength={40}
          placeholder={t('residents.search')}
          aria-label={t('residents.search')}
          data-testid="residents-search"
          onSearch={(v) => onChange('q', v.trim())}
        />
        {mobile && set === 0 && (
          <Button icon={<FilterOutlined />} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="residents-filters-toggle">
            {t('residents.filters')}
          </Button>
        )}
        {showAll && (
          <>
            <Select
              value={value.villageId}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={villagesLoading}
              placeholder={t('residents.allVillages')}
              aria-label={t('residents.col.village')}
              data-testid="residents-filter-village"
              onChange={(v: string | undefined) => onChange('villageId', v ?? '')}
              options={villages.map((v) => ({ value: v.id, label: v.name }))}
            />
            <Select
              value={value.category}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('residents.allCategories')}
              aria-label={t('residents.col.categories')}
              data-testid="residents-filter-category"
              onChange={(v: string | undefined) => onChange('category', v ?? '')}
              options={categoryOptions(t)}
            />
            <Select
              value={value.riskTier}
              allowClear
              placeholder={t('residents.allRiskTiers')}
              aria-label={t('residents.col.riskTier')}
              data-testid="residents-filter-risk"
              onChange={(v: string | undefined) => onChange('riskTier', v ?? '')}
              options={riskOptions(t)}
            />
            <Select
              value={value.status}
              allowClear
              placeholder={t('residents.allStatuses')}
              aria-label={t('residents.col.status')}
              data-testid="residents-filter-status"
              onChange={(v: string | undefined) => onChange('status', v ?? '')}
              options={statusOptions(t)}
            />
            <div className="xq-res-age" role="group" aria-label={t('residents.ageRange')}>
              {age('ageMin')}
              <span aria-hidden>{t('residents.ageTo')}</span>
              {age('ageMax')}
              <span className="xq-muted">{t('residents.years')}</span>
            </div>
          </>
        )}
      </div>
      {(any || (value.q && isPartialNumber(value.q))) && (
        <div className="xq-res-filter-foot">
          {value.q && isPartialNumber(value.q) && (
            <Typography.Text type="warning" data-testid="residents-search-hint">
              {t('residents.searchHint')}
            </Typography.Text>
          )}
          {any && (
            <Button size="small" onClick={onClear} data-testid="residents-clear-filters">
              {t('residents.clearFilters')}
            </Button>
          )}
        </div>
      )}
    </>
  );
}
