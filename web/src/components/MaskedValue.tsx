import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Form, Input, Modal, Radio, Space, Tooltip, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import { apiPost } from '../api/client';
import type { RevealableField, RevealResponse } from '../../../server/src/modules/residents/schema';
import { ErrorAlert } from './ErrorAlert';

export type RevealResult = Static<typeof RevealResponse>;

/** How long a revealed value stays on screen. */
export const REVEAL_SECONDS = 60;

const PRESETS = ['visit', 'business', 'contact', 'other'] as const;
type Preset = (typeof PRESETS)[number];

interface ReasonValues {
  preset?: Preset;
  detail?: string;
}

/** The reason sent to the server (and shown in the audit log): the preset's words plus any details. */
export function revealReason(presetLabel: string, detail: string | undefined, other: boolean): string {
  const d = detail?.trim() ?? '';
  if (other) return d;
  return d ? `${presetLabel}：${d}` : presetLabel;
}

interface DialogProps {
  open: boolean;
  residentId: string;
  field: RevealableField;
  fieldLabel: string;
  onClose: () => void;
  onRevealed: (r: RevealResult) => void;
}

/** Asks why before a masked value is shown; the reveal itself is audited by the server. */
export function RevealDialog({ open, residentId, field, fieldLabel, onClose, onRevealed }: DialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ReasonValues>();
  const queryClient = useQueryClient();
  const reveal = useMutation({
    mutationFn: (reason: string) => apiPost<RevealResult>(`/api/residents/${residentId}/reveal`, { field, reason }),
    onSuccess: (r) => {
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['resident-timeline', residentId] });
      onRevealed(r);
    },
  });
  const preset = Form.useWatch('preset', form);

  const submit = (v: ReasonValues) => {
    if (!v.preset) return;
    reveal.mutate(revealReason(t(`residents.reveal.reasons.${v.preset}`), v.detail, v.preset === 'other'));
  };

  return (
    <Modal
      open={open}
      title={t('residents.reveal.title', { field: fieldLabel })}
      onCancel={() => {
        reveal.reset();
        onClose();
      }}
      okText={t('residents.reveal.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: reveal.isPending, 'data-testid': 'reveal-submit' }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('residents.reveal.intro')}</Typography.Paragraph>
      <ErrorAlert error={reveal.error} />
      <Form<ReasonValues> form={form} layout="vertical" onFinish={submit} data-testid="reveal-form">
        <Form.Item
          name="preset"
          label={t('residents.reveal.reason')}
          rules={[{ required: true, message: t('residents.reveal.reasonRequired') }]}
        >
          <Radio.Group>
            <Space orientation="vertical">
              {PRESETS.map((p) => (
                <Radio key={p} value={p} data-testid={`reveal-reason-${p}`}>
                  {t(`residents.reveal.reasons.${p}`)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="detail"
          label={t('residents.reveal.detail')}
          dependencies={['preset']}
          rules={[
            {
              validator: async (_r, value: string | undefined) => {
                if (preset === 'other' && (value?.trim().length ?? 0) < 2) throw new Error(t('residents.reveal.reasonRequired'));
              },
            },
          ]}
        >
          <Input.TextArea
            maxLength={150}
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('residents.reveal.detailPlaceholder')}
            data-testid="reveal-detail"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface MaskedProps {
  residentId: string;
  field: RevealableField;
  /** The field's name in words, for the button and the dialog ("身份证号"). */
  fieldLabel: string;
  /** What is shown while hidden (the masked value). */
  masked: ReactNode;
  canReveal: boolean;
  /** How the clear value is shown; the default shows `value`. */
  renderClear?: (r: RevealResult) => ReactNode;
  testId?: string;
}

/** A masked value with an eye button: asks for a reason, shows the clear value, hides it after a minute. */
export function MaskedValue({ residentId, field, fieldLabel, masked, canReveal, renderClear, testId }: MaskedProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [clear, setClear] = useState<RevealResult | null>(null);
  const [left, setLeft] = useState(0);

  useEffect(() => {
    if (!clear) return;
    const started = Date.now();
    setLeft(REVEAL_SECONDS);
    const timer = window.setInterval(() => {
      const remaining = REVEAL_SECONDS - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) {
        setClear(null);
        window.clearInterval(timer);
      } else {
        setLeft(remaining);
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [clear]);

  if (clear) {
    return (
      <span className="xq-masked" data-testid={testId} data-state="clear">
        <span data-testid={testId ? `${testId}-clear` : undefined} className="xq-masked-clear">
          {renderClear ? renderClear(clear) : <span className="xq-mono">{clear.value}</span>}
        </span>
        <Button
          size="small"
          type="link"
          icon={<EyeInvisibleOutlined aria-hidden />}
          onClick={() => setClear(null)}
          data-testid={testId ? `${testId}-hide` : undefined}
        >
          {t('residents.reveal.hide')}
        </Button>
        <Typography.Text type="secondary" className="xq-small" aria-live="polite">
          {t('residents.reveal.autoHide', { seconds: left })}
        </Typography.Text>
      </span>
    );
  }

  return (
    <span className="xq-masked" data-testid={testId} data-state="masked">
      <span className="xq-masked-value">{masked}</span>
      {canReveal && (
        <Tooltip title={t('residents.reveal.button', { field: fieldLabel })}>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined aria-hidden />}
            aria-label={t('residents.reveal.button', { field: fieldLabel })}
            onClick={() => setAsking(true)}
            data-testid={testId ? `${testId}-reveal` : undefined}
          />
        </Tooltip>
      )}
      <RevealDialog
        open={asking}
        residentId={residentId}
        field={field}
        fieldLabel={fieldLabel}
        onClose={() => setAsking(false)}
        onRevealed={(r) => {
          setAsking(false);
          setClear(r);
        }}
      />
    </span>
  );
}
