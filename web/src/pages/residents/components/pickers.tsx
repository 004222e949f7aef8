import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useResidentSearch } from './api';
import { NEW_HOUSEHOLD, NO_HOUSEHOLD } from './formModel';

interface PickerProps {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  'aria-invalid'?: boolean;
}

/** A resident found by name or pinyin initials (the guardian). */
export function GuardianSelect({ value, onChange, excludeId, initialLabel, ...rest }: PickerProps & { excludeId?: string; initialLabel?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const found = useResidentSearch(text);
  const options = useMemo(() => {
    const opts = (found.data?.items ?? [])
      .filter((r) => r.id !== excludeId)
      .map((r) => ({
        value: r.id,
        label: `${r.name}${t('residents.paren', {
          text: [
            `${t(`residents.gender.${r.gender}`)} ${t('residents.ageYears', { age: r.age })}`,
            r.villageName,
            // Two people with the same name and age are told apart by the ID's last digits.
            ...(r.idNumberMasked ? [t('residents.idTail', { tail: r.idNumberMasked.slice(-4) })] : []),
          ].join(' · '),
        })}`,
      }));
    if (value && !opts.some((o) => o.value === value)) opts.unshift({ value, label: initialLabel ?? value });
    return opts;
  }, [found.data, excludeId, value, initialLabel, t]);
  return (
    <Select
      {...rest}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={found.isFetching}
      placeholder={t('residents.form.guardianSearch')}
      options={options}
      notFoundContent={null}
      data-testid="resident-guardian"
    />
  );
}

/** No household, a new one, or an existing one found through one of its members. */
export function HouseholdSelect({ value, onChange, villageId, initialLabel, ...rest }: PickerProps & { villageId?: string; initialLabel?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const found = useResidentSearch(text, { villageId });
  const options = useMemo(() => {
    const seen = new Set<string>();
    const households: { value: string; label: string }[] = [];
    for (const r of found.data?.items ?? []) {
      if (!r.householdId || seen.has(r.householdId)) continue;
      seen.add(r.householdId);
      households.push({ value: r.householdId, label: t('residents.form.householdOf', { name: r.name, village: r.villageName }) });
    }
    if (value && value !== NO_HOUSEHOLD && value !== NEW_HOUSEHOLD && !seen.has(value)) {
      households.unshift({ value, label: initialLabel ?? value });
    }
    return [
      { value: NO_HOUSEHOLD, label: t('residents.form.noHousehold') },
      { value: NEW_HOUSEHOLD, label: t('residents.form.newHousehold') },
      ...households,
    ];
  }, [found.data, value, initialLabel, t]);
  return (
    <Select
      {...rest}
      value={value ?? NO_HOUSEHOLD}
      onChange={(v: string) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={found.isFetching}
      placeholder={t('residents.form.householdSearch')}
      options={options}
      data-testid="resident-household"
    />
  );
}
