import { useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { applyFieldErrors } from '../../../components/errors';
import { useConsentsChanged, type ConsentView } from './api';

/** Confirm a withdrawal and say why; it takes effect the moment it is saved. */
export function WithdrawModal({ residentId, target, onClose }: { residentId: string; target: ConsentView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const changed = useConsentsChanged(residentId);

  const withdraw = useMutation({
    mutationFn: (v: { reason: string }) => apiPost<{ consent: ConsentView }>(`/api/consents/${encodeURIComponent(target?.id ?? '')}/withdraw`, { reason: v.reason.trim() }),
    onSuccess: () => {
      void message.success(t('consents.withdraw.done'));
      setError(null);
      changed();
      onClose();
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e);
      // Already withdrawn elsewhere: show the current state.
      changed();
    },
  });

  return (
    <Modal
      open={target !== null}
      title={target ? t('consents.withdraw.title', { purpose: t(`consents.purpose.${target.purpose}`) }) : ''}
      okText={t('consents.withdraw.confirm')}
      okButtonProps={{ danger: true, ...{ 'data-testid': 'consent-withdraw-confirm' } }}
      cancelText={t('consents.form.cancel')}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      confirmLoading={withdraw.isPending}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('consents.withdraw.warning')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={(v) => withdraw.mutate(v)}>
        <Form.Item
          name="reason"
          label={t('consents.withdraw.reason')}
          rules={[
            { required: true, message: t('consents.form.required') },
            { validator: async (_r, v: string | undefined) => { if (v && v.trim().length < 2) throw new Error(t('consents.withdraw.reasonTooShort')); } },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('consents.withdraw.reasonPlaceholder')} data-testid="consent-withdraw-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
