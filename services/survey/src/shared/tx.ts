import { EntityManager } from 'typeorm';

/**
 * What an `@OnEvent` handler's transaction hands it, as `HandlerContext` does, with `afterCommit`
 * typed as the plain function it is (the bus passes an arrow), so a handler may destructure it.
 */
export interface TxContext {
  readonly manager: EntityManager;
  readonly afterCommit: (fn: () => void) => void;
}
