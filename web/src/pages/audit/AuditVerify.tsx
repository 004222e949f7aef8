import { Result, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api/client';
import type { AuditVerify } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';

/** 校验完整性: the server walks the hash chain and reports the first broken link. */
export function useAuditVerify() {
  return useMutation({ mutationFn: () => apiGet<AuditVerify>('/api/audit/verify') });
}

export function VerifyOutcome({ verify }: { verify: ReturnType<typeof useAuditVerify> }) {
  const { t } = useTranslation();
  if (verify.isIdle || verify.isPending) return null;
  if (verify.isError) {
    return (
      <div data-testid="audit-verify-result">
        <ErrorAlert error={verify.error} />
      </div>
    );
  }
  const result = verify.data;
  if (!result) return null;
  const b = result.firstBroken;
  return (
    <div data-testid="audit-verify-result" data-ok={result.ok ? 'true' : 'false'} className="xq-verify">
      {result.ok ? (
        <Result status="success" title={t('audit.verifyOk')} subTitle={t('audit.verifyChecked', { count: result.checked })} />
      ) : (
        <Result status="error" title={t('audit.verifyBroken')} subTitle={t('audit.verifyChecked', { count: result.checked })}>
          {b && (
            <Typography.Paragraph type="danger" strong style={{ marginBottom: 0 }}>
              {t('audit.firstBroken', { seq: b.seq, id: b.id, problem: b.problem })}
            </Typography.Paragraph>
          )}
        </Result>
      )}
    </div>
  );
}
