import { SingleFileUpload } from '@aftersales/platform';
import { MAX_ATTACHMENT_BYTES } from '../../domain/attachment-policy';

/** The uploaded file in the multipart field `file` (multer's errors name it). */
export const AttachmentUpload = SingleFileUpload('file', { maxBytes: MAX_ATTACHMENT_BYTES, what: 'attachment' });
