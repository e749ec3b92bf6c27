// The one typed client for the cxm JSON API (/api, see /api/openapi.json).
// Every call resolves to the parsed body or throws an ApiError carrying the
// server's {"error":{"code","message"}}.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface User {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
}

export interface Organization {
  id: string;
  name: string;
  industry: string;
  size_band: string;
  units: string[];
  demo: boolean;
  created_at: number;
}

export interface Counts {
  invited: number;
  started: number;
  submitted: number;
}

export interface Responses {
  total: Counts;
  by_role: (Counts & { role: string | null })[];
  by_unit: (Counts & { unit: string | null })[];
}

export type CycleStatus = 'draft' | 'open' | 'closed';

export interface Cycle {
  id: string;
  org_id: string;
  name: string;
  status: CycleStatus;
  anonymous: boolean;
  min_group_size: number;
  opens_at: number | null;
  closes_at: number | null;
  created_at: number;
  model: { id: string; version: string; title: string; roles: { id: string; name: string }[]; items: number };
  responses?: Responses;
}

export interface CycleSettings {
  name?: string;
  anonymous?: boolean;
  min_group_size?: number;
  opens_at?: number | null;
  closes_at?: number | null;
}

export interface Invitation {
  id: string;
  label: string;
  role: string | null;
  unit: string | null;
  revoked: boolean;
  submitted: boolean;
  token?: string; // only in the response that creates the link
  url?: string;
}

export interface InvitationRequest {
  count?: number;
  role?: string;
  unit?: string;
  people?: { label: string; role?: string; unit?: string }[];
}

export interface Questionnaire {
  cycle: { name: string; status: CycleStatus; anonymous: boolean };
  organization: { name: string };
  model: { title: string; version: string };
  scale: { min: number; max: number; labels: string[]; dont_know: string | null };
  competencies: { id: string; name: string; description: string }[];
  items: { id: string; competency: string; text: string }[];
  answers: Record<string, number | null>;
  progress: { answered: number; total: number };
  submitted: boolean;
}

export interface ReportStage {
  number: number;
  name: string;
  attained: boolean;
  score: number | null;
}

export interface ReportCompetency {
  id: string;
  name: string;
  score: number | null;
  stage: number;
  stage_name: string;
  rwg_j: number | null;
  rwg_j_n: number;
  alpha: number | null;
  alpha_n: number;
}

export interface ReportItem {
  id: string;
  competency: string;
  stage: number;
  text: string;
  n: number;
  missing: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  score: number | null;
  rwg: number | null;
  class: 'agreement' | 'mixed' | 'disagreement' | null;
  bimodal: boolean;
  histogram: number[];
}

export interface Segment {
  value: string;
  name: string;
  respondents: number;
  suppressed: boolean;
  overall_score?: number | null;
  stage?: number;
  stage_name?: string;
  competencies?: { id: string; score: number | null }[];
}

export interface Report {
  schema: string;
  respondents: number;
  answering: number;
  threshold: number;
  min_group_size: number;
  overall_score: number | null;
  model: { id: string; title: string; version: string };
  scale: { min: number; max: number; labels: string[] };
  stage: {
    number: number;
    name: string;
    description: string;
    obstacle: string;
    obstacle_actions: { title: string; detail: string }[];
  };
  next_stage: { number: number; name: string } | null;
  stages: ReportStage[];
  competencies: ReportCompetency[];
  items: ReportItem[];
  next_stage_gaps: string[];
  strengths: { competencies: { id: string; name: string; score: number }[]; items: { id: string; text: string; score: number }[] };
  weaknesses: { competencies: { id: string; name: string; score: number }[]; items: { id: string; text: string; score: number }[] };
  segments: { role: Segment[]; unit: Segment[] };
  gaps?: { a: string; b: string; segment: string; overall: { difference: number; ci_low: number; ci_high: number; cohens_d: number | null } }[];
}

// What the report route answers instead of a report when it cannot show one.
export interface NoReport {
  suppressed: boolean;
  respondents: number;
  min_group_size?: number;
  reason: string;
}

let csrfToken = '';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: reported below */
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_' + response.status, error?.message ?? response.statusText);
  }
  return parsed as T;
}

const path = (strings: TemplateStringsArray, ...parts: string[]) =>
  strings.reduce((out, s, i) => out + s + (i < parts.length ? encodeURIComponent(parts[i]) : ''), '');

type SessionBody = { user: User; csrf_token: string };

function remember(session: SessionBody): User {
  csrfToken = session.csrf_token;
  return session.user;
}

export const api = {
  setupNeeded: async () => (await call<{ needed: boolean }>('GET', '/api/setup')).needed,
  setup: async (body: { email: string; name: string; password: string }) =>
    remember(await call<SessionBody>('POST', '/api/setup', body)),
  login: async (email: string, password: string) =>
    remember(await call<SessionBody>('POST', '/api/session', { email, password })),
  // The signed-in user, or null when there is no session.
  session: async (): Promise<User | null> => {
    try {
      return remember(await call<SessionBody>('GET', '/api/session'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  logout: async () => {
    await call<void>('DELETE', '/api/session');
    csrfToken = '';
  },

  organizations: async () => (await call<{ organizations: Organization[] }>('GET', '/api/orgs')).organizations,
  organization: (org: string) => call<Organization>('GET', path`/api/orgs/${org}`),
  createOrganization: (body: { name: string; industry: string; size_band: string; units: string[] }) =>
    call<Organization>('POST', '/api/orgs', body),

  updateOrganization: (org: string, body: { name: string; industry: string; size_band: string; units: string[] }) =>
    call<Organization>('PATCH', path`/api/orgs/${org}`, body),

  cycles: async (org: string) => (await call<{ cycles: Cycle[] }>('GET', path`/api/orgs/${org}/cycles`)).cycles,
  cycle: (cycle: string) => call<Cycle>('GET', path`/api/cycles/${cycle}`),
  createCycle: (org: string, body: CycleSettings & { name: string; model_yaml?: string }) =>
    call<Cycle>('POST', path`/api/orgs/${org}/cycles`, body),
  updateCycle: (cycle: string, body: CycleSettings) => call<Cycle>('PATCH', path`/api/cycles/${cycle}`, body),
  openCycle: (cycle: string) => call<Cycle>('POST', path`/api/cycles/${cycle}/open`),
  closeCycle: (cycle: string) => call<Cycle>('POST', path`/api/cycles/${cycle}/close`),
  responses: (cycle: string) => call<Responses>('GET', path`/api/cycles/${cycle}/responses`),

  invitations: async (cycle: string) =>
    (await call<{ invitations: Invitation[] }>('GET', path`/api/cycles/${cycle}/invitations`)).invitations,
  invite: async (cycle: string, body: InvitationRequest) =>
    (await call<{ invitations: Invitation[] }>('POST', path`/api/cycles/${cycle}/invitations`, body)).invitations,
  revoke: (cycle: string, participant: string) =>
    call<Invitation>('POST', path`/api/cycles/${cycle}/invitations/${participant}/revoke`),

  report: (cycle: string, filter: { role?: string; unit?: string } = {}) => {
    const query = new URLSearchParams();
    if (filter.role) query.set('role', filter.role);
    if (filter.unit) query.set('unit', filter.unit);
    const q = query.toString();
    return call<Report | NoReport>('GET', path`/api/cycles/${cycle}/report` + (q ? '?' + q : ''));
  },

  questionnaire: (token: string) => call<Questionnaire>('GET', path`/api/r/${token}`),
  saveAnswers: (token: string, answers: Record<string, number | null>) =>
    call<{ saved: number; progress: { answered: number; total: number } }>('PUT', path`/api/r/${token}/answers`, {
      answers,
    }),
  submit: (token: string) => call<{ submitted: boolean }>('POST', path`/api/r/${token}/submit`),
};

export function isReport(r: Report | NoReport): r is Report {
  return (r as Report).schema !== undefined;
}
