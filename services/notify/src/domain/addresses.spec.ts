import { addressProblem, isE164, isEmail } from './addresses';

describe('addresses', () => {
  it.each(['li.wei@example.com', 'ops+p1@north.example.cn', "o'brien@example.co.uk"])('accepts the e-mail %s', (a) =>
    expect(isEmail(a)).toBe(true),
  );
  it.each(['li.wei', 'li@', '@example.com', 'li wei@example.com', 'li@example', 'Li <li@example.com>', 'li..wei@example.com'])(
    'rejects the e-mail %s',
    (a) => expect(isEmail(a)).toBe(false),
  );
  it.each(['+8613800000001', '+14155550100'])('accepts the E.164 number %s', (a) => expect(isE164(a)).toBe(true));
  it.each(['13800000001', '+86 138 0000 0001', '+0861380000', '+86-138', '+1234567890123456'])('rejects the phone %s', (a) =>
    expect(isE164(a)).toBe(false),
  );
  it('says what is wrong per channel', () => {
    expect(addressProblem('sms', '138')).toMatch(/E\.164/);
    expect(addressProblem('email', 'x')).toMatch(/e-mail/);
    expect(addressProblem('in-app', 'wang.fang')).toBeUndefined();
  });
});
