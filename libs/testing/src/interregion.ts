import { Topics } from '@aftersales/contracts';
import { EventBus } from '@aftersales/messaging';

/**
 * Two regions' buses joined the way MirrorMaker 2 joins their clusters: what one region publishes on
 * the interregion topic appears on the other's bus as `<source region>.<topic>`.
 */
export async function mirrorInterregion(a: { region: string; bus: EventBus }, b: { region: string; bus: EventBus }): Promise<void> {
  for (const [source, target] of [
    [a, b],
    [b, a],
  ] as const) {
    await source.bus.subscribe({
      group: `mirrormaker2.${source.region}-to-${target.region}`,
      topic: Topics.interregionRequests,
      handle: (e) => target.bus.publish(`${source.region}.${Topics.interregionRequests}`, [e]),
    });
  }
}
