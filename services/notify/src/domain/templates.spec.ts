import { DEFAULT_TEMPLATES } from './default-templates';
import { checkTemplate } from './template-check';
import { LANGUAGES, renderTemplate, TEMPLATE_IDS, TEMPLATE_SAMPLES, TEMPLATE_SCOPES, templateProblems } from './templates';

const rung = TEMPLATE_SCOPES['escalation-rung'];
const digest = TEMPLATE_SCOPES.digest;

describe('templates', () => {
  it.each(TEMPLATE_IDS.flatMap((id) => LANGUAGES.map((l) => [id, l] as const)))(
    'the built-in %s (%s) checks and renders',
    (id, language) => {
      const t = DEFAULT_TEMPLATES[id][language];
      expect(templateProblems(id, t)).toEqual([]);
      const r = renderTemplate(t, TEMPLATE_SAMPLES[id], { language, timeZone: 'Asia/Shanghai' });
      expect(r.subject.length).toBeGreaterThan(0);
      expect(r.text.length).toBeGreaterThan(0);
    },
  );

  it('names line and column of a syntax error', () => {
    expect(checkTemplate('Case {{caseNumber}}\nis {{#if vendorCase}} late', rung)).toEqual([
      expect.objectContaining({ line: 2, reason: expect.stringContaining('syntax error') }),
    ]);
    expect(checkTemplate('ok\n\n  {{#if vendorCase}}x{{/each}}', rung)).toEqual([{ line: 3, column: 6, reason: "if doesn't match each" }]);
    expect(checkTemplate('a\n  {{caseNumber}', rung)).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it('rejects a variable the event does not have, with its position', () => {
    expect(checkTemplate('Case {{caseNumber}}\n  owner {{ownerEmail}}', rung)).toEqual([
      { line: 2, column: 11, reason: expect.stringMatching(/unknown variable "ownerEmail"; this template has: .*caseNumber/) },
    ]);
    expect(checkTemplate('{{#each items}}{{subject}} {{nope}}{{/each}}', digest)).toEqual([
      expect.objectContaining({ line: 1, column: 30, reason: expect.stringContaining('"nope"') }),
    ]);
    expect(checkTemplate('{{#each items}}{{../count}} {{@index}} {{this.subject}}{{/each}} {{items.length}}', digest)).toEqual([]);
    expect(checkTemplate('{{#each count}}x{{/each}}', digest)[0]!.reason).toContain('#each needs a list');
  });

  it('rejects unknown helpers and partials', () => {
    expect(checkTemplate('{{shout caseNumber}}', rung)[0]!.reason).toContain('unknown helper "shout"');
    expect(checkTemplate('{{#loop caseNumber}}x{{/loop}}', rung)[0]!.reason).toContain('unknown block "loop"');
    expect(checkTemplate('{{> header}}', rung)[0]!.reason).toContain('partials');
    expect(checkTemplate('{{time dueAt}}', rung)).toEqual([]);
    expect(checkTemplate('{{time}}', rung)).toEqual([{ line: 1, column: 3, reason: 'time takes 1 argument(s)' }]);
  });

  it('escapes values in the HTML part only', () => {
    const r = renderTemplate(
      { subject: 'S {{symptom}}', text: 'T {{symptom}}', html: '<p>{{symptom}}</p>' },
      { symptom: '<script>x</script> & co' },
      { language: 'en', timeZone: 'UTC' },
    );
    expect(r.html).toBe('<p>&lt;script&gt;x&lt;/script&gt; &amp; co</p>');
    expect(r.text).toBe('T <script>x</script> & co');
    expect(r.subject).toBe('S <script>x</script> & co');
  });

  it('writes times in the recipient language and the configured zone', () => {
    const t = { subject: '', text: '{{time dueAt}}', html: '' };
    expect(renderTemplate(t, { dueAt: '2026-03-01T19:00:00Z' }, { language: 'en', timeZone: 'Asia/Shanghai' }).text).toBe(
      '2026-03-02 03:00 GMT+8',
    );
    expect(renderTemplate(t, { dueAt: '2026-03-01T19:00:00Z' }, { language: 'zh-CN', timeZone: 'Asia/Shanghai' }).text).toBe(
      '2026-03-02 03:00 GMT+8',
    );
  });
});
