import { businessHoursCalendar, holdUntil, QuietCase } from './quiet-hours';

const hours = businessHoursCalendar('Asia/Shanghai', [1, 2, 3, 4, 5], '09:00-18:00');
const local = (iso: string) => new Date(`${iso}+08:00`);
const customerSms: QuietCase = { audience: 'customer', channel: 'sms', severity: 'P3', coverage: 'business-hours' };

describe('quiet rules: business-hours customers are not texted at night', () => {
  it('holds a P3 text to a business-hours customer at 23:00 until 09:00 the next working day', () => {
    expect(holdUntil(customerSms, local('2026-03-02T23:00:00'), hours)).toEqual(local('2026-03-03T09:00:00'));
    expect(holdUntil(customerSms, local('2026-03-06T20:00:00'), hours)).toEqual(local('2026-03-09T09:00:00')); // Friday → Monday
  });

  it('texts a P1 at once, and in business hours at once', () => {
    expect(holdUntil({ ...customerSms, severity: 'P1' }, local('2026-03-02T03:00:00'), hours)).toBeNull();
    expect(holdUntil(customerSms, local('2026-03-02T10:00:00'), hours)).toBeNull();
  });

  it('never holds 7x24 customers, e-mail, or staff', () => {
    const night = local('2026-03-02T03:00:00');
    expect(holdUntil({ ...customerSms, coverage: '7x24' }, night, hours)).toBeNull();
    expect(holdUntil({ ...customerSms, channel: 'email' }, night, hours)).toBeNull();
    expect(holdUntil({ ...customerSms, audience: 'staff' }, night, hours)).toBeNull();
  });

  it('treats a customer whose contract is not known as business hours', () => {
    expect(holdUntil({ ...customerSms, coverage: null }, local('2026-03-02T03:00:00'), hours)).toEqual(local('2026-03-02T09:00:00'));
  });
});
