// An API client that holds the real server to its contract: every response
// is checked against the OpenAPI document (src/api/openapi.json), by the
// schema of its route, method and status, with ajv. Request bodies that are
// meant to succeed are checked too, so the document describes what clients
// really send. It remembers which operations answered with success, for a
// test that every route was exercised.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

export const documentPath = new URL('../../src/api/openapi.json', import.meta.url);
export const loadDocument = () => JSON.parse(readFileSync(documentPath, 'utf8'));

const SCHEMAS = '#/components/schemas/';

export class Contract {
  constructor(doc) {
    this.doc = doc;
    // OpenAPI 3.0 schemas are JSON Schema with extras (nullable, which ajv
    // knows; example, description…): strict off. The components are one
    // schema document, so that their "#/components/schemas/…" refs resolve.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addSchema({ components: { schemas: doc.components.schemas } }, 'openapi');
    this.succeeded = new Set(); // "get /api/orgs/{org}"
  }

  operation(method, route) {
    const operation = this.doc.paths[route]?.[method];
    assert.ok(operation, `${method.toUpperCase()} ${route} is not in the OpenAPI document`);
    return operation;
  }

  // Throws, naming the place and the mismatch, unless `value` matches the
  // schema that `body` (a response or request body object) gives for its
  // media type (JSON, or e.g. text/csv for a download, checked as a string).
  check(body, value, where, mediaType = 'application/json') {
    if (body.$ref) body = this.doc.components.responses[body.$ref.split('/').pop()];
    const schema = body.content?.[mediaType]?.schema;
    if (!schema) {
      assert.equal(value, undefined, `${where}: the document describes no body, but there is one`);
      return;
    }
    assert.ok(schema.$ref?.startsWith(SCHEMAS), `${where}: the schema is not a named component`);
    const validate = this.ajv.getSchema('openapi' + schema.$ref);
    assert.ok(validate, `${where}: no schema ${schema.$ref}`);
    if (!validate(value)) {
      const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      assert.fail(`${where} does not match ${schema.$ref}:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(value).slice(0, 2000)}`);
    }
  }

  checkRequest(method, route, body) {
    const operation = this.operation(method, route);
    const where = `${method.toUpperCase()} ${route} request`;
    if (body === undefined) {
      assert.ok(!operation.requestBody?.required, `${where}: the document requires a body`);
      return;
    }
    assert.ok(operation.requestBody, `${where}: the document takes no body`);
    this.check(operation.requestBody, body, where);
  }

  checkResponse(method, route, status, body, mediaType = 'application/json') {
    const responses = this.operation(method, route).responses;
    const where = `${method.toUpperCase()} ${route} ${status}`;
    const response = responses[String(status)] ?? responses.default;
    assert.ok(response, `${where}: status not in the document`);
    if (status >= 200 && status < 300) {
      assert.ok(responses[String(status)], `${where}: a success status the document does not list`);
      this.succeeded.add(`${method} ${route}`);
    }
    this.check(response, body, where, mediaType);
  }

  // A file answer (CSV, iCalendar): the document lists its media type for
  // this route and status.
  checkFile(method, route, status, mediaType) {
    const where = `${method.toUpperCase()} ${route} ${status}`;
    const response = this.operation(method, route).responses[String(status)];
    assert.ok(response?.content?.[mediaType], `${where}: the document lists no ${mediaType} body`);
    if (status >= 200 && status < 300) this.succeeded.add(`${method} ${route}`);
  }

  // Operations of the document never seen succeeding.
  unexercised() {
    const all = Object.entries(this.doc.paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
        .map((method) => `${method} ${route}`),
    );
    return all.filter((op) => !this.succeeded.has(op));
  }
}

// A cookie-keeping client whose every exchange goes through a Contract.
export class ContractClient {
  constructor(base, contract) {
    this.base = base;
    this.contract = contract;
    this.jar = new Map();
    this.csrf = '';
  }

  // The cookies kept so far, as a Cookie header (a phone's join sets two:
  // the browser's device cookie and the link's claim).
  get cookie() {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  // Sends `method` to `route` (as the document names it, e.g.
  // /api/orgs/{org}) and returns the parsed body after checking it. `expect`
  // is the status the test expects (or a list of them); `raw` sends a body as is (with
  // `contentType`), for the malformed requests; `csrf: false` leaves the
  // CSRF header out.
  async request(method, route, { params = {}, query, body, raw, contentType, csrf = true, expect = 200 } = {}) {
    const path = route.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
    const url = this.base + path + (query ? '?' + new URLSearchParams(query) : '');
    const expected = [expect].flat();
    if (expected.every((status) => status < 300) && raw === undefined) this.contract.checkRequest(method, route, body);
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (csrf && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined || raw !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    }).catch((error) => assert.fail(`${method.toUpperCase()} ${path}: ${error.message} (${error.cause?.message ?? error.cause})`));
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0];
      const equals = pair.indexOf('=');
      this.jar.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    const text = await response.text();
    const where = `${method.toUpperCase()} ${path}`;
    // JSON, or a download whose media type the document must name.
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim() || 'application/json';
    let parsed;
    if (text && mediaType !== 'application/json' && response.status < 300) {
      // A file: its media type must be the document's; the text is returned as it is.
      assert.ok(expected.includes(response.status), `${where}: status ${response.status}, body ${text.slice(0, 500)}`);
      this.contract.checkFile(method, route, response.status, mediaType);
      this.status = response.status;
      this.headers = response.headers;
      return text;
    }
    if (text) {
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${where}: content type`);
      parsed = JSON.parse(text);
    }
    assert.ok(expected.includes(response.status), `${where}: status ${response.status}, body ${text.slice(0, 500)}`);
    this.contract.checkResponse(method, route, response.status, parsed, mediaType);
    if (parsed?.csrf_token) this.csrf = parsed.csrf_token;
    this.status = response.status;
    return parsed;
  }

  // Opens the event stream `route` (text/event-stream), reads its first
  // event, checks its data against `dataSchema` (a components.schemas name)
  // and closes it; returns {id, event, data}.
  async firstEvent(route, { params = {}, headers = {}, dataSchema }) {
    const path = route.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
    const abort = new AbortController();
    const response = await fetch(this.base + path, { headers: { cookie: this.cookie, ...headers }, signal: abort.signal });
    assert.equal(response.status, 200, `GET ${path}: status`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/, `GET ${path}: content type`);
    const reader = response.body.getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      assert.ok(!done, `GET ${path}: the stream ended before an event`);
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    const event = {};
    for (const line of text.slice(0, text.indexOf('\n\n')).split('\n')) {
      const colon = line.indexOf(': ');
      if (colon > 0) event[line.slice(0, colon)] = line.slice(colon + 2);
    }
    event.data = JSON.parse(event.data);
    const validate = this.contract.ajv.getSchema('openapi' + SCHEMAS + dataSchema);
    assert.ok(validate, `no schema ${dataSchema}`);
    assert.ok(validate(event.data), `GET ${path} event data does not match ${dataSchema}: ${JSON.stringify(validate.errors)}`);
    this.contract.checkResponse('get', route, 200, undefined);
    return event;
  }
}
