/** A customer's file with a request: a photo of the fault, a log, a PDF report. Ten megabytes fits a phone photo or a zipped log. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** At most this many files per request (mail attachments included). */
export const MAX_ATTACHMENTS_PER_REQUEST = 20;

/** The content types a request takes, each with the leading bytes its content must start with (none: text, checked apart). */
const ALLOWED: Record<string, number[][] | 'text'> = {
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/gif': [
    [0x47, 0x49, 0x46, 0x38, 0x37, 0x61],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  ],
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]],
  'application/zip': [[0x50, 0x4b, 0x03, 0x04]],
  'application/gzip': [[0x1f, 0x8b]],
  'text/plain': 'text',
  'text/csv': 'text',
};

export const ALLOWED_ATTACHMENT_TYPES = Object.keys(ALLOWED);

/** The declared type without parameters, lower-cased (`text/plain; charset=utf-8` → `text/plain`). */
export function baseContentType(declared: string): string {
  return (declared.split(';')[0] ?? '').trim().toLowerCase();
}

export type AttachmentProblem = { status: 415 | 422; field: string; reason: string };

/** Why an uploaded file is refused (the type is not taken: 415; the bytes do not fit the type: 422), or null. */
export function attachmentProblem(declaredType: string, bytes: Uint8Array): AttachmentProblem | null {
  const type = baseContentType(declaredType);
  const rule = ALLOWED[type];
  if (!rule) {
    return {
      status: 415,
      field: 'file',
      reason: `content type ${type || '(none)'} is not accepted: ${ALLOWED_ATTACHMENT_TYPES.join(', ')}`,
    };
  }
  if (bytes.length === 0) return { status: 422, field: 'file', reason: 'the file is empty' };
  if (rule === 'text') {
    if (bytes.includes(0) || !isUtf8(bytes)) return { status: 422, field: 'file', reason: `${type} must be UTF-8 text without NUL bytes` };
    return null;
  }
  const startsWith = (magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (!rule.some(startsWith)) return { status: 422, field: 'file', reason: `the content is not ${type} (its leading bytes do not match)` };
  return null;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The name to store and offer on download: the last path segment, without control characters,
 * at most 255 characters (the request's attachment list takes no more); null when nothing is left.
 */
export function attachmentFilename(original: string): string | null {
  const last = original.split(/[\\/]/).pop() ?? '';
  const name = [...last]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f')
    .join('')
    .trim();
  return name ? name.slice(0, 255) : null;
}
