import { checkStep } from './period';

describe('survey period sign-off', () => {
  it('goes open → reviewed → signed-off → archived, one step at a time', () => {
    expect(checkStep('open', 'review')).toEqual({ ok: true, to: 'reviewed' });
    expect(checkStep('reviewed', 'sign-off')).toEqual({ ok: true, to: 'signed-off' });
    expect(checkStep('signed-off', 'archive')).toEqual({ ok: true, to: 'archived' });
    expect(checkStep('open', 'archive')).toMatchObject({ ok: false, reason: expect.stringMatching(/signed-off before/) });
    expect(checkStep('archived', 'review')).toMatchObject({ ok: false, reason: expect.stringMatching(/archived/) });
  });
});
