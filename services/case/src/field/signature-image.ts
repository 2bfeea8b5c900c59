/** Signature images are small scans or pad captures; a megabyte is plenty and keeps the report row sane. */
export const MAX_SIGNATURE_BYTES = 1024 * 1024;

export type SignatureImageType = 'image/png' | 'image/jpeg';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** The image type by its magic bytes (never by the client's file name or content type), or null. */
export function sniffSignatureImage(bytes: Uint8Array): SignatureImageType | null {
  const startsWith = (magic: number[]) => bytes.length > magic.length && magic.every((b, i) => bytes[i] === b);
  if (startsWith(PNG)) return 'image/png';
  if (startsWith(JPEG)) return 'image/jpeg';
  return null;
}

/** Why an uploaded signature is refused, or null when it is a PNG or JPEG within the size limit. */
export function signatureImageProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'the signature image is empty';
  if (bytes.length > MAX_SIGNATURE_BYTES) return `the signature image is larger than ${MAX_SIGNATURE_BYTES} bytes`;
  if (!sniffSignatureImage(bytes)) return 'the signature must be a PNG or JPEG image';
  return null;
}
