import { useRef, useState } from 'react';
import { Button, Typography } from 'antd';
import { FileProtectOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/errors';
import { formatSize, MAX_SCAN_BYTES, SCAN_TYPES, scanUrl, uploadScan, type ConsentDocumentView } from './api';

interface Props {
  residentId: string;
  /** The uploaded document's id (a form field). */
  value?: string;
  onChange?: (id: string | undefined) => void;
}

/** Pick a scan of the signed form and upload it at once; the form keeps only the document id. */
export function ScanUpload({ residentId, value, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [doc, setDoc] = useState<ConsentDocumentView | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function pick(file: File | undefined) {
    if (!file) return;
    setProblem(null);
    // The server sniffs the bytes; this early check only spares a slow upload on a weak signal.
    if (file.type && !SCAN_TYPES.includes(file.type)) return setProblem(t('consents.form.wrongType'));
    if (file.size > MAX_SCAN_BYTES) return setProblem(t('consents.form.tooLarge'));
    setBusy(true);
    try {
      const d = await uploadScan(residentId, file, file.name);
      setDoc(d);
      onChange?.(d.id);
    } catch (e) {
      const fields = (e as { fields?: Record<string, string> }).fields;
      setProblem(fields?.file ?? errorText(e, t, i18n.language));
      onChange?.(undefined);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="xq-consent-upload">
      <input
        ref={input}
        type="file"
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        className="xq-sr-only"
        tabIndex={-1}
        aria-hidden
        data-testid="consent-scan-input"
        onChange={(e) => void pick(e.target.files?.[0])}
      />
      <Button icon={<UploadOutlined />} loading={busy} onClick={() => input.current?.click()} data-testid="consent-scan-upload">
        {value ? t('consents.form.uploadAgain') : t('consents.form.upload')}
      </Button>
      {value && doc?.id === value && (
        <Typography.Link href={scanUrl(doc.id)} target="_blank" rel="noopener" data-testid="consent-scan-done">
          <FileProtectOutlined aria-hidden /> {t('consents.form.uploaded', { size: formatSize(doc.sizeBytes) })}
        </Typography.Link>
      )}
      {problem && (
        <Typography.Text type="danger" role="alert" data-testid="consent-scan-error">
          {problem}
        </Typography.Text>
      )}
    </div>
  );
}
