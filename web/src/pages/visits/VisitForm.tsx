import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Input, InputNumber, Segmented, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { CHECKLIST_ITEMS, RISK_FLAGS, lowersTier, suggestedTier, type ChecklistItem, type RiskFlag } from '../../../../server/src/modules/visits/cadence';
import { api, isApiError, newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RiskTierTag } from '../../components/RiskTierTag';
import { useResident } from '../residents/components/api';
import { useDraft } from '../residents/components/useDraft';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { TIERS, photoUrl, uploadPhoto, type Tier, type VisitView } from './api';

type Check = 'ok' | 'concern' | 'na';
type Mode = 'home' | 'phone' | 'video' | 'other';
const MODES: Mode[] = ['home', 'phone', 'video', 'other'];
const CHECKS: Check[] = ['ok', 'concern', 'na'];
const AREAS = ['elderly_care', 'child_care', 'social_assistance', 'disability', 'counselling', 'policy', 'legal_aid', 'employment', 'other'] as const;
const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;

const initialChecklist = (): Record<ChecklistItem, Check> => Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, 'ok'])) as Record<ChecklistItem, Check>;

type RequestDraft = { title: string; area: (typeof AREAS)[number]; urgency: (typeof URGENCIES)[number]; description: string };

/** What the form keeps in localStorage until it is saved (weak signal, a closed tab, a session timeout). */
interface DraftValues {
  visitedAt: string;
  duration: number | null;
  mode: Mode;
  met: boolean;
  checklist: Record<ChecklistItem, Check>;
  flags: RiskFlag[];
  observations: string;
  tierChoice: Tier | null;
  photos: string[];
  withRequest: boolean;
  req: RequestDraft;
  followUp: boolean;
  /** The submission's Idempotency-Key: a save retried after reopening is still one visit. */
  key: string;
}

/** /visits/new: a fresh form (and draft) per resident. */
export function VisitForm() {
  const [params] = useSearchParams();
  const residentId = params.get('residentId') ?? '';
  return <VisitFormFor key={residentId} />;
}

/** The fast visit form (走访登记): one phone screen per section, saved once with an Idempotency-Key. */
function VisitFormFor() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const residentId = params.get('residentId') ?? undefined;
  const resident = useResident(residentId);
  const isHead = user.roles.some((r) => r.role === 'station_head');
  const draft = useDraft<DraftValues>(`xq.visitDraft.${user.id}.${residentId ?? ''}`);
  const d = residentId ? draft.initial?.values : undefined;

  const [visitedAt, setVisitedAt] = useState(() => d?.visitedAt ?? dayjs().format('YYYY-MM-DDTHH:mm'));
  const [duration, setDuration] = useState<number | null>(d?.duration ?? 30);
  const [mode, setMode] = useState<Mode>(d?.mode ?? 'home');
  const [met, setMet] = useState(d?.met ?? true);
  const [checklist, setChecklist] = useState(() => ({ ...initialChecklist(), ...d?.checklist }));
  const [flags, setFlags] = useState<RiskFlag[]>(d?.flags ?? []);
  const [observations, setObservations] = useState(d?.observations ?? '');
  const [tierChoice, setTierChoice] = useState<Tier | null>(d?.tierChoice ?? null);
  const [photos, setPhotos] = useState<string[]>(d?.photos ?? []);
  const [uploading, setUploading] = useState(false);
  const [withRequest, setWithRequest] = useState(d?.withRequest ?? false);
  const [req, setReq] = useState<RequestDraft>(d?.req ?? { title: '', area: 'elderly_care', urgency: 'normal', description: '' });
  const [followUp, setFollowUp] = useState(d?.followUp ?? false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // One key per submission: a retry after a dropped connection is the same visit, not a second one.
  const key = useRef(d?.key ?? newIdempotencyKey());
  const fileInput = useRef<HTMLInputElement>(null);
  const restored = useRef(!!d);

  const { save: saveDraft } = draft;
  useEffect(() => {
    if (!residentId) return;
    saveDraft({ visitedAt, duration, mode, met, checklist, flags, observations, tierChoice, photos, withRequest, req, followUp, key: key.current });
  }, [residentId, saveDraft, visitedAt, duration, mode, met, checklist, flags, observations, tierChoice, photos, withRequest, req, followUp]);

  const current = resident.data?.riskTier as Tier | undefined;
  const suggested = suggestedTier(flags);
  // The suggestion pre-selects high until the worker chooses a tier themselves.
  const tier: Tier | undefined = tierChoice ?? (suggested && current !== 'high' ? suggested : current);
  const tierOptions = useMemo(
    () => TIERS.map((v) => ({ value: v, label: t(`residents.risk.${v}`), disabled: !!current && !isHead && lowersTier(current, v) })),
    [t, current, isHead],
  );

  const toggleFlag = (f: RiskFlag) => setFlags((xs) => (xs.includes(f) ? xs.filter((x) => x !== f) : [...xs, f]));

  async function addPhoto(file: File) {
    if (!residentId) return;
    setUploading(true);
    try {
      const id = await uploadPhoto(residentId, file, file.name || 'photo.jpg', i18n.language);
      setPhotos((p) => [...p, id]);
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  }

  async function save() {
    const fe: Record<string, string> = {};
    if (!observations.trim()) fe.observations = t('visits.form.required');
    const at = new Date(visitedAt);
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000) fe.visitedAt = t('visits.form.future');
    if (withRequest && !req.title.trim()) fe['openRequest.title'] = t('visits.form.required');
    setFieldErrors(fe);
    if (Object.keys(fe).length > 0 || !residentId) return;
    setSaving(true);
    setError(null);
    try {
      const body = {
        residentId,
        visitedAt: new Date(Math.min(at.getTime(), Date.now())).toISOString(),
        durationMinutes: duration ?? 30,
        mode,
        metResident: met,
        observations: observations.trim(),
        checklist,
        riskFlags: flags,
        ...(tier && tier !== current ? { newTier: tier } : {}),
        ...(withRequest ? { openRequest: { ...req, title: req.title.trim(), description: req.description.trim() } } : {}),
        photoIds: photos,
        followUpNeeded: followUp,
      };
      const res = await api<{ visit: VisitView }>('/api/visits', { method: 'POST', body, idempotencyKey: key.current });
      draft.clear();
      void qc.invalidateQueries({ queryKey: ['visits'] });
      void qc.invalidateQueries({ queryKey: ['service-records'] });
      void qc.invalidateQueries({ queryKey: ['residents'] });
      void message.success(t('visits.form.saved'));
      navigate(`/visits/${res.visit.id}`);
    } catch (e) {
      if (isApiError(e)) setFieldErrors(e.fields);
      // The server keeps a refused answer under the key; a corrected form is a new submission.
      // A dropped connection (status 0) or a server error keeps the key, so a retry cannot save twice.
      if (isApiError(e) && e.status >= 400 && e.status < 500) key.current = newIdempotencyKey();
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  const fieldError = (name: string) =>
    fieldErrors[name] ? (
      <Typography.Text type="danger" role="alert" data-testid={`visit-error-${name}`}>
        {fieldErrors[name]}
      </Typography.Text>
    ) : null;

  return (
    <div className="xq-page xq-visit-form" data-testid="visit-form">
      <PageHeader title={t('visits.form.title')} />
      {restored.current && residentId && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('visits.form.draftRestored')} data-testid="visit-draft-restored" />}
      <Card size="small" title={t('visits.form.who')} className="xq-visit-section">
        {residentId ? (
          resident.isPending ? (
            <Spin />
          ) : (
            <Space wrap data-testid="visit-resident">
              <Typography.Text strong style={{ fontSize: 16 }}>
                {resident.data?.name}
              </Typography.Text>
              {current && <RiskTierTag tier={current} />}
              <Button size="small" type="link" onClick={() => setParams(new URLSearchParams())}>
                ×
              </Button>
            </Space>
          )
        ) : (
          <ResidentPicker testId="visit-pick-resident" onChange={(id) => id && setParams(new URLSearchParams({ residentId: id }))} />
        )}
        <ErrorAlert error={resident.error} />
      </Card>
      {residentId && resident.data && (
        <>
          <Card size="small" title={t('visits.form.when')} className="xq-visit-section">
            <div className="xq-visit-row">
              <label htmlFor="visit-at">{t('visits.form.visitedAt')}</label>
              <Input id="visit-at" type="datetime-local" value={visitedAt} max={dayjs().format('YYYY-MM-DDTHH:mm')} onChange={(e) => setVisitedAt(e.target.value)} data-testid="visit-at" style={{ maxWidth: 220 }} />
            </div>
            {fieldError('visitedAt')}
            <div className="xq-visit-row">
              <label htmlFor="visit-duration">{t('visits.form.duration')}</label>
              <InputNumber id="visit-duration" min={1} max={600} value={duration} onChange={setDuration} inputMode="numeric" data-testid="visit-duration" />
            </div>
            <Segmented block value={mode} onChange={(v) => setMode(v as Mode)} options={MODES.map((m) => ({ value: m, label: t(`visits.mode.${m}`) }))} data-testid="visit-mode" />
            <div className="xq-visit-row">
              <label htmlFor="visit-met">{t('visits.form.met')}</label>
              <Switch id="visit-met" checked={met} onChange={setMet} />
            </div>
          </Card>
          <Card size="small" title={t('visits.form.checklist')} className="xq-visit-section" data-testid="visit-checklist">
            {CHECKLIST_ITEMS.map((k) => (
              <div key={k} className="xq-visit-check">
                <span id={`check-${k}`}>{t(`visits.checklist.${k}`)}</span>
                <Segmented
                  size="small"
                  className={checklist[k] === 'concern' ? 'xq-concern' : undefined}
                  aria-labelledby={`check-${k}`}
                  value={checklist[k]}
                  onChange={(v) => setChecklist((c) => ({ ...c, [k]: v as Check }))}
                  options={CHECKS.map((c) => ({ value: c, label: t(`visits.check.${c}`) }))}
                  data-testid={`check-${k}`}
                />
              </div>
            ))}
          </Card>
          <Card size="small" title={t('visits.form.flags')} className="xq-visit-section">
            <div className="xq-visit-flags" data-testid="visit-flags">
              {RISK_FLAGS.map((f) => (
                <Tag.CheckableTag key={f} checked={flags.includes(f)} onChange={() => toggleFlag(f)} data-testid={`flag-${f}`}>
                  {t(`visits.flag.${f}`)}
                </Tag.CheckableTag>
              ))}
            </div>
          </Card>
          <Card size="small" title={t('visits.form.observations')} className="xq-visit-section">
            <Input.TextArea
              value={observations}
              onChange={(e) => setObservations(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={4000}
              placeholder={t('visits.form.observationsPlaceholder')}
              aria-label={t('visits.form.observations')}
              data-testid="visit-observations"
            />
            {fieldError('observations')}
          </Card>
          <Card size="small" title={t('visits.form.tier')} className="xq-visit-section">
            <Segmented block value={tier} onChange={(v) => setTierChoice(v as Tier)} options={tierOptions} data-testid="visit-tier" />
            {suggested && current !== 'high' && (
              <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('visits.form.tierSuggested')} data-testid="visit-tier-suggested" />
            )}
            {!isHead && current !== 'normal' && (
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                {t('visits.form.tierLowerHead')}
              </Typography.Text>
            )}
            {fieldError('newTier')}
          </Card>
          <Card size="small" title={t('visits.form.photos')} className="xq-visit-section">
            <div className="xq-visit-photos">
              {photos.map((id) => (
                <div key={id} className="xq-visit-photo">
                  <img src={photoUrl(id)} alt="" />
                  <Button size="small" icon={<DeleteOutlined />} aria-label="×" onClick={() => setPhotos((p) => p.filter((x) => x !== id))} />
                </div>
              ))}
              {photos.length < 6 && (
                <Button icon={<CameraOutlined />} loading={uploading} onClick={() => fileInput.current?.click()} data-testid="visit-photo-add">
                  {uploading ? t('visits.form.uploading') : t('visits.form.addPhoto')}
                </Button>
              )}
              <input
                ref={fileInput}
                type="file"
                accept="image/*"
                capture="environment"
                hidden
                data-testid="visit-photo-input"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void addPhoto(f);
                }}
              />
            </div>
            {fieldError('photoIds')}
          </Card>
          <Card size="small" className="xq-visit-section">
            <div className="xq-visit-row">
              <label htmlFor="visit-request">{t('visits.form.request')}</label>
              <Switch id="visit-request" checked={withRequest} onChange={setWithRequest} data-testid="visit-request-toggle" />
            </div>
            {withRequest && (
              <div className="xq-visit-request">
                <Input placeholder={t('visits.form.requestTitle')} aria-label={t('visits.form.requestTitle')} maxLength={80} value={req.title} onChange={(e) => setReq({ ...req, title: e.target.value })} data-testid="visit-request-title" />
                {fieldError('openRequest.title')}
                <Select aria-label={t('visits.form.requestArea')} value={req.area} onChange={(v) => setReq({ ...req, area: v })} options={AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))} style={{ width: '100%' }} />
                <Segmented block value={req.urgency} onChange={(v) => setReq({ ...req, urgency: v as (typeof URGENCIES)[number] })} options={URGENCIES.map((u) => ({ value: u, label: t(`visits.urgency.${u}`) }))} />
                <Input.TextArea placeholder={t('visits.form.requestDescription')} aria-label={t('visits.form.requestDescription')} autoSize={{ minRows: 2 }} maxLength={2000} value={req.description} onChange={(e) => setReq({ ...req, description: e.target.value })} />
              </div>
            )}
            <div className="xq-visit-row">
              <label htmlFor="visit-follow-up">{t('visits.form.followUp')}</label>
              <Switch id="visit-follow-up" checked={followUp} onChange={setFollowUp} data-testid="visit-follow-up" />
            </div>
          </Card>
          <ErrorAlert error={error} testId="visit-save-error" />
          <div className="xq-visit-save">
            <Button type="primary" size="large" block loading={saving} onClick={() => void save()} data-testid="visit-save">
              {t('visits.form.save')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
