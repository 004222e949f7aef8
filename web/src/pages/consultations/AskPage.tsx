import { useRef, useState } from 'react';
import { Button, Form, Input, Result, Select, Skeleton, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { usePrefs } from '../../app/prefs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isStaffUser } from '../appointments/AppointmentsPage';
import { useBookableResidents } from '../appointments/api';
import { AREAS, postAction, useRefresh, type ServiceArea, type Thread } from './api';
import { PhotoPicker } from './bits';

type Step = 'who' | 'area' | 'subject' | 'body' | 'photo' | 'confirm';
interface Draft {
  who: string | null;
  area: ServiceArea | null;
  subject: string;
  body: string;
  photos: string[];
}

/**
 * 我要咨询 for a resident account. In elder mode one question per screen (for whom → area → subject →
 * details → photo → confirm); otherwise one short form. Both send the same request.
 */
export function AskPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const { elderMode } = usePrefs();
  const people = useBookableResidents(!isStaffUser(user));
  const refresh = useRefresh();
  const [draft, setDraft] = useState<Draft>({ who: null, area: null, subject: '', body: '', photos: [] });
  const [stepIndex, setStepIndex] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  if (isStaffUser(user)) return <Navigate to="/consultations" replace />;
  const list = people.data ?? [];
  const who = draft.who ?? (list.length === 1 ? list[0]!.id : null);
  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  async function submit() {
    if (!who || !draft.area) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const r = await postAction<{ consultation: Thread }>('/api/consultations', { residentId: who, area: draft.area, subject: draft.subject.trim(), body: draft.body.trim(), photoIds: draft.photos }, key.current);
      refresh(r.consultation);
      navigate(`/consultations/${r.consultation.id}`, { replace: true });
    } catch (e) {
      setFieldErrors((e as { fields?: Record<string, string> }).fields ?? {});
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (people.isPending) return <Shell><Skeleton active paragraph={{ rows: 6 }} /></Shell>;
  if (people.error) return <Shell><ErrorAlert error={people.error} /></Shell>;
  if (list.length === 0) {
    return (
      <Shell>
        <Result status="info" title={t('consultations.askFlow.noLinkTitle')} subTitle={t('consultations.askFlow.noLinkHint')} data-testid="ask-no-link" />
      </Shell>
    );
  }

  const areaButtons = (
    <div className="xq-appt-choices big" data-testid="ask-areas">
      {AREAS.map((a) => (
        <Button
          key={a}
          size="large"
          type={draft.area === a ? 'primary' : 'default'}
          className="xq-appt-choice"
          onClick={() => {
            patch({ area: a });
            if (elderMode) setStepIndex((i) => i + 1);
          }}
          data-testid={`ask-area-${a}`}
        >
          {t(`services.area.${a}`)}
        </Button>
      ))}
    </div>
  );
  const whoButtons = (
    <div className="xq-appt-choices big one" data-testid="ask-who">
      {list.map((p) => (
        <Button
          key={p.id}
          size="large"
          type={who === p.id ? 'primary' : 'default'}
          className="xq-appt-choice"
          onClick={() => {
            patch({ who: p.id });
            if (elderMode) setStepIndex((i) => i + 1);
          }}
          data-testid={`ask-who-${p.id}`}
        >
          <span className="xq-appt-choice-main">{p.name}</span>
          {p.relation && <span className="xq-appt-choice-sub">{t(`appointments.relation.${p.relation}`)}</span>}
        </Button>
      ))}
    </div>
  );
  const subjectInput = <Input size="large" value={draft.subject} maxLength={80} onChange={(e) => patch({ subject: e.target.value })} placeholder={t('consultations.askFlow.subjectPlaceholder')} status={fieldErrors.subject ? 'error' : undefined} data-testid="ask-subject" />;
  const bodyInput = <Input.TextArea value={draft.body} rows={5} maxLength={4000} onChange={(e) => patch({ body: e.target.value })} placeholder={t('consultations.askFlow.bodyPlaceholder')} status={fieldErrors.body ? 'error' : undefined} data-testid="ask-body" />;
  const photoInput = who ? <PhotoPicker residentId={who} value={draft.photos} onChange={(photos) => patch({ photos })} big /> : null;
  const ready = !!who && !!draft.area && !!draft.subject.trim() && !!draft.body.trim();
  const submitButton = (
    <Button type="primary" size="large" block className="xq-big-button" loading={busy} disabled={!ready} onClick={() => void submit()} data-testid="ask-submit">
      {t('consultations.askFlow.confirm')}
    </Button>
  );

  if (!elderMode) {
    return (
      <Shell onBack={() => navigate('/consultations')}>
        <Typography.Title level={3}>{t('consultations.ask')}</Typography.Title>
        <ErrorAlert error={error} />
        <Form layout="vertical" component="div">
          {list.length > 1 && (
            <Form.Item label={t('consultations.askFlow.who')} required>
              <Select size="large" value={who ?? undefined} onChange={(v: string) => patch({ who: v })} options={list.map((p) => ({ value: p.id, label: p.name }))} data-testid="ask-who-select" />
            </Form.Item>
          )}
          <Form.Item label={t('consultations.askFlow.area')} required validateStatus={fieldErrors.area ? 'error' : undefined} help={fieldErrors.area}>
            {areaButtons}
          </Form.Item>
          <Form.Item label={t('consultations.askFlow.subject')} required validateStatus={fieldErrors.subject ? 'error' : undefined} help={fieldErrors.subject}>
            {subjectInput}
          </Form.Item>
          <Form.Item label={t('consultations.askFlow.body')} required validateStatus={fieldErrors.body ? 'error' : undefined} help={fieldErrors.body}>
            {bodyInput}
          </Form.Item>
          <Form.Item label={t('consultations.askFlow.photo')} validateStatus={fieldErrors.photoIds ? 'error' : undefined} help={fieldErrors.photoIds}>
            {photoInput}
          </Form.Item>
        </Form>
        {submitButton}
      </Shell>
    );
  }

  const steps: Step[] = [...(list.length > 1 ? (['who'] as const) : []), 'area', 'subject', 'body', 'photo', 'confirm'];
  const index = Math.min(stepIndex, steps.length - 1);
  const step = steps[index]!;
  const canNext = step === 'who' ? !!who : step === 'area' ? !!draft.area : step === 'subject' ? !!draft.subject.trim() : step === 'body' ? !!draft.body.trim() : true;
  const person = list.find((p) => p.id === who);

  return (
    <Shell onBack={() => (index === 0 ? navigate('/consultations') : setStepIndex(index - 1))} progress={t('consultations.askFlow.stepOf', { n: index + 1, total: steps.length })}>
      <Typography.Title level={3} className="xq-book-question" data-testid="ask-question">
        {step === 'confirm' ? t('consultations.askFlow.confirm') : t(`consultations.askFlow.${step}`)}
      </Typography.Title>
      <ErrorAlert error={error} />
      {step === 'who' && whoButtons}
      {step === 'area' && areaButtons}
      {step === 'subject' && subjectInput}
      {step === 'body' && bodyInput}
      {step === 'photo' && photoInput}
      {step === 'confirm' && (
        <dl className="xq-cons-summary" data-testid="ask-summary">
          {list.length > 1 && (
            <>
              <dt>{t('consultations.field.resident')}</dt>
              <dd>{person?.name}</dd>
            </>
          )}
          <dt>{t('consultations.field.area')}</dt>
          <dd>{draft.area && t(`services.area.${draft.area}`)}</dd>
          <dt>{t('consultations.field.subject')}</dt>
          <dd>{draft.subject}</dd>
          <dt>{t('consultations.field.body')}</dt>
          <dd className="xq-cons-body">{draft.body}</dd>
          {draft.photos.length > 0 && (
            <>
              <dt>{t('consultations.field.photos')}</dt>
              <dd>{draft.photos.length}</dd>
            </>
          )}
        </dl>
      )}
      <div style={{ marginTop: 24 }}>
        {step === 'confirm' ? (
          submitButton
        ) : step !== 'who' && step !== 'area' ? (
          <Button type="primary" size="large" block className="xq-big-button" disabled={!canNext} onClick={() => setStepIndex(index + 1)} data-testid="ask-next">
            {t('consultations.askFlow.next')}
          </Button>
        ) : null}
      </div>
    </Shell>
  );
}

function Shell({ children, onBack, progress }: { children: React.ReactNode; onBack?: () => void; progress?: string }) {
  const { t } = useTranslation();
  return (
    <div className="xq-page xq-resident-page xq-book" data-testid="ask-page">
      {onBack && (
        <div className="xq-book-top">
          <Button size="large" icon={<LeftOutlined />} onClick={onBack} data-testid="ask-back">
            {t('consultations.askFlow.prev')}
          </Button>
          {progress && <span className="xq-muted">{progress}</span>}
        </div>
      )}
      {children}
    </div>
  );
}
