import { ApiError, buildUrl, readCookie } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import type { ImportResultView } from '../../../../../server/src/modules/roster/schema';

export type { ImportResultView };
export type ImportColumnView = ImportResultView['columns'][number];

function csrf(): string {
  return readCookie('xq_csrf') ?? '';
}

function apiErrorFrom(status: number, text: string, requestId: string | null): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { id?: string; message?: string; fields?: Record<string, string> } & Record<string, unknown> };
    if (body.error) {
      const { id, message, fields, ...details } = body.error;
      return new ApiError({ id: id ?? 'unknown_error', message: message ?? '', status, fields, details, requestId });
    }
  } catch {
    // not JSON
  }
  return new ApiError({ id: status >= 500 ? 'server_unavailable' : 'unknown_error', message: '', status, requestId });
}

/**
 * POST the roster with XMLHttpRequest, which (unlike fetch) reports upload progress. Text fields go
 * before the file, as the server reads them. `importId` lets the caller poll the processing progress.
 */
export function uploadRoster(opts: {
  file: File;
  query: Record<string, string | undefined>;
  fields: Record<string, string | undefined>;
  importId: string;
  onUpload: (percent: number) => void;
}): Promise<ImportResultView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl('/api/residents/import', opts.query));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLocale());
    xhr.setRequestHeader('X-CSRF-Token', csrf());
    xhr.setRequestHeader('X-Import-Id', opts.importId);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onUpload(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResultView);
        } catch {
          reject(apiErrorFrom(xhr.status, '', xhr.getResponseHeader('x-request-id')));
        }
      } else reject(apiErrorFrom(xhr.status, xhr.responseText, xhr.getResponseHeader('x-request-id')));
    };
    xhr.onerror = () => reject(new ApiError({ id: 'network_error', message: '', status: 0 }));
    const form = new FormData();
    for (const [k, v] of Object.entries(opts.fields)) if (v !== undefined) form.append(k, v);
    form.append('file', opts.file, opts.file.name);
    xhr.send(form);
  });
}

export interface Progress {
  phase: 'reading' | 'checking' | 'writing' | 'done' | 'failed';
  done: number;
  total: number;
}

/** The server's progress for an import id, or null while it has none (not started, or another process). */
export async function fetchProgress(importId: string): Promise<Progress | null> {
  try {
    const r = await fetch(`/api/residents/import/progress/${importId}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return r.ok ? ((await r.json()) as Progress) : null;
  } catch {
    return null;
  }
}

function fileNameOf(disposition: string | null, fallback: string): string {
  const star = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = disposition && /filename="([^"]+)"/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/** Fetch a file (GET or a multipart POST) and hand it to the browser as a download. */
export async function download(url: string, fallbackName: string, form?: FormData): Promise<Headers> {
  const r = await fetch(url, {
    method: form ? 'POST' : 'GET',
    credentials: 'same-origin',
    headers: { 'Accept-Language': currentLocale(), ...(form ? { 'X-CSRF-Token': csrf() } : {}) },
    body: form,
  });
  if (!r.ok) throw apiErrorFrom(r.status, await r.text(), r.headers.get('x-request-id'));
  const blob = await r.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileNameOf(r.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return r.headers;
}

/** A random id for X-Import-Id (crypto.randomUUID needs a secure context; plain http on a LAN is not one). */
export function newImportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
