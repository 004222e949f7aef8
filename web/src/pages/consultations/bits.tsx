import { useEffect, useRef, useState } from 'react';
import { App, Button, Image, Tag } from 'antd';
import { CameraOutlined, ClockCircleOutlined, CloseOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/errors';
import { photoUrl, spanText, uploadPhoto, type Consultation } from './api';

export function StatusTag({ status }: { status: Consultation['status'] }) {
  const { t } = useTranslation();
  const color = status === 'open' ? 'blue' : status === 'answered' ? 'green' : 'default';
  return (
    <Tag color={color} data-testid="consultation-status" data-status={status}>
      {t(`consultations.status.${status}`)}
    </Tag>
  );
}

/** The clock of a thread: red "overdue by …", an amber countdown, or when it was first answered. */
export function DueText({ c }: { c: Pick<Consultation, 'overdue' | 'firstResponseDueAt' | 'firstResponseAt' | 'status'> }) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const due = Date.parse(c.firstResponseDueAt);
  if (c.overdue || (c.status !== 'closed' && !c.firstResponseAt && due < now)) {
    return (
      <span className="xq-cons-overdue" data-testid="overdue-text">
        <ExclamationCircleOutlined /> {t('consultations.overdueBy', { text: spanText(now - due, i18n.language) })}
      </span>
    );
  }
  if (c.firstResponseAt || c.status === 'closed') return null;
  return (
    <span className="xq-cons-due" data-testid="due-text">
      <ClockCircleOutlined /> {t('consultations.dueIn', { text: spanText(due - now, i18n.language) })}
    </span>
  );
}

export function Thumbs({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return null;
  return (
    <div className="xq-cons-thumbs">
      <Image.PreviewGroup>
        {ids.map((id) => (
          <Image key={id} src={photoUrl(id)} width={72} height={72} alt={t('consultations.photoAlt')} style={{ objectFit: 'cover', borderRadius: 6 }} data-testid="photo-thumb" />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}

/** Photos for a message: the phone's camera (`capture`) or the gallery; uploaded at once, sent by id. */
export function PhotoPicker({ residentId, value, onChange, big = false }: { residentId: string; value: string[]; onChange: (ids: string[]) => void; big?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  async function picked(files: FileList | null) {
    if (!files || files.length === 0) return;
    setBusy(true);
    try {
      const ids = [...value];
      for (const f of Array.from(files).slice(0, 6 - ids.length)) ids.push(await uploadPhoto(residentId, f, f.name || 'photo.jpg'));
      onChange(ids);
    } catch (e) {
      const fields = (e as { fields?: Record<string, string> }).fields;
      message.error(fields?.file ?? errorText(e, t, i18n.language));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }
  return (
    <div className="xq-cons-photos">
      {value.map((id) => (
        <span key={id} className="xq-cons-photo">
          <img src={photoUrl(id)} alt={t('consultations.photoAlt')} />
          <Button size="small" shape="circle" icon={<CloseOutlined />} aria-label={t('consultations.removePhoto')} onClick={() => onChange(value.filter((x) => x !== id))} />
        </span>
      ))}
      {value.length < 6 && (
        <Button icon={<CameraOutlined />} size={big ? 'large' : 'middle'} loading={busy} onClick={() => input.current?.click()} data-testid="photo-add">
          {busy ? t('consultations.photoUploading') : t('consultations.addPhoto')}
        </Button>
      )}
      <input ref={input} type="file" accept="image/*" capture="environment" hidden onChange={(e) => void picked(e.target.files)} data-testid="photo-input" />
    </div>
  );
}
