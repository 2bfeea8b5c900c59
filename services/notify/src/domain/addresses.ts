/**
 * Addresses per channel, checked before anything is stored: a malformed address would only fail
 * at 03:00 when the rung fires.
 */
export type Channel = 'in-app' | 'email' | 'sms' | 'wecom' | 'dingtalk' | 'webhook';
export const CHANNELS: readonly Channel[] = ['in-app', 'email', 'sms', 'wecom', 'dingtalk', 'webhook'];

/** RFC 5322 "dot-atom" local part and a domain with at least one dot; no display names. */
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** a robot's key or access token (the URL's query value) */
const ROBOT_KEY = /^[A-Za-z0-9_-]{8,128}$/;
/** a person id (the staff token's `sub`, the case service's engineer id) */
const PERSON_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export const isEmail = (v: string): boolean => v.length <= 254 && EMAIL.test(v);
export const isE164 = (v: string): boolean => E164.test(v);
export const isRobotKey = (v: string): boolean => ROBOT_KEY.test(v);
export const isPersonId = (v: string): boolean => PERSON_ID.test(v);

/** Why `address` cannot be used on `channel`, or undefined when it can. */
export function addressProblem(channel: Channel, address: string): string | undefined {
  switch (channel) {
    case 'email':
      return isEmail(address) ? undefined : 'must be an e-mail address like name@example.com';
    case 'sms':
      return isE164(address) ? undefined : 'must be an E.164 phone number like +8613800000000';
    case 'wecom':
    case 'dingtalk':
      return isRobotKey(address) ? undefined : "must be the robot's key / access token (8-128 letters, digits, - or _)";
    case 'in-app':
      return isPersonId(address) ? undefined : 'must be a person id (1-128 letters, digits, . _ : @ -)';
    case 'webhook':
      return /^https?:\/\/\S+$/.test(address) ? undefined : 'must be an http(s) URL';
  }
}
