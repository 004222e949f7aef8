import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from './format';

/** A time in China time; `relative` shows "3天前" with the full time on hover. */
export function Time({ value, relative = false }: { value: string | null | undefined; relative?: boolean }) {
  const { i18n } = useTranslation();
  if (!value) return <span aria-label="—">—</span>;
  const full = formatDateTime(value, i18n.language);
  return (
    <time dateTime={value} title={full}>
      {relative ? formatRelative(value, i18n.language) : full}
    </time>
  );
}
