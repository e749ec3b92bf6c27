import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followStream, type EventSourceLike } from './eventStream';

// A stand-in for EventSource that the test opens, feeds, ends and refuses.
class FakeSource implements EventSourceLike {
  readyState = 0; // CONNECTING
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data } as unknown as Event);
  }
  accept() {
    this.readyState = 1;
    this.emit('open');
  }
  // The stream ended: the browser reconnects by itself (CONNECTING).
  end() {
    this.readyState = 0;
    this.emit('error');
  }
  // The (re)connection was answered 429 or 503: EventSource gives up.
  refuse() {
    this.readyState = 2;
    this.emit('error');
  }
}

describe('followStream', () => {
  let sources: FakeSource[];
  const open = () => {
    const source = new FakeSource();
    sources.push(source);
    return source;
  };

  beforeEach(() => {
    sources = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('passes on the named events and leaves reconnecting after an end to the browser', () => {
    const seen: string[] = [];
    followStream(open, 'room', (data) => seen.push(data));
    sources[0].accept();
    sources[0].emit('room', '{"step":1}');
    sources[0].emit('other', 'ignored');
    sources[0].end(); // the server ended it after its lifetime
    vi.advanceTimersByTime(120000);
    expect(sources).toHaveLength(1); // EventSource itself reconnects
    sources[0].accept();
    sources[0].emit('room', '{"step":2}');
    expect(seen).toEqual(['{"step":1}', '{"step":2}']);
  });

  it('opens a new stream after a refusal, with growing pauses, until it is accepted', () => {
    followStream(open, 'cycle', () => {}, { first: 5000, longest: 12000 });
    sources[0].refuse();
    vi.advanceTimersByTime(4999);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    sources[1].refuse();
    vi.advanceTimersByTime(9999);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);
    sources[2].refuse();
    vi.advanceTimersByTime(12000); // no longer than the longest pause
    expect(sources).toHaveLength(4);
    sources[3].accept(); // accepted: the next refusal waits the first pause again
    sources[3].refuse();
    vi.advanceTimersByTime(5000);
    expect(sources).toHaveLength(5);
  });

  it('stops: closes the stream and opens no other', () => {
    const stop = followStream(open, 'cycle', () => {});
    sources[0].refuse();
    stop();
    vi.advanceTimersByTime(120000);
    expect(sources).toHaveLength(1);
    expect(sources[0].closed).toBe(true);
  });
});
