/** Reads one event-stream chunk by chunk; `onEvent` gets each complete event's data. */
export function parseEvents(buffer: string, onEvent: (data: string) => void): string {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    if (data) onEvent(data);
  }
  return rest;
}
