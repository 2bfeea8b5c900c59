import { randomUUID } from 'node:crypto';
import { EventInput } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { deliver, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';
import { KnowledgeSuggestions } from '../src/knowledge';

// Intake's copy of the knowledge base, fed with the events the case service publishes.
describe('intake knowledge: projection of published articles and suggestions', () => {
  let t: TestService;
  let suggestions: KnowledgeSuggestions;
  beforeAll(async () => {
    t = await startTestService(intakeService, { bus: new InProcessBus({ retryBackoffMs: [10] }) });
    suggestions = t.service.app.get(KnowledgeSuggestions);
  });
  afterAll(() => t.stop());

  const published = (over: Partial<EventInput<'case.knowledge.published.v1'>> = {}) => {
    const data = {
      articleId: randomUUID(),
      version: 1,
      title: '存储阵列离线',
      productLine: 'storage',
      productModel: 'OceanStor 5300',
      symptom: '存储阵列离线，数据丢失',
      errorCodes: ['E42'],
      solution: '更换控制器电池后重启阵列',
      language: 'zh-CN' as const,
      publishedAt: new Date().toISOString(),
      ...over,
    };
    return upstreamEvent('case.knowledge.published.v1', data.articleId, data);
  };
  const publish = async (over: Partial<EventInput<'case.knowledge.published.v1'>> = {}) => {
    const e = published(over);
    await deliver(t.bus, e);
    return e;
  };
  const ids = (list: Array<{ articleId: string }>) => list.map((s) => s.articleId);

  it('suggests a published article by error code (exactly, whatever the case or separators), ahead of text matches', async () => {
    const byCode = await publish({
      errorCodes: ['ORA-00600'],
      title: 'Database instance halts',
      symptom: 'instance stops',
      solution: 'apply patch',
    });
    const byText = await publish({ errorCodes: [], title: 'instance halts on startup', symptom: 'database instance halts', solution: 'x' });
    const found = await suggestions.suggest({ symptom: 'database instance halts', errorCodes: ['ora00600'] });
    expect(ids(found).slice(0, 2)).toEqual([byCode.data.articleId, byText.data.articleId]);
    expect(found[0]?.matchedErrorCodes).toEqual(['ORA-00600']);
    expect(found[0]?.score).toBeGreaterThan(found[1]?.score ?? Infinity);
    expect(ids(await suggestions.suggest({ errorCodes: ['ORA-0060'] }))).not.toContain(byCode.data.articleId);
  });

  it('suggests by a Chinese symptom fragment and by stemmed English words', async () => {
    const zh = await publish({ errorCodes: ['Z-1001'] });
    const en = await publish({
      title: 'Controller crash',
      symptom: 'the controller may crash after firmware update',
      language: 'en',
      errorCodes: [],
    });
    expect(ids(await suggestions.suggest({ symptom: '客户说阵列离线了' }))).toContain(zh.data.articleId);
    expect(ids(await suggestions.suggest({ symptom: 'controller crashes' }))).toContain(en.data.articleId);
    expect(ids(await suggestions.suggest({ symptom: '打印机卡纸' }))).not.toContain(zh.data.articleId);
  });

  it('drops a withdrawn article, lets a newer version replace an older one and never the reverse', async () => {
    const v1 = await publish({ errorCodes: ['W-1'], solution: 'first fix' });
    const id = v1.data.articleId;
    const v2 = published({
      articleId: id,
      version: 2,
      errorCodes: ['W-1'],
      solution: 'better fix',
      publishedAt: new Date(Date.now() + 1000).toISOString(),
    });
    await deliver(t.bus, v2);
    await deliver(t.bus, published({ articleId: id, version: 1, errorCodes: ['W-1'], solution: 'first fix' })); // late redelivery of v1
    const [found] = await suggestions.suggest({ errorCodes: ['W-1'] });
    expect(found).toMatchObject({ articleId: id, version: 2, solution: 'better fix' });

    // a withdrawal older than v2 does not take v2 down; a current one does
    await deliver(t.bus, upstreamEvent('case.knowledge.withdrawn.v1', id, { articleId: id, at: v1.data.publishedAt }));
    expect(ids(await suggestions.suggest({ errorCodes: ['W-1'] }))).toEqual([id]);
    await deliver(
      t.bus,
      upstreamEvent('case.knowledge.withdrawn.v1', id, { articleId: id, at: new Date(Date.now() + 2000).toISOString() }),
    );
    expect(await suggestions.suggest({ errorCodes: ['W-1'] })).toEqual([]);
  });

  it('serves GET /knowledge/suggestions to agents and customers, and rejects bad input naming the field', async () => {
    const a = await publish({ errorCodes: ['HTTP-7'] });
    const customer = await tokenFor('customer', { customerId: 'C-1' });
    const res = await t.http('GET', '/knowledge/suggestions?errorCode=http-7,X1&symptom=%E9%98%B5%E5%88%97', { token: customer });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ articleId: a.data.articleId, matchedErrorCodes: ['HTTP-7'] });
    const bad = await t.http('GET', '/knowledge/suggestions?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('limit');
    expect((await t.http('GET', '/knowledge/suggestions')).body.items).toEqual([]);
  });
});
