import { attachmentFilename, attachmentProblem, baseContentType } from './attachment-policy';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe('attachment policy', () => {
  it('takes an allowed type whose bytes match it', () => {
    expect(attachmentProblem('image/png', png)).toBeNull();
    expect(attachmentProblem('text/plain; charset=utf-8', new TextEncoder().encode('fan error 0x12\n风扇'))).toBeNull();
    expect(attachmentProblem('application/pdf', new TextEncoder().encode('%PDF-1.7\n'))).toBeNull();
  });

  it('refuses a type off the list with 415, naming the accepted ones', () => {
    const p = attachmentProblem('application/x-msdownload', Uint8Array.from([0x4d, 0x5a]));
    expect(p).toEqual({
      status: 415,
      field: 'file',
      reason: expect.stringContaining('application/x-msdownload is not accepted: image/png'),
    });
    expect(attachmentProblem('', png)?.status).toBe(415);
  });

  it('refuses bytes that are not what the type says, and empty files, with 422', () => {
    expect(attachmentProblem('image/jpeg', png)).toEqual({ status: 422, field: 'file', reason: expect.stringContaining('not image/jpeg') });
    expect(attachmentProblem('image/png', new Uint8Array())?.reason).toBe('the file is empty');
    expect(attachmentProblem('text/plain', Uint8Array.from([0x61, 0, 0x62]))?.status).toBe(422);
    expect(attachmentProblem('text/csv', Uint8Array.from([0xff, 0xfe]))?.status).toBe(422);
  });

  it('keeps only the last path segment of a file name, without control characters', () => {
    expect(attachmentFilename('C:\\Users\\li\\fan.jpg')).toBe('fan.jpg');
    expect(attachmentFilename('../../etc/passwd')).toBe('passwd');
    expect(attachmentFilename('log\u0000\n.txt')).toBe('log.txt');
    expect(attachmentFilename('/ ')).toBeNull();
    expect(attachmentFilename('x'.repeat(300))).toHaveLength(255);
    expect(baseContentType(' Image/PNG ; q=1')).toBe('image/png');
  });
});
