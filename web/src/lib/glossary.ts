// Splits a statement into plain text and the glossary terms it uses, so a
// term can be marked where it appears. The server says which terms a
// statement uses (QuestionnaireItem.terms, matched by src/core/glossary.cpp);
// this finds them in the text by the same rule: whole words, any case, a
// space matching a space or a hyphen, an optional plural "s" or "es".
import type { Questionnaire } from './api';

export type GlossaryEntry = Questionnaire['glossary'][number];
export type TextPart = { text: string; term: number | null };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function termPattern(term: string): RegExp {
  const body = term.split(' ').map(escape).join('[ -]');
  // Letters beyond ASCII count as word characters, as on the server.
  return new RegExp(`(?<![A-Za-z0-9\\u0080-\\uFFFF])${body}(?:es|s)?(?![A-Za-z0-9\\u0080-\\uFFFF])`, 'gi');
}

// The parts of `text` in order; the longest term wins where several match.
export function splitTerms(text: string, glossary: GlossaryEntry[], terms: number[]): TextPart[] {
  const found: { start: number; end: number; term: number }[] = [];
  for (const term of terms) {
    const entry = glossary[term];
    if (!entry) continue;
    for (const m of text.matchAll(termPattern(entry.term))) {
      found.push({ start: m.index, end: m.index + m[0].length, term });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: TextPart[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start < at) continue; // overlaps a longer or earlier match
    if (f.start > at) parts.push({ text: text.slice(at, f.start), term: null });
    parts.push({ text: text.slice(f.start, f.end), term: f.term });
    at = f.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), term: null });
  return parts;
}
