import { describe, expect, it } from 'vitest';
import type { Answers } from './api';
import { AnswerQueue } from './answerQueue';

// A stand-in for the server: records each batch and settles it when told.
function server() {
  const calls: { batch: Answers; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const send = (batch: Answers) =>
    new Promise<void>((resolve, reject) => calls.push({ batch: { ...batch }, resolve, reject }));
  return { calls, send };
}

// Lets every pending promise callback run.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AnswerQueue', () => {
  it('keeps one save in flight and merges later answers into the next batch', async () => {
    const { calls, send } = server();
    const queue = new AnswerQueue(send);
    void queue.add('a', 1);
    await settle();
    void queue.add('a', 2);
    void queue.add('b', 4);
    void queue.add('a', 3);
    await settle();
    expect(calls.map((c) => c.batch)).toEqual([{ a: 1 }]);
    calls[0].resolve();
    await settle();
    expect(calls.map((c) => c.batch)).toEqual([{ a: 1 }, { a: 3, b: 4 }]);
    calls[1].resolve();
    await settle();
    expect(calls).toHaveLength(2);
    expect(queue.pending).toBe(0);
  });

  it('resolves every caller once everything given is saved', async () => {
    const { calls, send } = server();
    const queue = new AnswerQueue(send);
    const first = queue.add('a', 1);
    await settle();
    const second = queue.add('b', null);
    calls[0].resolve();
    await settle();
    calls[1].resolve();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(calls.map((c) => c.batch)).toEqual([{ a: 1 }, { b: null }]);
  });

  it('keeps a failed batch, under newer answers, and sends it with the next attempt', async () => {
    const { calls, send } = server();
    const failures: unknown[] = [];
    const queue = new AnswerQueue(send, { onfailed: (e) => failures.push(e) });
    const attempt = queue.add('a', 1);
    void queue.add('b', 2);
    await settle();
    expect(calls.map((c) => c.batch)).toEqual([{ a: 1, b: 2 }]);
    void queue.add('a', 5); // changed while the failing save is in flight
    calls[0].reject(new Error('offline'));
    expect(await attempt).toBe(false);
    expect(failures).toEqual([new Error('offline')]);
    expect(queue.pending).toBe(2);
    await settle();
    expect(calls).toHaveLength(1); // no retry on its own

    const retry = queue.add('c', 3);
    await settle();
    expect(calls[1].batch).toEqual({ a: 5, b: 2, c: 3 });
    calls[1].resolve();
    expect(await retry).toBe(true);
    expect(queue.pending).toBe(0);
  });

  it('retries on flush alone, as the Try again button does', async () => {
    const { calls, send } = server();
    const queue = new AnswerQueue(send);
    const attempt = queue.add('a', 1);
    await settle();
    calls[0].reject(new Error('503'));
    expect(await attempt).toBe(false);
    const retry = queue.flush();
    await settle();
    expect(calls[1].batch).toEqual({ a: 1 });
    calls[1].resolve();
    expect(await retry).toBe(true);
  });

  it('tells when a batch goes, when all is saved and when one failed', async () => {
    const { calls, send } = server();
    const events: string[] = [];
    const queue = new AnswerQueue(send, {
      onsaving: () => events.push('saving'),
      onsaved: () => events.push('saved'),
      onfailed: () => events.push('failed'),
    });
    void queue.add('a', 1);
    await settle();
    void queue.add('b', 1);
    calls[0].resolve();
    await settle();
    calls[1].resolve();
    await settle();
    expect(events).toEqual(['saving', 'saving', 'saved']);
    void queue.add('c', 1);
    await settle();
    calls[2].reject(new Error('409'));
    await settle();
    expect(events).toEqual(['saving', 'saving', 'saved', 'saving', 'failed']);
  });

  it('with nothing unsaved, resolves at once and still saves what comes next', async () => {
    const { calls, send } = server();
    const queue = new AnswerQueue(send);
    expect(await queue.flush()).toBe(true);
    expect(calls).toHaveLength(0);
    const next = queue.add('a', 2);
    await settle();
    expect(calls.map((c) => c.batch)).toEqual([{ a: 2 }]);
    calls[0].resolve();
    expect(await next).toBe(true);
  });
});

describe('AnswerQueue comments', () => {
  it('sends comments beside the answers, the latest text of each, and keeps them when a batch fails', async () => {
    const calls: { batch: Answers; comments?: Record<string, string>; reject: (e: unknown) => void; resolve: () => void }[] = [];
    const queue = new AnswerQueue(
      (batch, comments) =>
        new Promise<void>((resolve, reject) => calls.push({ batch: { ...batch }, comments: comments && { ...comments }, resolve, reject })),
    );
    void queue.add('a', 1);
    await settle();
    void queue.addComment('lead', 'First');
    void queue.addComment('lead', 'First words, then more');
    await settle();
    calls[0].resolve();
    await settle();
    expect(calls[1].comments).toEqual({ lead: 'First words, then more' });
    expect(calls[1].batch).toEqual({});
    calls[1].reject(new Error('offline'));
    await settle();
    expect(queue.pending).toBe(1);
    void queue.addComment('data', '');
    await settle();
    expect(calls[2].comments).toEqual({ lead: 'First words, then more', data: '' });
    expect(calls[0].comments).toBeUndefined();
  });
});
