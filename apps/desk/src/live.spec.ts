import { parseEvents } from './live-stream';

describe('desk live stream parsing', () => {
  it('hands over complete events only, keeps the partial rest, and ignores comments', () => {
    const seen: string[] = [];
    let rest = parseEvents(': connected\n\nevent: case\ndata: {"caseId":"a"}\n\nevent: case\ndata: {"ca', (d) => seen.push(d));
    expect(seen).toEqual(['{"caseId":"a"}']);
    rest = parseEvents(rest + 'seId":"b"}\n\n: keep-alive\n\n', (d) => seen.push(d));
    expect(seen).toEqual(['{"caseId":"a"}', '{"caseId":"b"}']);
    expect(rest).toBe('');
  });
});
