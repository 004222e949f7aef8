import { Button, Empty } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { AuditEntry } from '../../api/types';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { AuditFilterBar } from './AuditFilterBar';
import { auditColumns } from './auditColumns';
import { readFilters, toApiQuery } from './auditParams';
import type { AuditFilters } from './auditParams';
import { useAuditVerify, VerifyOutcome } from './AuditVerify';

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const list = useCursorList<AuditEntry>(['audit'], '/api/audit', toApiQuery(filters), 50);
  const verify = useAuditVerify();
  const filtered = Object.keys(filters).length > 0;

  const apply = (f: AuditFilters) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) next.set(k, v);
    setParams(next);
  };

  return (
    <div className="xq-page">
      <PageHeader
        title={t('modules.audit')}
        sub={t('audit.sub')}
        extra={
          <Button
            icon={<SafetyCertificateOutlined />}
            loading={verify.isPending}
            onClick={() => verify.mutate()}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </Button>
        }
      />
      <VerifyOutcome verify={verify} />
      <AuditFilterBar value={filters} onChange={apply} />
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="audit-table"
        rows={list.items}
        rowKey={(a) => a.id}
        columns={auditColumns(t)}
        loading={list.isLoading}
        cardTitle={(a) => `#${a.seq}`}
        empty={<Empty description={filtered ? t('audit.emptyFiltered') : t('audit.empty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
