import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useResidentSearch } from '../residents/components/api';

/** A resident found by name or pinyin (王桂英 / wgy / wangguiying). */
export function ResidentPicker({ value, onChange, initialLabel, testId = 'book-resident', id }: { value?: string; onChange?: (id: string | undefined) => void; initialLabel?: string; testId?: string; id?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const found = useResidentSearch(text);
  // The chosen person keeps their label after the search text changes.
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const options = (found.data?.items ?? []).map((r) => ({
    value: r.id,
    label: `${r.name}${t('appointments.residentHint', {
      text: [r.villageName, t('appointments.age', { age: r.age }), ...(r.idNumberMasked ? [t('appointments.idTail', { tail: r.idNumberMasked.slice(-4) })] : [])].join(' · '),
    })}`,
  }));
  if (value && !options.some((o) => o.value === value)) {
    const label = picked?.value === value ? picked.label : initialLabel;
    if (label) options.unshift({ value, label });
  }
  return (
    <Select
      value={value}
      onChange={(v: string | undefined) => {
        const o = options.find((x) => x.value === v);
        setPicked(o ?? null);
        onChange?.(v);
      }}
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={found.isFetching}
      placeholder={t('appointments.residentSearch')}
      options={options}
      notFoundContent={text.trim() && !found.isFetching ? t('appointments.residentNone') : null}
      data-testid={testId}
    />
  );
}

