// What every form that sends one request shares: it is busy while the
// request runs (the submit button is disabled, so a double click sends
// once), and it shows the error that ended the last attempt.
export class FormAction {
  busy = $state(false);
  error = $state<unknown>(null);

  // Runs `work` unless a run is under way; an exception becomes `error`.
  async run(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.error = null;
    this.busy = true;
    try {
      await work();
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  }

  // A problem found before sending anything.
  refuse(message: string): void {
    this.error = message;
  }
}

// For a submit button that creates something: the second click of a double
// click does not submit again, even when the first click's request has
// already finished (a fast server, or a busy machine between the clicks).
export function firstClickOnly(event: MouseEvent): void {
  if (event.detail > 1) event.preventDefault();
}
