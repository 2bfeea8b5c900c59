import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Principal, SERVICE_RUNTIME, ServiceRuntime, withIdempotency, visibleTo, Page } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { CreateRequestDto } from './create-request.dto';
import { ServiceRequest } from './service-request.entity';

@Injectable()
export class RequestsService {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  /** Records the request and its `intake.request.received.v1` event in one transaction. */
  async create(dto: CreateRequestDto, by: Principal, idempotencyKey?: string) {
    const customerId = this.customerFor(dto, by);
    return this.rt.dataSource.transaction((m) =>
      withIdempotency(m, this.rt.outbox.schema, `requests:${by.subject}`, idempotencyKey, dto, async () => {
        const request = m.create(ServiceRequest, {
          id: randomUUID(),
          region: by.region,
          customerId,
          contact: { name: dto.contact.name, phone: dto.contact.phone, email: dto.contact.email },
          channel: dto.channel,
          severity: dto.severity ?? 'P3',
          symptom: dto.symptom,
          errorCodes: dto.errorCodes ?? [],
          productModel: dto.productModel ?? null,
          serialNumber: dto.serialNumber ?? null,
          receivedAt: new Date(),
          createdBy: by.subject,
        });
        await m.insert(ServiceRequest, request);
        await this.rt.outbox.append(m, [
          {
            type: 'intake.request.received.v1',
            aggregateType: 'service-request',
            aggregateId: request.id,
            data: {
              requestId: request.id,
              region: request.region,
              customerId,
              contact: request.contact,
              channel: request.channel as CreateRequestDto['channel'],
              severity: request.severity as 'P1',
              symptom: request.symptom,
              errorCodes: request.errorCodes,
              productModel: request.productModel ?? undefined,
              serialNumber: request.serialNumber ?? undefined,
              receivedAt: request.receivedAt.toISOString(),
            },
          },
        ]);
        return { status: 201, body: request };
      }),
    );
  }

  async get(id: string, by: Principal): Promise<ServiceRequest> {
    const found = await this.rt.dataSource.getRepository(ServiceRequest).findOneBy({ id, ...visibleTo(by) });
    // 404 for someone else's request too: a customer must not learn that it exists
    if (!found) throw new NotFoundException(`request ${id} not found`);
    return found;
  }

  async list(by: Principal, limit: number, offset: number): Promise<Page<ServiceRequest>> {
    const [items, total] = await this.rt.dataSource
      .getRepository(ServiceRequest)
      .findAndCount({ where: visibleTo(by), order: { receivedAt: 'DESC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  private customerFor(dto: CreateRequestDto, by: Principal): string {
    const scope = visibleTo(by);
    if (scope.customerId) {
      if (dto.customerId && dto.customerId !== scope.customerId) throw new ForbiddenException('a customer files requests only for itself');
      return scope.customerId;
    }
    if (!dto.customerId) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'validation failed',
        errors: [{ field: 'customerId', reason: 'customerId is required for staff' }],
      });
    }
    return dto.customerId;
  }
}
