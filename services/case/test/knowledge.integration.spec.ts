import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { deliver, recordTopic, requestReceived, tokenFor, upstreamEvent, useTestService, waitFor } from '@aftersales/testing';
// the knowledge base spans both services: written in case, offered at intake, over the bus
// eslint-disable-next-line @nx/enforce-module-boundaries
import { intakeService } from '@aftersales/service-intake';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { KnowledgeSuggestions } from '../../intake/src/knowledge';
import { caseService } from '../src/case.service-definition';

describe('knowledge base: case writes and publishes, intake suggests (real PostgreSQL, one in-process bus)', () => {
  const bus = new InProcessBus({ retryBackoffMs: [10] });
  let caseEvents: EventEnvelope[];
  beforeAll(async () => {
    caseEvents = await recordTopic(bus, 'aftersales.case.events.v1');
  });
  const cs = useTestService(caseService, { bus });
  const intake = useTestService(intakeService, { bus });
  let suggestions: KnowledgeSuggestions;
  beforeAll(() => {
    suggestions = intake.service.app.get(KnowledgeSuggestions);
  });

  const engineer = { role: 'engineer' as const };
  const sql = (text: string, params: unknown[] = []) => cs.service.runtime.dataSource.query(text, params);
  // events are written to the outbox in the transaction of the change: counting them there needs no waiting
  const knowledgeEventCount = async () =>
    Number((await sql(`SELECT count(*) AS n FROM "${cs.schema}".outbox WHERE event_type LIKE 'case.knowledge.%'`))[0].n);
  const articleCount = async () => Number((await sql(`SELECT count(*) AS n FROM "${cs.schema}".knowledge_articles`))[0].n);

  /** A case opened through the bus as intake would, then brought to `status` (with product facts where the columns exist). */
  async function caseIn(status: string, over: Parameters<typeof requestReceived>[0] = {}): Promise<{ id: string; caseNumber: string }> {
    const request = requestReceived(over);
    await deliver(cs.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [opened] = await sql(`SELECT id, case_number FROM "${cs.schema}".cases WHERE request_id = $1`, [request.requestId]);
    await sql(`UPDATE "${cs.schema}".cases SET status = $2 WHERE id = $1`, [opened.id, status]);
    const columns: string[] = (
      await sql(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'cases'`, [cs.schema])
    ).map((r: { column_name: string }) => r.column_name);
    if (columns.includes('error_codes'))
      await sql(`UPDATE "${cs.schema}".cases SET error_codes = $2 WHERE id = $1`, [opened.id, request.errorCodes]);
    if (columns.includes('product_line')) await sql(`UPDATE "${cs.schema}".cases SET product_line = 'storage' WHERE id = $1`, [opened.id]);
    return { id: opened.id, caseNumber: opened.case_number };
  }

  const publish = async (id: string) => {
    const res = await cs.http('POST', `/knowledge/articles/${id}/publish`, engineer);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** waits until intake's copy holds this version (or, with `gone`, no longer offers the article) */
  const atIntake = (articleId: string, codes: string[], version?: number) =>
    waitFor(`article ${articleId} v${version} at intake`, async () => {
      const found = (await suggestions.suggest({ errorCodes: codes })).find((s) => s.articleId === articleId);
      return found && (version === undefined || found.version === version) ? found : undefined;
    });
  const goneFromIntake = (articleId: string, codes: string[]) =>
    waitFor(`article ${articleId} gone at intake`, async () =>
      (await suggestions.suggest({ errorCodes: codes })).every((s) => s.articleId !== articleId) ? true : undefined,
    );

  it('drafts an article from a resolved case, publishes it, and intake suggests it by error code, Chinese fragment and English words', async () => {
    const solved = await caseIn('resolved', { symptom: '存储阵列离线，数据丢失', errorCodes: ['E4711'] });
    const draft = await cs.http('POST', `/cases/${solved.id}/knowledge-article`, {
      ...engineer,
      body: { solution: 'Replace the controller battery; the controller crashes when the cache battery fails. 更换控制器电池后重启阵列。' },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      status: 'draft',
      version: 1,
      sourceCaseId: solved.id,
      symptom: '存储阵列离线，数据丢失',
      language: 'zh-CN',
      author: 'test-engineer',
    });
    expect(draft.body.title).toContain(solved.caseNumber);

    // a draft is not offered anywhere, nor found by a customer
    const customer = await tokenFor('customer', { customerId: 'C-100' });
    expect((await cs.http('GET', '/knowledge/search?q=阵列离线', { token: customer })).body.items).toEqual([]);
    expect((await cs.http('GET', `/knowledge/articles/${draft.body.id}`, { token: customer })).status).toBe(404);

    const published = await publish(draft.body.id);
    expect(published).toMatchObject({ status: 'published', version: 1, publishedBy: 'test-engineer' });
    const event = await waitFor('case.knowledge.published.v1', () =>
      caseEvents.find((e) => e.type === 'case.knowledge.published.v1' && e.subject === draft.body.id),
    );
    expect(event.data).toMatchObject({ articleId: draft.body.id, version: 1, sourceCaseId: solved.id, language: 'zh-CN' });

    await atIntake(draft.body.id, ['e4711']);
    const byCode = await suggestions.suggest({ errorCodes: ['e-4711'], symptom: 'unrelated words here' });
    expect(byCode[0]).toMatchObject({ articleId: draft.body.id });
    expect(byCode[0]?.solution).toContain('更换控制器电池');
    const byChinese = await suggestions.suggest({ symptom: '客户反映阵列离线' });
    expect(byChinese.map((s) => s.articleId)).toContain(draft.body.id);
    const byEnglish = await suggestions.suggest({ symptom: 'controller crash' });
    expect(byEnglish.map((s) => s.articleId)).toContain(draft.body.id);

    // and at the desk / portal over HTTP
    const desk = await intake.http('GET', '/knowledge/suggestions?symptom=%E9%98%B5%E5%88%97%E7%A6%BB%E7%BA%BF', { role: 'agent' });
    expect(desk.body.items.map((s: { articleId: string }) => s.articleId)).toContain(draft.body.id);
  });

  it('refuses an article from a case that is not resolved or closed (409), and unknown cases (404), writing nothing', async () => {
    const open = await caseIn('in-progress');
    const before = await articleCount();
    const res = await cs.http('POST', `/cases/${open.id}/knowledge-article`, { ...engineer, body: { solution: 'x' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/in-progress/);
    expect((await cs.http('POST', `/cases/${randomId()}/knowledge-article`, { ...engineer, body: {} })).status).toBe(404);
    const customer = await tokenFor('customer', { customerId: 'C-100' });
    expect((await cs.http('POST', `/cases/${open.id}/knowledge-article`, { token: customer, body: {} })).status).toBe(404);
    expect(await articleCount()).toBe(before);
  });

  it('searches published articles ranked, with an exact error code outranking text, for customers too', async () => {
    const make = async (body: Record<string, unknown>) => {
      const res = await cs.http('POST', '/knowledge/articles', { ...engineer, body });
      expect(res.status).toBe(201);
      await publish(res.body.id);
      return res.body.id as string;
    };
    const coded = await make({
      title: 'Fan module alarm',
      symptom: 'fan speed alarm on the chassis',
      errorCodes: ['FAN-0x1F'],
      solution: 'reseat the fan',
    });
    const texty = await make({ title: 'Fan failure', symptom: 'fan stops, temperature alarm', solution: 'replace fan module FAN-0x1E' });
    const customer = await tokenFor('customer', { customerId: 'C-9' });

    const byCode = await cs.http('GET', '/knowledge/search?errorCode=fan0x1f', { token: customer });
    expect(byCode.status).toBe(200);
    expect(byCode.body.items.map((a: { id: string }) => a.id)).toEqual([coded]);
    expect(byCode.body.items[0].matchedErrorCodes).toEqual(['FAN-0x1F']);
    // a near-miss code is not a match
    expect((await cs.http('GET', '/knowledge/search?errorCode=FAN-0x1', { token: customer })).body.items).toEqual([]);

    const ranked = (await cs.http('GET', '/knowledge/search?q=fan%20alarm%20FAN-0x1F', { token: customer })).body.items;
    expect(ranked.map((a: { id: string }) => a.id)).toEqual([coded]); // q must match as a whole
    const bySymptom = (await cs.http('GET', '/knowledge/search?symptom=fan%20alarm%20FAN-0x1F', { token: customer })).body.items;
    expect(bySymptom.map((a: { id: string }) => a.id).slice(0, 2)).toEqual([coded, texty]);
    expect(bySymptom[0].score).toBeGreaterThan(bySymptom[1].score + 0.5);
  });

  it('makes a new version when a published article is edited; the republished version replaces the old one at intake', async () => {
    const created = await cs.http('POST', '/knowledge/articles', {
      ...engineer,
      body: {
        title: 'Disk rebuild stalls',
        symptom: 'RAID rebuild stalls at 99%',
        errorCodes: ['R-77'],
        solution: 'old fix',
        productLine: 'storage',
      },
    });
    const id = created.body.id;
    await publish(id);
    await atIntake(id, ['R-77'], 1);

    const edited = await cs.http('PATCH', `/knowledge/articles/${id}`, { ...engineer, body: { solution: 'new fix: update firmware' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id,
      version: 2,
      status: 'draft',
      solution: 'new fix: update firmware',
      title: 'Disk rebuild stalls',
    });
    // the published version stays live for customers meanwhile
    const customer = await tokenFor('customer', { customerId: 'C-1' });
    expect((await cs.http('GET', `/knowledge/articles/${id}`, { token: customer })).body).toMatchObject({
      version: 1,
      solution: 'old fix',
    });
    // editing the draft again stays on version 2
    expect(
      (await cs.http('PATCH', `/knowledge/articles/${id}`, { ...engineer, body: { title: 'Disk rebuild stalls at 99%' } })).body.version,
    ).toBe(2);

    await publish(id);
    const replaced = await atIntake(id, ['R-77'], 2);
    expect(replaced).toMatchObject({ solution: 'new fix: update firmware', title: 'Disk rebuild stalls at 99%' });
    const staffView = (await cs.http('GET', `/knowledge/articles/${id}`, engineer)).body;
    expect(staffView.versions).toEqual([
      { version: 2, status: 'published' },
      { version: 1, status: 'superseded' },
    ]);
    expect((await suggestions.suggest({ errorCodes: ['R-77'] })).filter((s) => s.articleId === id)).toHaveLength(1);
  });

  it('withdraws an article: gone from search and from intake suggestions', async () => {
    const created = await cs.http('POST', '/knowledge/articles', {
      ...engineer,
      body: { title: '电源模块告警', symptom: '电源模块指示灯闪烁', errorCodes: ['PSU-3'], solution: '更换电源模块' },
    });
    const id = created.body.id;
    await publish(id);
    await atIntake(id, ['PSU-3']);
    const withdrawn = await cs.http('POST', `/knowledge/articles/${id}/withdraw`, { ...engineer, body: { reason: 'wrong fix' } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawReason: 'wrong fix' });
    await goneFromIntake(id, ['PSU-3']);
    expect(
      (await cs.http('GET', '/knowledge/search?q=%E7%94%B5%E6%BA%90%E6%A8%A1%E5%9D%97')).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(id);
    expect((await cs.http('POST', `/knowledge/articles/${id}/withdraw`, engineer)).status).toBe(409);
    expect((await cs.http('POST', `/knowledge/articles/${id}/publish`, engineer)).status).toBe(409);
  });

  it('rejects bad input naming the field, writing nothing and publishing nothing', async () => {
    const before = await articleCount();
    const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

    const noTitle = await cs.http('POST', '/knowledge/articles', { ...engineer, body: { symptom: 's', title: '  ' } });
    expect(noTitle.status).toBe(400);
    expect(fieldsOf(noTitle)).toContain('title');
    const badLang = await cs.http('POST', '/knowledge/articles', { ...engineer, body: { title: 't', symptom: 's', language: 'fr' } });
    expect(badLang.status).toBe(400);
    expect(fieldsOf(badLang)).toContain('language');
    const badCode = await cs.http('POST', '/knowledge/articles', {
      ...engineer,
      body: { title: 't', symptom: 's', errorCodes: ['E1', '--'] },
    });
    expect(badCode.status).toBe(400);
    expect(fieldsOf(badCode)).toContain('errorCodes');
    const noCase = await cs.http('POST', '/knowledge/articles', {
      ...engineer,
      body: { title: 't', symptom: 's', sourceCaseId: randomId() },
    });
    expect(noCase.status).toBe(422);
    expect(fieldsOf(noCase)).toEqual(['sourceCaseId']);
    expect((await cs.http('POST', '/knowledge/articles', { role: 'agent', body: { title: 't', symptom: 's' } })).status).toBe(403);
    expect(await articleCount()).toBe(before);

    // a draft without a solution cannot be published
    const draft = await cs.http('POST', '/knowledge/articles', { ...engineer, body: { title: 'no fix yet', symptom: 'unknown beeping' } });
    const announced = await knowledgeEventCount();
    const incomplete = await cs.http('POST', `/knowledge/articles/${draft.body.id}/publish`, engineer);
    expect(incomplete.status).toBe(422);
    expect(fieldsOf(incomplete)).toEqual(['solution']);
    expect((await cs.http('GET', `/knowledge/articles/${draft.body.id}`, engineer)).body.status).toBe('draft');

    const badPatch = await cs.http('PATCH', `/knowledge/articles/${draft.body.id}`, { ...engineer, body: { title: '', color: 'red' } });
    expect(badPatch.status).toBe(400);
    expect(fieldsOf(badPatch)).toEqual(expect.arrayContaining(['title', 'color']));
    expect((await cs.http('GET', '/knowledge/search')).status).toBe(422);
    expect(fieldsOf(await cs.http('GET', '/knowledge/search?limit=500'))).toContain('limit');
    expect((await cs.http('GET', '/knowledge/articles/not-a-uuid')).status).toBe(400);
    expect((await cs.http('GET', `/knowledge/articles/${randomId()}`)).status).toBe(404);
    expect(await knowledgeEventCount()).toBe(announced);
  });
});

function randomId(): string {
  return crypto.randomUUID();
}
