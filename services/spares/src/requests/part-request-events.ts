import { EventInput, EventType } from '@aftersales/contracts';
import { OutboxEvent } from '@aftersales/messaging';
import { Part } from '../catalog/part';
import { PartRequest } from './part-request';

/** The fields every event about a request carries. */
export function requestRef(r: PartRequest, part: Part) {
  return {
    requestId: r.id,
    ...(r.caseId ? { caseId: r.caseId } : {}),
    region: r.region,
    depotId: r.depotId,
    depotRegion: r.depotRegion,
    partNumber: r.partNumber,
    partClass: part.partClass,
    quantity: r.quantity,
  };
}

/** Keyed by the case id (events of one case stay in order), or by the request id without a case. */
export function requestEvent<T extends EventType>(type: T, r: { id: string; caseId: string | null }, data: EventInput<T>): OutboxEvent<T> {
  return r.caseId
    ? { type, aggregateType: 'case', aggregateId: r.caseId, data }
    : { type, aggregateType: 'part-request', aggregateId: r.id, data };
}
