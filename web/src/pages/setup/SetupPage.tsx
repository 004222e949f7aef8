import { useRef, useState } from 'react';
import { App, Button, Form, Input, Steps } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, apiPost } from '../../api/client';
import type { SetupStatus } from '../../api/types';
import { SETUP_STATUS_KEY } from '../../app/guards';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { FocusLayout } from '../../components/FocusLayout';
import { DivisionStep } from './DivisionStep';
import { HeadStep } from './HeadStep';
import { SERVER_FIELD_MAP, STEP_FIELDS } from './setupTypes';
import type { SetupValues } from './setupTypes';
import { StationStep } from './StationStep';

/** First run: pick the township, name the station, create the station head. */
export function SetupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<SetupValues>();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const autoName = useRef('');

  const submit = useMutation({
    mutationFn: (v: SetupValues) =>
      apiPost<{ stationId: string; villages: number }>('/api/setup', {
        setupCode: v.setupCode.trim(),
        townshipCode: v.township,
        stationName: v.stationName.trim(),
        operatorModel: v.operatorModel,
        operatorName: v.operatorModel === 'ngo' ? v.operatorName?.trim() : undefined,
        head: { username: v.username.trim(), displayName: v.displayName.trim(), password: v.password },
      }),
    onSuccess: (res, v) => {
      const status = qc.getQueryData<SetupStatus>(SETUP_STATUS_KEY);
      qc.setQueryData<SetupStatus>(SETUP_STATUS_KEY, { needsSetup: false, demo: status?.demo ?? false });
      void message.success(t('setup.done', { name: v.stationName, count: res.villages }), 6);
      navigate('/login', { replace: true });
    },
    onError: (e) => {
      // A wrong set-up code is a plain 403; say so next to the code field rather than "not allowed".
      setError(e instanceof ApiError && e.status === 403 ? null : e);
      if (applyFieldErrors(form, e, SERVER_FIELD_MAP) && e instanceof ApiError) {
        const names = Object.keys(e.fields).map((f) => SERVER_FIELD_MAP[f] ?? f);
        const first = STEP_FIELDS.findIndex((fields) => fields.some((f) => names.includes(f)));
        if (first >= 0) setStep(first);
      }
      if (e instanceof ApiError && e.status === 403) {
        form.setFields([{ name: 'setupCode', errors: [t('setup.codeWrong')] }]);
        setStep(0);
      }
      if (e instanceof ApiError && e.id === 'already_set_up') void qc.invalidateQueries({ queryKey: SETUP_STATUS_KEY });
    },
  });

  const next = async () => {
    try {
      await form.validateFields(STEP_FIELDS[step] ?? []);
    } catch {
      return;
    }
    if (step < STEP_FIELDS.length - 1) setStep(step + 1);
    else submit.mutate(form.getFieldsValue(true));
  };

  const onTownship = (name: string) => {
    const current: string | undefined = form.getFieldValue('stationName');
    if (!current || current === autoName.current) {
      autoName.current = `${name}社工站`;
      form.setFieldValue('stationName', autoName.current);
    }
  };

  return (
    <FocusLayout width={720}>
      <h2 className="xq-focus-title">{t('setup.title')}</h2>
      <p className="xq-muted">{t('setup.intro')}</p>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={[{ title: t('setup.stepArea') }, { title: t('setup.stepStation') }, { title: t('setup.stepHead') }]}
      />
      <ErrorAlert error={error} testId="setup-error" />
      <Form<SetupValues>
        form={form}
        layout="vertical"
        component="div"
        initialValues={{ operatorModel: 'government' }}
      >
        <div hidden={step !== 0}>
          <Form.Item
            name="setupCode"
            label={t('setup.code')}
            extra={t('setup.codeHint')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input autoComplete="off" autoCapitalize="characters" spellCheck={false} data-testid="setup-code" style={{ maxWidth: 240 }} />
          </Form.Item>
          <DivisionStep form={form} onTownship={onTownship} />
        </div>
        <div hidden={step !== 1}>
          <StationStep form={form} />
        </div>
        <div hidden={step !== 2}>
          <HeadStep form={form} />
        </div>
        <div className="xq-wizard-actions">
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('common.previous')}</Button>}
          <Button type="primary" onClick={() => void next()} loading={submit.isPending} data-testid="setup-next">
            {step < STEP_FIELDS.length - 1 ? t('common.next') : t('setup.submit')}
          </Button>
        </div>
      </Form>
    </FocusLayout>
  );
}
