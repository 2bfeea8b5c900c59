import { useState } from 'react';
import { intake } from '../api/client';
import type { AttachmentRef } from '../api/types';
import { ErrorNote, Section } from '../components/ui';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';

/** What the portal's file input accepts: the types intake takes (it checks again, by the bytes). */
export const ACCEPTED_FILES = 'image/png,image/jpeg,image/gif,application/pdf,application/zip,application/gzip,text/plain,text/csv,.log';

/** `fan.jpg (12 KB)`: sizes as people read them. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Uploads each file to the request; the ones refused come back with the service's reason (size, type, content). */
export async function attachAll(requestId: string, files: File[]): Promise<Array<{ name: string; error: unknown }>> {
  const failed: Array<{ name: string; error: unknown }> = [];
  for (const f of files) {
    try {
      await intake.attach(requestId, f);
    } catch (error) {
      failed.push({ name: f.name, error });
    }
  }
  return failed;
}

/** The files a request came with (portal uploads, mail attachments): listed with the case, downloaded with the token. */
export function RequestAttachments({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  const list = useLoad(() => intake.attachments(requestId), [requestId]);
  const [error, setError] = useState<unknown>();
  const download = async (a: AttachmentRef) => {
    setError(undefined);
    try {
      const url = URL.createObjectURL(await intake.attachment(a.attachmentId));
      const link = document.createElement('a');
      link.href = url;
      link.download = a.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('attach.title')}>
      <ErrorNote error={list.error ?? error} onRetry={list.reload} />
      {list.data?.length === 0 && <p>{t('attach.none')}</p>}
      {list.data && list.data.length > 0 && (
        <ul className="plain" data-testid="attachments">
          {list.data.map((a) => (
            <li key={a.attachmentId}>
              <button
                type="button"
                className="link"
                onClick={() => void download(a)}
                aria-label={t('attach.download', { name: a.filename })}
              >
                {a.filename}
              </button>{' '}
              <span className="muted">
                {a.contentType} · {fileSize(a.size)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
