import { Rotation } from './on-call';
import { DirectoryView, Person, resolveStaff } from './recipients';

const person = (id: string, over: Partial<Person> = {}): Person => ({
  id,
  name: id,
  language: 'zh-CN',
  email: `${id}@example.com`,
  phone: null,
  wecom: null,
  dingtalk: null,
  deputyId: null,
  awayFrom: null,
  awayUntil: null,
  ...over,
});

function directory(o: {
  people: Person[];
  roles: Record<string, string[]>;
  rotations?: Record<string, Rotation>;
  direct?: DirectoryView['roleAddresses'];
  owner?: { id: string; name: string };
}): DirectoryView {
  const byId = new Map(o.people.map((p) => [p.id, p]));
  return {
    holders: (role) => (o.roles[role] ?? []).map((id) => byId.get(id)!),
    rotation: (role) => o.rotations?.[role],
    roleAddresses: o.direct ?? (() => []),
    person: (id) => byId.get(id),
    caseOwner: o.owner ?? null,
  };
}

const at = new Date('2026-03-01T19:00:00Z'); // Monday 03:00 in Shanghai
const flat = (rs: ReturnType<typeof resolveStaff>) => rs.flatMap((r) => r.addresses.map((a) => `${r.role}:${a.channel}:${a.address}`));

describe('recipient resolution', () => {
  it('tells every holder of each role on every channel they gave, each address once', () => {
    const dir = directory({
      people: [person('m1', { phone: '+8613800000001' }), person('se')],
      roles: { manager1: ['m1'], 'senior-engineer': ['se', 'm1'] },
    });
    expect(flat(resolveStaff(['manager1', 'senior-engineer'], 'north', at, dir, 'zh-CN'))).toEqual([
      'manager1:in-app:m1',
      'manager1:email:m1@example.com',
      'manager1:sms:+8613800000001',
      'senior-engineer:in-app:se',
      'senior-engineer:email:se@example.com',
    ]);
  });

  it('tells only whoever is on call when the role has a rotation', () => {
    const rotation: Rotation = {
      region: 'north',
      role: 'senior-engineer',
      timeZone: 'Asia/Shanghai',
      shifts: [
        { personId: 'night', day: 7, start: '18:00', end: '09:00' },
        { personId: 'day', day: 1, start: '09:00', end: '18:00' },
      ],
    };
    const dir = directory({
      people: [person('night'), person('day')],
      roles: { 'senior-engineer': ['night', 'day'] },
      rotations: { 'senior-engineer': rotation },
    });
    expect(resolveStaff(['senior-engineer'], 'north', at, dir, 'zh-CN').map((r) => r.personId)).toEqual(['night']);
    // a gap in the schedule tells every holder rather than nobody
    const tuesday = new Date('2026-03-03T04:00:00Z');
    expect(resolveStaff(['senior-engineer'], 'north', tuesday, dir, 'zh-CN').map((r) => r.personId)).toEqual(['night', 'day']);
  });

  it("hands an away person's notices to the deputy, saying on whose behalf", () => {
    const dir = directory({
      people: [
        person('m1', { deputyId: 'd1', awayFrom: new Date('2026-03-01T00:00:00Z'), awayUntil: new Date('2026-03-05T00:00:00Z') }),
        person('d1'),
      ],
      roles: { manager1: ['m1'] },
    });
    const [r] = resolveStaff(['manager1'], 'north', at, dir, 'zh-CN');
    expect(r).toMatchObject({ personId: 'd1', onBehalfOf: 'm1' });
    const back = resolveStaff(['manager1'], 'north', new Date('2026-03-06T00:00:00Z'), dir, 'zh-CN');
    expect(back[0]).toMatchObject({ personId: 'm1', onBehalfOf: null });
  });

  it('resolves case-owner to the engineer who owns the case, in-app only when not in the directory', () => {
    const known = directory({ people: [person('E-7')], roles: {}, owner: { id: 'E-7', name: 'Zhao' } });
    expect(flat(resolveStaff(['case-owner'], 'north', at, known, 'en'))).toEqual([
      'case-owner:in-app:E-7',
      'case-owner:email:E-7@example.com',
    ]);
    const unknown = directory({ people: [], roles: {}, owner: { id: 'E-9', name: 'Qian' } });
    expect(resolveStaff(['case-owner'], 'north', at, unknown, 'en')).toEqual([
      expect.objectContaining({ personId: 'E-9', name: 'Qian', language: 'en', addresses: [{ channel: 'in-app', address: 'E-9' }] }),
    ]);
  });

  it('falls back to the role queue when nobody holds the role, and adds directly registered addresses', () => {
    const dir = directory({
      people: [],
      roles: {},
      direct: (role) => (role === 'manager2' ? [{ channel: 'sms', address: '+8613800000002' }] : []),
    });
    expect(flat(resolveStaff(['vendor', 'manager2', 'case-owner'], 'north', at, dir, 'en'))).toEqual([
      'vendor:in-app:role:vendor@north',
      'manager2:sms:+8613800000002',
      'case-owner:in-app:role:case-owner@north',
    ]);
  });
});
