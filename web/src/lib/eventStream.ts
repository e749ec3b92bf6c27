// Following a server-sent event stream for as long as a page shows it.
//
// The browser's EventSource reconnects by itself when a stream ends (cxm
// ends each after its lifetime, an hour by default, and when a process
// stops), sending the last event's id: cxm then sends the state again only
// when it changed, so nothing is lost. But when a connection is refused
// (429: too many streams open for this link or from this network; 503: the
// server holds as many as it can) EventSource gives up for good. Then a new
// one is opened after a pause, from 5 s doubling up to a minute, until the
// page stops following.

// What is used of an EventSource (a stand-in in the unit tests).
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

// EventSource.CLOSED, which a stand-in need not define.
const CLOSED = 2;

export interface Pauses {
  first: number;
  longest: number;
}

// Opens the stream with `open` and calls `changed` with the data of each
// event named `event`. Returns the function that stops following.
export function followStream(
  open: () => EventSourceLike,
  event: string,
  changed: (data: string) => void,
  pauses: Pauses = { first: 5000, longest: 60000 },
): () => void {
  let source: EventSourceLike | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pause = pauses.first;
  let stopped = false;

  const start = () => {
    timer = undefined;
    if (stopped) return;
    const opened = open();
    source = opened;
    opened.addEventListener('open', () => {
      pause = pauses.first;
    });
    opened.addEventListener(event, (e) => changed((e as MessageEvent<string>).data));
    opened.addEventListener('error', () => {
      // While CONNECTING the browser is reconnecting by itself.
      if (stopped || opened.readyState !== CLOSED || timer !== undefined) return;
      timer = setTimeout(start, pause);
      pause = Math.min(pause * 2, pauses.longest);
    });
  };

  start();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    source?.close();
  };
}
