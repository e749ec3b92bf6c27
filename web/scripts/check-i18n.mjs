// Fails when the application shows a text that is not from a message
// catalogue, or when the catalogues disagree (src/lib/i18n.svelte.ts).
//
//   node scripts/check-i18n.mjs            check src/
//   node scripts/check-i18n.mjs FILE...    check only these components
//
// Checks, each reported as file:line:col:
// - a text node with letters in a component's markup, or a static
//   aria-label, title, placeholder, alt or label attribute with letters;
// - a string literal with letters shown by an expression in the markup
//   ({ok ? 'Saved' : 'Failed'}), other than a message key given to t();
// - a sentence-like string literal in a script or a lib module ("Could not
//   save." — starts with a capital letter and has a space, or ends with a
//   full stop), which is text meant for people;
// - a key given to t() that the English catalogue lacks;
// - a key in one language's catalogue but not in another's, placeholders
//   that differ between languages, a message that is not valid ICU syntax,
//   a key outside its file's area, and a key nothing uses.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'svelte/compiler';
import { IntlMessageFormat } from 'intl-messageformat';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const messagesDir = join(src, 'messages');
const LANGUAGES = ['en', 'de'];
// Words that are the same in every language: the product's name.
const ALLOWED_TEXT = new Set(['cxm']);
const CHECKED_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description', 'aria-roledescription']);
// Modules that hold no text for people (generated types, the i18n module,
// tests and the routing table).
const SKIPPED_MODULES = new Set(['api-schema.ts', 'i18n.svelte.ts']);

const problems = [];
const report = (file, line, column, message) => problems.push(`${relative(root, file)}:${line}:${column}: ${message}`);

const hasLetters = (text) => /\p{L}/u.test(text);
const shownText = (text) => {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed && hasLetters(trimmed) && !ALLOWED_TEXT.has(trimmed) ? trimmed : null;
};
// A string in code that reads as words for people rather than an id, a
// path, a class list or a format.
const sentenceLike = (text) => hasLetters(text) && ((/^\p{Lu}/u.test(text) && /\s/.test(text)) || /\p{L}[.!?]$/u.test(text.trim()) && /\s/.test(text));

function lineColumn(source, offset) {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return [line, offset - last];
}

function walkFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'messages') walkFiles(path, out);
    } else out.push(path);
  }
  return out;
}

const usedKeys = new Set();
const usedPrefixes = new Set();

// t('key') and t(`prefix.${x}`): the keys (or key prefixes) a file uses.
function collectKeys(source) {
  const keys = [];
  for (const m of source.matchAll(/\bt\(\s*(['"])([A-Za-z0-9_.-]+)\1/g)) {
    usedKeys.add(m[2]);
    keys.push({ key: m[2], offset: m.index });
  }
  for (const m of source.matchAll(/\bt\(\s*`([A-Za-z0-9_.-]+)\$\{/g)) usedPrefixes.add(m[1]);
  // A key chosen by a condition (t(ok ? 'a.b' : 'a.c')) or held in a table.
  for (const m of source.matchAll(/(['"])((?:common|participant|setup|results)\.[A-Za-z0-9_.-]+)\1/g)) usedKeys.add(m[2]);
  // A key held in a table and given to t() later: 'area.some.key' as MessageKey.
  for (const m of source.matchAll(/(['"])([a-z]+\.[A-Za-z0-9_.-]+)\1\s+as\s+MessageKey/g)) {
    usedKeys.add(m[2]);
    keys.push({ key: m[2], offset: m.index });
  }
  return keys;
}

// Generic walk over an ESTree/Svelte AST, with each node's parent.
function walk(node, visit, parent = null) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent);
    return;
  }
  if (typeof node.type === 'string' && visit(node, parent) === false) return;
  for (const [name, value] of Object.entries(node)) {
    if (name === 'parent' || name === 'metadata' || name === 'loc') continue;
    if (value && typeof value === 'object') walk(value, visit, typeof node.type === 'string' ? node : parent);
  }
}

const isKeyArgument = (node, parent) =>
  parent?.type === 'CallExpression' && parent.callee?.type === 'Identifier' && parent.callee.name === 't' && parent.arguments[0] === node;
const isComparison = (parent) => parent?.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(parent.operator);
const isPropertyName = (node, parent) =>
  (parent?.type === 'MemberExpression' && parent.property === node) || (parent?.type === 'Property' && parent.key === node);

// String literals with letters inside a markup expression: those that
// become the shown text (a branch of a condition, a part of a
// concatenation or a template) with any letters, others (arguments,
// options, keys) only when they read as sentences.
function checkExpression(file, source, expression) {
  const flag = (node, text, shown) => {
    if (shown ? shownText(text) : sentenceLike(text)) {
      const [line, column] = lineColumn(source, node.start);
      report(file, line, column, `text shown without a catalogue: '${text}'`);
    }
  };
  const visit = (node, shown) => {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') flag(node, node.value, shown);
        return;
      case 'TemplateLiteral':
        for (const quasi of node.quasis) flag(quasi, quasi.value.cooked ?? '', shown);
        for (const e of node.expressions) visit(e, shown);
        return;
      case 'ConditionalExpression':
        visit(node.test, false);
        visit(node.consequent, shown);
        visit(node.alternate, shown);
        return;
      case 'LogicalExpression':
        visit(node.left, shown && node.operator !== '&&');
        visit(node.right, shown);
        return;
      case 'BinaryExpression':
        visit(node.left, shown && node.operator === '+');
        visit(node.right, shown && node.operator === '+');
        return;
      case 'CallExpression': {
        const isT = node.callee?.type === 'Identifier' && node.callee.name === 't';
        node.arguments.forEach((argument, i) => {
          if (!(isT && i === 0)) visit(argument, false);
        });
        return;
      }
      case 'Property':
        visit(node.value, false);
        return;
      case 'MemberExpression':
        visit(node.object, false);
        if (node.computed) visit(node.property, false);
        return;
      default:
        for (const [name, value] of Object.entries(node)) {
          if (name === 'parent' || name === 'metadata' || name === 'loc') continue;
          if (Array.isArray(value)) value.forEach((v) => visit(v, false));
          else if (value && typeof value === 'object' && typeof value.type === 'string') visit(value, false);
        }
    }
  };
  visit(expression, true);
}

// Sentence-like string literals in script code.
function checkScript(file, source, program, offset = 0) {
  walk(program, (node, parent) => {
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration') return false;
    if (node.type === 'Literal' && typeof node.value === 'string') {
      if (isKeyArgument(node, parent) || isComparison(parent) || isPropertyName(node, parent)) return;
      if (sentenceLike(node.value)) {
        const [line, column] = lineColumn(source, node.start + offset);
        report(file, line, column, `text for people outside a catalogue: '${node.value}'`);
      }
    } else if (node.type === 'TemplateLiteral' && !isKeyArgument(node, parent)) {
      const text = node.quasis.map((q) => q.value.cooked ?? '').join('{}');
      if (sentenceLike(text)) {
        const [line, column] = lineColumn(source, node.start + offset);
        report(file, line, column, `text for people outside a catalogue: \`${text}\``);
      }
    }
  });
}

function checkComponent(file) {
  const source = readFileSync(file, 'utf8');
  collectKeys(source);
  let ast;
  try {
    ast = parse(source, { modern: true, filename: file });
  } catch (error) {
    report(file, 1, 1, `cannot parse: ${error.message}`);
    return;
  }
  for (const script of [ast.instance, ast.module]) if (script) checkScript(file, source, script.content);
  walk(ast.fragment, (node, parent) => {
    if (node.type === 'Text') {
      if (parent?.type === 'Attribute') return;
      const text = shownText(node.data);
      if (text) {
        const [line, column] = lineColumn(source, node.start + node.data.search(/\S/));
        report(file, line, column, `text without a catalogue: '${text.slice(0, 60)}'`);
      }
    } else if (node.type === 'Attribute') {
      if (!CHECKED_ATTRIBUTES.has(node.name)) return false;
      const parts = Array.isArray(node.value) ? node.value : [node.value];
      for (const part of parts) {
        if (part?.type === 'Text' && shownText(part.data)) {
          const [line, column] = lineColumn(source, part.start);
          report(file, line, column, `${node.name} without a catalogue: '${part.data.trim()}'`);
        } else if (part?.type === 'ExpressionTag') checkExpression(file, source, part.expression);
      }
      return false;
    } else if (node.type === 'ExpressionTag') {
      checkExpression(file, source, node.expression);
      return false;
    } else if (node.type === 'StyleSheet' || node.type === 'Script' || node.type.endsWith('Directive')) {
      return false;
    }
  });
}

async function checkModule(file) {
  const source = readFileSync(file, 'utf8');
  collectKeys(source);
  if (SKIPPED_MODULES.has(basename(file)) || /\.test\.ts$/.test(file)) return;
  // TypeScript is not JavaScript: strip types crudely by letting the Svelte
  // parser read the module as a <script lang="ts"> block.
  const wrapped = `<script lang="ts">${source}</script>`;
  try {
    const ast = parse(wrapped, { modern: true, filename: file });
    checkScript(file, source, ast.instance.content, -'<script lang="ts">'.length);
  } catch (error) {
    report(file, 1, 1, `cannot parse: ${error.message}`);
  }
}

// The ICU argument names a message uses, for comparing languages.
function argumentsOf(elements, out = new Set()) {
  for (const element of elements) {
    if (element.value !== undefined && element.type !== 0 && element.type !== 7) out.add(element.value);
    if (element.options) for (const option of Object.values(element.options)) argumentsOf(option.value, out);
    if (element.children) argumentsOf(element.children, out);
  }
  return out;
}

function checkCatalogues() {
  const areas = readdirSync(join(messagesDir, 'en')).filter((n) => n.endsWith('.json'));
  const english = {};
  for (const lang of LANGUAGES) {
    const files = readdirSync(join(messagesDir, lang)).filter((n) => n.endsWith('.json'));
    for (const name of files) if (!areas.includes(name)) report(join(messagesDir, lang, name), 1, 1, `no English catalogue ${name}`);
  }
  for (const name of areas) {
    const area = name.replace(/\.json$/, '');
    const catalogues = {};
    for (const lang of LANGUAGES) {
      const file = join(messagesDir, lang, name);
      try {
        catalogues[lang] = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        report(file, 1, 1, `cannot read: ${error.message}`);
        catalogues[lang] = {};
      }
    }
    const en = catalogues.en;
    for (const lang of LANGUAGES) {
      const file = join(messagesDir, lang, name);
      const text = readFileSync(file, 'utf8');
      const at = (key) => lineColumn(text, Math.max(0, text.indexOf(JSON.stringify(key))));
      for (const [key, message] of Object.entries(catalogues[lang])) {
        if (!key.startsWith(area + '.')) report(file, ...at(key), `key '${key}' is outside the area '${area}'`);
        if (typeof message !== 'string' || !message.trim()) {
          report(file, ...at(key), `'${key}' is not a non-empty text`);
          continue;
        }
        let args;
        try {
          args = argumentsOf(new IntlMessageFormat(message, lang).getAst());
        } catch (error) {
          report(file, ...at(key), `'${key}' is not valid ICU MessageFormat: ${error.message}`);
          continue;
        }
        if (lang === 'en') {
          english[key] = args;
          continue;
        }
        if (!(key in en)) {
          report(file, ...at(key), `'${key}' is not in the English catalogue`);
          continue;
        }
        let enArgs;
        try {
          enArgs = argumentsOf(new IntlMessageFormat(en[key], 'en').getAst());
        } catch {
          continue;
        }
        const differs = [...args].some((a) => !enArgs.has(a)) || [...enArgs].some((a) => !args.has(a));
        if (differs) {
          report(file, ...at(key), `'${key}' uses {${[...args].join(', ')}}, English uses {${[...enArgs].join(', ')}}`);
        }
      }
      if (lang !== 'en') {
        for (const key of Object.keys(en)) {
          if (!(key in catalogues[lang])) report(file, 1, 1, `'${key}' is missing (it is in en/${name})`);
        }
      }
    }
  }
  return english;
}

const only = process.argv.slice(2);
const files = only.length ? only.map((f) => join(process.cwd(), f)) : walkFiles(src);
for (const file of files) {
  if (file.endsWith('.svelte')) checkComponent(file);
  else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) await checkModule(file);
}
const english = checkCatalogues();
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  for (const { key, offset } of collectKeys(source)) {
    if (!(key in english)) report(file, ...lineColumn(source, offset), `message '${key}' is not in any English catalogue`);
  }
}
if (!only.length) {
  for (const key of Object.keys(english)) {
    const used = usedKeys.has(key) || [...usedPrefixes].some((prefix) => key.startsWith(prefix));
    if (!used) report(join(messagesDir, 'en', `${key.split('.')[0]}.json`), 1, 1, `'${key}' is not used by any component`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`check-i18n: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`check-i18n: ${files.length} files, ${Object.keys(english).length} messages in ${LANGUAGES.join(', ')}: all from catalogues`);
