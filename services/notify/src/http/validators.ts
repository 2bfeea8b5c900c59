import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { addressProblem, Channel } from '../domain';

/** The value is a valid address for `channel` (fixed) or for the channel named by the object's `channel` field. */
export function IsAddressFor(channel?: Channel, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAddressFor',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const c = channel ?? (args.object as { channel?: Channel }).channel;
          return typeof value === 'string' && (!c || addressProblem(c, value) === undefined);
        },
        defaultMessage(args: ValidationArguments) {
          const c = channel ?? (args.object as { channel?: Channel }).channel;
          return `${args.property} ${c ? (addressProblem(c, String(args.value)) ?? 'is invalid') : 'is invalid'}`;
        },
      },
    });
}

export const REGION = /^(\*|[a-z0-9-]{1,64})$/;
export const ROLE = /^[a-z0-9-]{1,64}$/;
export const PERSON_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
