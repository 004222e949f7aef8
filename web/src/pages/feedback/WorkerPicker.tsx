import { Select, type SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNamableWorkers } from './api';

/**
 * 针对哪位工作人员: an optional choice of the worker a complaint is about. A resident sees first the
 * workers who served their household lately, then the station's other staff; staff see the station's
 * staff. Empty = about nobody in particular (then every worker of the station can read it).
 */
export function WorkerPicker({ value, onChange, resident, testId }: { value?: string | null; onChange?: (v: string | null) => void; resident?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const workers = useNamableWorkers(true);
  const items = workers.data?.items ?? [];
  const served = items.filter((w) => w.served);
  const others = items.filter((w) => !w.served);
  const opt = (w: { id: string; name: string }) => ({ value: w.id, label: w.name });
  const options: SelectProps['options'] = resident
    ? [
        ...(served.length ? [{ label: t('feedback.aboutWorkerServed'), options: served.map(opt) }] : []),
        ...(others.length ? [{ label: served.length ? t('feedback.aboutWorkerOthers') : t('feedback.aboutWorkerStaff'), options: others.map(opt) }] : []),
      ]
    : items.map(opt);
  return (
    <Select
      value={value ?? undefined}
      onChange={(v?: string) => onChange?.(v ?? null)}
      allowClear
      size={resident ? 'large' : 'middle'}
      loading={workers.isLoading}
      placeholder={t('feedback.aboutWorkerNone')}
      options={options}
      data-testid={testId}
      popupMatchSelectWidth
      style={{ width: '100%' }}
    />
  );
}
