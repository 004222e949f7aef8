import { useState } from 'react';
import type { ReactNode } from 'react';
import { Form, Input, Modal, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';

interface Props {
  open: boolean;
  title: ReactNode;
  label: ReactNode;
  placeholder?: string;
  note?: ReactNode;
  okText: ReactNode;
  danger?: boolean;
  initialReason?: string;
  testId: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}

/** A modal that asks for a reason (2–500 characters) before an audited action. */
export function ReasonModal(props: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    // Invalid input is shown next to the field by the form itself; nothing else to do here.
    const values = await form.validateFields().catch(() => null);
    const reason = values?.reason;
    if (typeof reason !== 'string') return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(reason.trim());
      form.resetFields();
      props.onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      okButtonProps={{ danger: props.danger, loading: busy, 'data-testid': `${props.testId}-submit` } as ButtonProps}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={props.onClose}
      destroyOnHidden
      data-testid={props.testId}
    >
      {props.note && <Typography.Paragraph type="secondary">{props.note}</Typography.Paragraph>}
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={{ reason: props.initialReason ?? '' }} preserve={false}>
        <Form.Item
          name="reason"
          label={props.label}
          rules={[{ validator: (_, v: string | undefined) => ((v ?? '').trim().length >= 2 ? Promise.resolve() : Promise.reject(new Error(t('privacy.reasonRequired')))) }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={props.placeholder} data-testid={`${props.testId}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
