import { applyAssignment, applyStatus, NO_OWNER } from './ownership';

const a = (engineerId: string, tier = 'L1') => ({ engineerId, engineerName: engineerId.toUpperCase(), tier });

describe('case owner and escalation owner', () => {
  it('makes the first assignee the owner; a same-tier handover moves ownership', () => {
    let o = applyAssignment(NO_OWNER, a('liu'));
    expect(o).toMatchObject({ ownerId: 'liu', escalationOwnerId: null });
    o = applyAssignment(o, a('zhao'));
    expect(o).toMatchObject({ ownerId: 'zhao', ownerName: 'ZHAO', escalationOwnerId: null });
  });

  it('makes a higher-tier assignee, or one after an escalation, the escalation owner', () => {
    const owned = applyAssignment(NO_OWNER, a('liu', 'L1'));
    expect(applyAssignment(owned, a('ma', 'L2'))).toMatchObject({ ownerId: 'liu', escalationOwnerId: 'ma' });
    const escalated = applyStatus(owned, 'escalated');
    expect(applyAssignment(escalated, a('sun', 'L1'))).toMatchObject({ ownerId: 'liu', escalationOwnerId: 'sun' });
    expect(applyStatus(owned, 'in-progress')).toBe(owned);
  });
});
