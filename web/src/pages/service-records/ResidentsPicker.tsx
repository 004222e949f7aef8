import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useResidentSearch } from '../residents/components/api';

/**
 * Several residents at once, found by name or pinyin initials (a group or community session). The
 * names chosen stay shown while the search text changes; `onLabels` hands them to the form so that
 * a problem with one person can name them.
 */
export function ResidentsPicker({
  value,
  onChange,
  onLabels,
  initialLabels,
  testId,
  id,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  onLabels?: (labels: Map<string, string>) => void;
  /** Names of residents already in `value` when the form opens. */
  initialLabels?: ReadonlyMap<string, string>;
  testId: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const found = useResidentSearch(text);
  const [names, setNames] = useState<Map<string, string>>(() => new Map(initialLabels ?? []));
  const options = (found.data?.items ?? []).map((r) => ({
    value: r.id,
    name: r.name,
    label: `${r.name}${t('appointments.residentHint', { text: [r.villageName, t('appointments.age', { age: r.age })].join(' · ') })}`,
  }));
  for (const v of value ?? []) if (!options.some((o) => o.value === v)) options.unshift({ value: v, name: names.get(v) ?? v, label: names.get(v) ?? v });
  return (
    <Select
      mode="multiple"
      value={value ?? []}
      onChange={(ids: string[]) => {
        const next = new Map(names);
        for (const o of options) if (ids.includes(o.value)) next.set(o.value, o.name);
        setNames(next);
        onLabels?.(next);
        onChange?.(ids);
      }}
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={found.isFetching}
      placeholder={t('appointments.residentSearch')}
      // Short tags (the name only) so a long list still fits a phone.
      options={options.map(({ value: v, label }) => ({ value: v, label }))}
      labelRender={({ value: v }) => names.get(String(v)) ?? options.find((o) => o.value === v)?.name ?? String(v)}
      notFoundContent={text.trim() && !found.isFetching ? t('appointments.residentNone') : null}
      data-testid={testId}
    />
  );
}
