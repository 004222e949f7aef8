import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { AuditEntry, AuditResult } from '../../api/types';
import type { Column } from '../../components/ResponsiveTable';
import { Time } from '../../components/Time';

const RESULT_COLOR: Record<AuditResult, string> = { ok: 'green', denied: 'orange', error: 'red' };


export function auditColumns(t: TFunction): Column<AuditEntry>[] {
  const dash = (v: string | null | undefined) => (v ? v : '—');
  return [
    { key: 'at', title: t('audit.time'), render: (a) => <Time value={a.at} /> },
    { key: 'actor', title: t('audit.actor'), render: (a) => dash(a.actorUsername) },
    {
      key: 'role',
      title: t('audit.role'),
      render: (a) => (a.role ? t(`roles.${a.role}`, { defaultValue: a.role }) : '—'),
    },
    { key: 'action', title: t('audit.action'), render: (a) => <span className="xq-mono">{a.action}</span> },
    {
      key: 'entity',
      title: t('audit.entity'),
      render: (a) => (a.entityType ? `${a.entityType}${a.entityId ? ` · ${a.entityId}` : ''}` : '—'),
    },
    {
      key: 'result',
      title: t('audit.result'),
      render: (a) => (
        <Tag color={RESULT_COLOR[a.result] ?? 'default'}>{t(`audit.results.${a.result}`, { defaultValue: a.result })}</Tag>
      ),
    },
    { key: 'ip', title: t('audit.ip'), render: (a) => <span className="xq-mono">{dash(a.ip)}</span> },
    {
      key: 'requestId',
      title: t('audit.requestId'),
      render: (a) => <span className="xq-mono xq-small">{dash(a.requestId)}</span>,
    },
    {
      key: 'detail',
      title: t('audit.detail'),
      render: (a) => [a.field && `${t('audit.field')}: ${a.field}`, a.reason && `${t('audit.reason')}: ${a.reason}`].filter(Boolean).join('；') || '—',
    },
  ];
}
