import { en, zhCN } from './messages';

describe('desk messages', () => {
  it('has every English text in Chinese too, with the same placeholders', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect({ key, zh: zhCN[key]?.length > 0 }).toEqual({ key, zh: true });
      expect({ key, holes: holes(zhCN[key]) }).toEqual({ key, holes: holes(en[key]) });
    }
  });
});
