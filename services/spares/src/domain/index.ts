export * from './stock';
export * from './depot-choice';
export * from './needed-by';
export * from './lifecycle';
export * from './part-request';
export * from './returns';
export * from './repair-order';
export * from './purchase-plan';
