import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RoleGrant } from '../api/types';

export function RoleTags({ roles }: { roles: RoleGrant[] }) {
  const { t } = useTranslation();
  const unique = [...new Set(roles.map((r) => r.role))];
  if (unique.length === 0) return <span>—</span>;
  return (
    <>
      {unique.map((r) => (
        <Tag key={r} color="blue" variant="outlined">
          {t(`roles.${r}`, { defaultValue: r })}
        </Tag>
      ))}
    </>
  );
}
