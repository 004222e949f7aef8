import { ApiError, readCookie } from '../../api/client';
import { currentLocale } from '../../i18n';

export type {
  AccessReportView, DeletionRequestItem, RecordOfProcessing, RetentionItemView, RetentionPage, StationRecordView,
} from '../../../../server/src/modules/privacy/schema';

/** Query keys of this module, so a decision refreshes every list that shows it. */
export const PRIVACY_KEYS = {
  deletion: ['privacy', 'deletion-requests'] as const,
  retention: ['privacy', 'retention'] as const,
  record: ['privacy', 'record'] as const,
};

/**
 * POST that answers with a file (the Excel access report): the JSON client cannot read bytes, so this
 * sends the same headers (CSRF, language) and saves the body under the server's file name.
 */
export async function downloadPost(path: string, body: unknown, fallbackName: string): Promise<void> {
  const token = readCookie('xq_csrf');
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
      'Accept-Language': currentLocale(),
      ...(token ? { 'X-CSRF-Token': token } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    let err: { id?: string; message?: string; fields?: Record<string, string> } = {};
    try {
      err = ((await res.json()) as { error?: typeof err }).error ?? {};
    } catch {
      // not JSON: keep the generic error
    }
    throw new ApiError({ id: err.id ?? 'unknown_error', message: err.message ?? '', status: res.status, fields: err.fields });
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
