import { SingleFileUpload } from '@aftersales/platform';
import { MAX_SIGNATURE_BYTES } from './signature-image';

/** The signature image in the multipart field `signature` (multer's errors name it). */
export const SignatureUpload = SingleFileUpload('signature', { maxBytes: MAX_SIGNATURE_BYTES, what: 'signature image' });
