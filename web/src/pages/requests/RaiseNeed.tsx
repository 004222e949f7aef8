import { useMemo, useState } from 'react';
import { Button, Input, Skeleton, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { newIdempotencyKey } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useBookableResidents } from '../appointments/api';
import { AREAS, URGENCIES, createRequest, useRefresh, type ServiceArea, type Urgency } from './api';
import { areaName } from './bits';

type Step = 'who' | 'area' | 'what' | 'urgency' | 'confirm';

/**
 * A resident asks for help, one question per screen (big buttons, nothing else on the screen):
 * for whom (only when the account acts for several people), what kind, what, how urgent, confirm.
 */
export function RaiseNeed() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const people = useBookableResidents();
  const [residentId, setResidentId] = useState<string>();
  const [area, setArea] = useState<ServiceArea>();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  // One key per form: a retry on a weak connection cannot raise the need twice.
  const key = useMemo(() => newIdempotencyKey(), []);
  const several = (people.data ?? []).length > 1;
  const steps: Step[] = several ? ['who', 'area', 'what', 'urgency', 'confirm'] : ['area', 'what', 'urgency', 'confirm'];
  const [i, setI] = useState(0);
  const step = steps[Math.min(i, steps.length - 1)]!;
  const who = residentId ?? people.data?.[0]?.id;
  const submit = useMutation({
    mutationFn: () => createRequest({ residentId: who!, area: area!, title: title.trim(), description: description.trim(), urgency }, key),
    onSuccess: () => {
      refresh();
      navigate('/requests?sent=1');
    },
  });
  const canNext = step === 'who' ? !!residentId : step === 'area' ? !!area : step === 'what' ? title.trim().length > 0 : true;
  const next = () => setI((x) => Math.min(x + 1, steps.length - 1));
  const prev = () => (i === 0 ? navigate('/requests') : setI((x) => x - 1));

  if (people.isPending) return <div className="xq-page xq-resident-page"><Skeleton active /></div>;
  return (
    <div className="xq-page xq-resident-page xq-req-raise" data-testid="raise-need" data-step={step}>
      <Typography.Text type="secondary">
        {t('requests.raise.title')} · {i + 1}/{steps.length}
      </Typography.Text>
      <ErrorAlert error={people.error ?? submit.error} />
      {step === 'who' && (
        <Question title={t('requests.raise.who')}>
          <Choices value={residentId} onChange={setResidentId} testId="raise-who" options={(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
        </Question>
      )}
      {step === 'area' && (
        <Question title={t('requests.raise.area')}>
          <Choices value={area} onChange={setArea} testId="raise-area" options={AREAS.map((a) => ({ value: a, label: areaName(t, a) }))} />
        </Question>
      )}
      {step === 'what' && (
        <Question title={t('requests.raise.what')}>
          <Input size="large" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} placeholder={t('requests.titlePlaceholder')} aria-label={t('requests.field.title')} data-testid="raise-title" />
          <Input.TextArea
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={2000}
            placeholder={t('requests.field.description')}
            aria-label={t('requests.field.description')}
            style={{ marginTop: 12 }}
            data-testid="raise-description"
          />
        </Question>
      )}
      {step === 'urgency' && (
        <Question title={t('requests.raise.urgency')}>
          <Choices value={urgency} onChange={setUrgency} testId="raise-urgency" options={URGENCIES.map((u) => ({ value: u, label: t(`requests.urgency.${u}`) }))} />
        </Question>
      )}
      {step === 'confirm' && (
        <Question title={t('requests.raise.confirm')}>
          <dl className="xq-req-confirm" data-testid="raise-confirm">
            {several && (
              <>
                <dt>{t('requests.field.resident')}</dt>
                <dd>{people.data?.find((p) => p.id === who)?.name}</dd>
              </>
            )}
            <dt>{t('requests.field.area')}</dt>
            <dd>{area ? areaName(t, area) : ''}</dd>
            <dt>{t('requests.field.title')}</dt>
            <dd>{title}</dd>
            {description.trim() && (
              <>
                <dt>{t('requests.field.description')}</dt>
                <dd>{description}</dd>
              </>
            )}
            <dt>{t('requests.field.urgency')}</dt>
            <dd>{t(`requests.urgency.${urgency}`)}</dd>
          </dl>
        </Question>
      )}
      <div className="xq-stack">
        {step === 'confirm' ? (
          <Button type="primary" size="large" block className="xq-big-button" loading={submit.isPending} disabled={!who} onClick={() => submit.mutate()} data-testid="raise-submit">
            {t('requests.raise.submit')}
          </Button>
        ) : (
          <Button type="primary" size="large" block className="xq-big-button" disabled={!canNext} onClick={next} data-testid="raise-next">
            {t('requests.raise.next')}
          </Button>
        )}
        <Button size="large" block onClick={prev} data-testid="raise-prev">
          {t('requests.raise.prev')}
        </Button>
      </div>
    </div>
  );
}

function Question({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="xq-req-question">
      <Typography.Title level={3}>{title}</Typography.Title>
      {children}
    </section>
  );
}

/** Big one-tap choices (60 px targets in elder mode); the chosen one is marked in colour and by aria-pressed. */
function Choices<T extends string>({ value, onChange, options, testId }: { value: T | undefined; onChange: (v: T) => void; options: { value: T; label: string }[]; testId: string }) {
  return (
    <div className="xq-req-choices" role="group">
      {options.map((o) => (
        <Button
          key={o.value}
          size="large"
          block
          type={value === o.value ? 'primary' : 'default'}
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className="xq-req-choice"
          data-testid={`${testId}-${o.value}`}
        >
          {o.label}
        </Button>
      ))}
    </div>
  );
}
