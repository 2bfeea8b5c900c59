/**
 * The e-mail Message-ID of a delivery: derived from the log row's id, so a resend after a crash
 * carries the same Message-ID and mail clients (and our tests) recognise it as the same message.
 */
export function messageIdFor(notificationId: string, domain: string): string {
  return `<${notificationId}@${domain}>`;
}
