// A participant's answers on their way to the server. At most one save is in
// flight; answers given meanwhile wait and go together in the next batch, so
// a quick change of mind (1, then 2, then 3) can never arrive out of order.
// A batch that fails is kept (under any newer answers to the same
// statements) and goes again with the next attempt. Comments (a
// competency's free text, an empty text deleting it) travel the same way,
// in the same batches.
import type { Answers } from './api';

export type CommentTexts = Record<string, string>;

export interface AnswerQueueEvents {
  // A batch is being sent.
  onsaving?: () => void;
  // Every answer given so far is saved.
  onsaved?: () => void;
  // A batch failed; its answers wait for the next attempt.
  onfailed?: (error: unknown) => void;
}

export class AnswerQueue {
  private unsaved: Answers = {};
  private unsavedComments: CommentTexts = {};
  private saving: Promise<boolean> | null = null;

  // `send` saves one batch (its comments, when any, beside it), rejecting
  // when it could not.
  constructor(
    private readonly send: (batch: Answers, comments?: CommentTexts) => Promise<unknown>,
    private readonly events: AnswerQueueEvents = {},
  ) {}

  // Answers not yet acknowledged by the server.
  get pending(): number {
    return Object.keys(this.unsaved).length + Object.keys(this.unsavedComments).length;
  }

  // Records an answer (replacing an unsaved one to the same statement) and
  // starts saving.
  add(itemId: string, value: number | null): Promise<boolean> {
    this.unsaved[itemId] = value;
    return this.flush();
  }

  // Records a comment on a competency (replacing an unsaved one) and starts
  // saving.
  addComment(competencyId: string, text: string): Promise<boolean> {
    this.unsavedComments[competencyId] = text;
    return this.flush();
  }

  // Sends what is unsaved, batch after batch, until nothing is. Joins the
  // save in flight, if any. Resolves to true when everything is saved and
  // to false when a batch failed; never rejects.
  flush(): Promise<boolean> {
    if (!this.saving) this.saving = this.sendAll();
    return this.saving;
  }

  private async sendAll(): Promise<boolean> {
    // Settles no earlier than the next microtask: flush() has stored this
    // promise before the `finally` below clears it, even with nothing to send.
    await undefined;
    try {
      while (this.pending) {
        const batch = this.unsaved;
        const comments = this.unsavedComments;
        this.unsaved = {};
        this.unsavedComments = {};
        this.events.onsaving?.();
        try {
          if (Object.keys(comments).length) await this.send(batch, comments);
          else await this.send(batch);
        } catch (error) {
          this.unsaved = { ...batch, ...this.unsaved };
          this.unsavedComments = { ...comments, ...this.unsavedComments };
          this.events.onfailed?.(error);
          return false;
        }
      }
      this.events.onsaved?.();
      return true;
    } finally {
      this.saving = null;
    }
  }
}
