import { useState } from 'react';
import { App, Button } from 'antd';
import { DeleteOutlined, FileSearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { apiPost } from '../../api/client';
import { PRIVACY_KEYS, type DeletionRequestItem } from './api';
import { ReasonModal } from './ReasonModal';

/**
 * The resident page's privacy actions: hand the person a copy of their data (PIPL Art. 45) and ask
 * for deletion (Art. 47). An anonymised record has nothing left to copy or delete.
 */
export function ResidentPrivacyActions({ residentId, anonymised }: { residentId: string; anonymised: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  if (anonymised) return null;

  const request = async (reason: string) => {
    const res = await apiPost<{ request: DeletionRequestItem }>('/api/privacy/deletion-requests', { residentId, reason });
    void qc.invalidateQueries({ queryKey: PRIVACY_KEYS.deletion });
    void qc.invalidateQueries({ queryKey: ['residents'] });
    void message.success(res.request.reason === reason ? t('privacy.request.done') : t('privacy.request.exists'));
  };

  return (
    <>
      <Button icon={<FileSearchOutlined />} onClick={() => navigate(`/residents/${residentId}/access-report`)} data-testid="privacy-access-report">
        {t('privacy.access.button')}
      </Button>
      <Button danger icon={<DeleteOutlined />} onClick={() => setAsking(true)} data-testid="privacy-request-deletion">
        {t('privacy.request.button')}
      </Button>
      <ReasonModal
        open={asking}
        title={t('privacy.request.title')}
        label={t('privacy.request.reason')}
        placeholder={t('privacy.request.reasonHint')}
        note={t('privacy.request.note')}
        okText={t('privacy.request.submit')}
        danger
        testId="deletion-request"
        onSubmit={request}
        onClose={() => setAsking(false)}
      />
    </>
  );
}
