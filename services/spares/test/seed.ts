import { TestService } from '@aftersales/testing';

/** Three parts imported as CSV (two fit the OceanStor 5500, one the 2200) and the north's home depot N-BJ. */
export async function seedPartsAndHomeDepot(spares: TestService, admin: string): Promise<void> {
  const csv = [
    'partNumber,description,partClass,compatibleModels,unitCost,contractPrice,mustReturn,doaDays,lifetimeSupply',
    'CTRL-5500,controller board,controller,OceanStor 5500,1800,2500,yes,7,yes',
    'HDD-4T,4 TB disk,disk,OceanStor 5500|OceanStor 2200,600,900,yes,7,no',
    'PSU-750,power supply,power,OceanStor 2200,90,150,no,7,no',
  ].join('\n');
  const imported = await spares.http('POST', '/imports/parts', { token: admin, body: csv, headers: { 'content-type': 'text/csv' } });
  expect(imported.body).toEqual({ imported: 3, rejected: [] });
  const depot = await spares.http('POST', '/depots', { token: admin, body: { id: 'N-BJ', name: 'Beijing', region: 'north', home: true } });
  expect(depot.status).toBe(201);
}
