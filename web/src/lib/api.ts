// The one typed client for the cxm JSON API. Its types come from the
// contract: api-schema.ts is generated from src/api/openapi.json (npm run
// gen:api), and each call names its route as the document does, so that the
// path parameters, the request body and the response body are the
// document's. Every call resolves to the parsed body or throws an ApiError
// carrying the server's {"error":{"code","message"}}.
import type { components, paths } from './api-schema';
import { followStream } from './eventStream';
import { t } from './i18n.svelte';

export type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Organization = Schemas['Organization'];
export type OrganizationCard = Schemas['OrganizationCard'];
export type OrganizationAims = Schemas['OrganizationAims'];
export type OrganizationAimsInput = Schemas['OrganizationAimsInput'];
export type StageRollup = Schemas['StageRollup'];
export type RepeatedCycle = Schemas['RepeatedCycle'];
export type NewOrganization = Schemas['NewOrganization'];
export type OrganizationChanges = Schemas['OrganizationChanges'];
export type CycleStatus = Schemas['CycleStatus'];
export type Cycle = Schemas['Cycle'];
export type CycleDetail = Schemas['CycleDetail'];
export type NewCycle = Schemas['NewCycle'];
export type CycleSettings = Schemas['CycleSettings'];
export type ResponseCounts = Schemas['ResponseCounts'];
export type Invitation = Schemas['Invitation'];
export type CreatedInvitation = Schemas['CreatedInvitation'];
export type InvitationRequest = Schemas['InvitationRequest'];
export type Questionnaire = Schemas['Questionnaire'];
export type QuestionnaireItem = Schemas['QuestionnaireItem'];
export type Scale = Schemas['Scale'];
export type Answers = Schemas['Answers'];
export type CycleComments = Schemas['CycleComments'];
export type AnswersSaved = Schemas['AnswersSaved'];
export type ReportResult = Schemas['ReportResult'];
export type Report = Schemas['Report'];
export type NoReport = Schemas['NoReport'];
export type ReportCompetency = Schemas['ReportCompetency'];
export type ReportItem = Schemas['ReportItem'];
export type Segment = Schemas['Segment'];
export type DraftPlan = Schemas['DraftPlan'];
export type DraftPlanAction = Schemas['DraftPlanAction'];
export type PlannedAction = Schemas['PlannedAction'];
export type ActionStatus = Schemas['ActionStatus'];
export type NewAction = Schemas['NewAction'];
export type OrgProgress = Schemas['OrgProgress'];
export type ProgressCycle = Schemas['ProgressCycle'];
export type ScoreChange = Schemas['ScoreChange'];
export type RoleBalancedChange = Schemas['RoleBalancedChange'];
export type ProgressOutsideIn = Schemas['ProgressOutsideIn'];
export type OutsideInCorrelation = Schemas['OutsideInCorrelation'];
export type MaturityPoint = Schemas['MaturityPoint'];
export type ReportOutsideIn = Schemas['ReportOutsideIn'];
export type ActionChanges = Schemas['ActionChanges'];
export type BenchmarkDataset = Schemas['BenchmarkDataset'];
export type ReferenceFigure = Schemas['ReferenceFigure'];
export type NewBenchmarkDataset = Schemas['NewBenchmarkDataset'];
export type BenchmarkComparison = Schemas['BenchmarkComparison'];
export type BenchmarkStanding = Schemas['BenchmarkStanding'];
export type BenchmarkPool = Schemas['BenchmarkPool'];
export type RatingsDataset = Schemas['RatingsDataset'];
export type NewRatingsDataset = Schemas['NewRatingsDataset'];
export type RatingsComparison = Schemas['RatingsComparison'];
export type RatingPosition = Schemas['RatingPosition'];
export type BenchmarkFilter = { industry?: string; size_band?: string; region?: string; since?: string; until?: string };
export type Discussion = Schemas['Discussion'];
export type CycleLiveState = Schemas['CycleLiveState'];
export type DiscussionStatement = Schemas['DiscussionStatement'];
export type DiscussionNoteInput = Schemas['DiscussionNoteInput'];
export type ImportRequest = Schemas['ImportRequest'];
export type ImportPreview = Schemas['ImportPreview'];
export type ImportSummary = Schemas['ImportSummary'];
export type ImportProblem = Schemas['ImportProblem'];
export type ImportRecord = Schemas['Import'];
export type WorkshopState = Schemas['WorkshopState'];
export type WorkshopSettings = Schemas['WorkshopSettings'];
export type WorkshopStatement = Schemas['WorkshopStatement'];
export type WorkshopFigures = NonNullable<Schemas['WorkshopFigures']>;
export type WorkshopRoom = Schemas['WorkshopRoom'];
export type WorkshopSeat = Schemas['WorkshopSeat'];
export type ReminderSchedule = Schemas['ReminderSchedule'];
export type ResponseWarning = Schemas['ResponseWarning'];
export type Outbox = Schemas['Outbox'];
export type OutboxMessage = Schemas['OutboxMessage'];
export type MailStateCounts = Schemas['MailStateCounts'];
export type MailSettings = Schemas['MailSettings'];
export type RemindersQueued = Schemas['RemindersQueued'];
export type Person = Schemas['Person'];
export type CustomerMetric = Schemas['CustomerMetric'];
export type CustomerMetricsImport = Schemas['CustomerMetricsImport'];

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

// What the document says about one route and method.
type Route = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type MethodOf<R extends Route> = { [M in Method]: [NonNullable<paths[R][M]>] extends [never] ? never : M }[Method];
type Operation<R extends Route, M extends Method> = NonNullable<paths[R][M]>;
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Responses<R extends Route, M extends Method> = Operation<R, M>['responses'];
// The body of the success response (undefined for 204 No Content).
type Success<R extends Route, M extends Method> = {
  [S in keyof Responses<R, M>]: S extends 200 | 201 ? Json<Responses<R, M>[S]> : S extends 204 ? undefined : never;
}[keyof Responses<R, M>];
type Body<R extends Route, M extends Method> = Operation<R, M> extends { requestBody: infer B } ? Json<B> : never;
type PathParams<R extends Route> = paths[R]['parameters'] extends { path: infer P } ? P : never;
type Query<R extends Route, M extends Method> = NonNullable<Operation<R, M>['parameters']['query']>;
type IfAny<T, Part> = [T] extends [never] ? unknown : Part;
type Args<R extends Route, M extends Method> = IfAny<PathParams<R>, { params: PathParams<R> }> &
  IfAny<Body<R, M>, { body: Body<R, M> }> &
  IfAny<Query<R, M>, { query?: Query<R, M> }>;

let csrfToken = '';

// "/api/orgs/{org}" with { org: "a b" } -> "/api/orgs/a%20b"; query values
// that are empty or absent are left out.
function url(route: string, params: Record<string, string> = {}, query: Record<string, string | undefined> = {}) {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) search.set(name, value);
  const q = search.toString();
  return q ? `${path}?${q}` : path;
}

async function call<R extends Route, M extends MethodOf<R>>(
  method: M,
  route: R,
  ...[args]: {} extends Args<R, M> ? [Args<R, M>?] : [Args<R, M>]
): Promise<Success<R, M>> {
  const { params, body, query } = (args ?? {}) as {
    params?: Record<string, string>;
    body?: unknown;
    query?: Record<string, string | undefined>;
  };
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'get' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url(route, params, query), {
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', t('common.api.unreachable'));
  }
  return answer<Success<R, M>>(response);
}

// The body of a successful response; an ApiError with the server's message otherwise.
async function answer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: reported below */
  }
  if (!response.ok) {
    const error = (parsed as Partial<Schemas['Error']> | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_' + response.status, error?.message ?? response.statusText);
  }
  return parsed as T;
}

// Who signed in, and the language they chose for these pages ('' = the browser's).
export type SignedIn = { user: User; lang: Schemas['Session']['lang'] };

function remember(session: Schemas['Session']): SignedIn {
  csrfToken = session.csrf_token;
  return { user: session.user, lang: session.lang ?? '' };
}

export const api = {
  setupNeeded: async () => (await call('get', '/api/setup')).needed,
  setup: async (body: Schemas['SetupRequest']) => remember(await call('post', '/api/setup', { body })),
  login: async (email: string, password: string) =>
    remember(await call('post', '/api/session', { body: { email, password } })),
  // The signed-in user, or null when there is no session.
  session: async (): Promise<SignedIn | null> => {
    try {
      return remember(await call('get', '/api/session'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  // The user's language for the application's pages: 'en', 'de', or '' for the browser's.
  setLanguage: async (lang: Schemas['UserLanguage']['lang']) =>
    (await call('put', '/api/session/language', { body: { lang } })).lang,
  logout: async () => {
    await call('delete', '/api/session');
    csrfToken = '';
  },

  organizations: async () => (await call('get', '/api/orgs')).organizations,
  organization: (org: string) => call('get', '/api/orgs/{org}', { params: { org } }),
  createOrganization: (body: NewOrganization) => call('post', '/api/orgs', { body }),
  updateOrganization: (org: string, body: OrganizationChanges) =>
    call('patch', '/api/orgs/{org}', { params: { org }, body }),
  // The logo: the image file as it is (the server checks its bytes: PNG or JPEG, at most 256 kB).
  setLogo: async (org: string, file: Blob): Promise<Organization> => {
    const headers: Record<string, string> = { 'Content-Type': file.type || 'application/octet-stream' };
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    let response: Response;
    try {
      response = await fetch(url('/api/orgs/{org}/logo', { org }), {
        method: 'PUT',
        headers,
        body: file,
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'network', t('common.api.unreachable'));
    }
    return answer<Organization>(response);
  },
  removeLogo: (org: string) => call('delete', '/api/orgs/{org}/logo', { params: { org } }),
  // Target stages per competency and statements out of scope.
  aims: (org: string) => call('get', '/api/orgs/{org}/aims', { params: { org } }),
  saveAims: (org: string, body: OrganizationAimsInput) => call('put', '/api/orgs/{org}/aims', { params: { org }, body }),

  cycles: async (org: string) => (await call('get', '/api/orgs/{org}/cycles', { params: { org } })).cycles,
  cycle: (cycle: string) => call('get', '/api/cycles/{cycle}', { params: { cycle } }),
  createCycle: (org: string, body: NewCycle) => call('post', '/api/orgs/{org}/cycles', { params: { org }, body }),
  updateCycle: (cycle: string, body: CycleSettings) => call('patch', '/api/cycles/{cycle}', { params: { cycle }, body }),
  openCycle: (cycle: string) => call('post', '/api/cycles/{cycle}/open', { params: { cycle } }),
  closeCycle: (cycle: string) => call('post', '/api/cycles/{cycle}/close', { params: { cycle } }),
  // The next cycle with the same settings and invitation list (new links).
  repeatCycle: (cycle: string, name?: string) =>
    call('post', '/api/cycles/{cycle}/repeat', { params: { cycle }, body: name ? { name } : {} }),
  responses: (cycle: string) => call('get', '/api/cycles/{cycle}/responses', { params: { cycle } }),

  invitations: async (cycle: string) =>
    (await call('get', '/api/cycles/{cycle}/invitations', { params: { cycle } })).invitations,
  invite: async (cycle: string, body: InvitationRequest) =>
    (await call('post', '/api/cycles/{cycle}/invitations', { params: { cycle }, body })).invitations,
  // People invited by e-mail ({people} with addresses, or {csv}); with
  // send, their invitations are queued at once (`queued`), else the list is
  // kept to send later. Their links go only to them: no token here.
  inviteByEmail: (cycle: string, body: { people: Person[]; send: boolean } | { csv: string; send: boolean }) =>
    call('post', '/api/cycles/{cycle}/invitations', { params: { cycle }, body }),
  sendInvitations: (cycle: string) => call('post', '/api/cycles/{cycle}/invitations/send', { params: { cycle } }),
  sendReminders: (cycle: string) => call('post', '/api/cycles/{cycle}/reminders', { params: { cycle } }),
  outbox: (cycle: string) => call('get', '/api/cycles/{cycle}/outbox', { params: { cycle } }),
  // The instance's mail settings and a test message (administrators only).
  mailSettings: () => call('get', '/api/admin/mail'),
  testMail: (to: string) => call('post', '/api/admin/mail/test', { body: { to } }),
  // Survey-tool exports imported into the cycle, and the shipped mappings.
  imports: (cycle: string) => call('get', '/api/cycles/{cycle}/imports', { params: { cycle } }),
  // With preview: true, what the import would do (ImportPreview); with
  // false, the import itself (CreatedImport).
  importExport: (cycle: string, body: ImportRequest) =>
    call('post', '/api/cycles/{cycle}/imports', { params: { cycle }, body }),
  revoke: (cycle: string, participant: string) =>
    call('post', '/api/cycles/{cycle}/invitations/{participant}/revoke', { params: { cycle, participant } }),

  // The whole cycle, or one role's or one unit's respondents; `lang`: one
  // of the cycle's languages (else the cycle's default).
  report: (cycle: string, filter: { role?: string; unit?: string; lang?: string } = {}) =>
    call('get', '/api/cycles/{cycle}/report', { params: { cycle }, query: filter }),

  // The draft action plan of a cycle's results (not saved).
  draftPlan: (cycle: string) => call('get', '/api/cycles/{cycle}/plan', { params: { cycle } }),
  progress: (org: string) => call('get', '/api/orgs/{org}/progress', { params: { org } }),
  actions: (org: string) => call('get', '/api/orgs/{org}/actions', { params: { org } }),
  addAction: (org: string, body: NewAction) => call('post', '/api/orgs/{org}/actions', { params: { org }, body }),
  updateAction: (org: string, action: string, body: ActionChanges) =>
    call('patch', '/api/orgs/{org}/actions/{action}', { params: { org, action }, body }),
  deleteAction: (org: string, action: string) =>
    call('delete', '/api/orgs/{org}/actions/{action}', { params: { org, action } }),
  // Downloads (links, not fetches): the browser saves the file.
  // Customer metrics (NPS, CSAT, CES, named ratings): a file's text as csv or its rows.
  customerMetrics: async (org: string) => (await call('get', '/api/orgs/{org}/customer-metrics', { params: { org } })).metrics,
  importCustomerMetrics: (org: string, body: CustomerMetricsImport) =>
    call('post', '/api/orgs/{org}/customer-metrics', { params: { org }, body }),
  deleteCustomerMetric: (org: string, metric: string) =>
    call('delete', '/api/orgs/{org}/customer-metrics/{metric}', { params: { org, metric } }),
  actionsCsvUrl: (org: string) => url('/api/orgs/{org}/actions.csv', { org }),
  actionsIcsUrl: (org: string) => url('/api/orgs/{org}/actions.ics', { org }),
  // The datasets, and published figures to show as cited context.
  benchmarks: () => call('get', '/api/benchmarks'),
  importBenchmark: (body: NewBenchmarkDataset) => call('post', '/api/benchmarks', { body }),
  // Where the organization's latest closed cycle (or `cycle`) stands among the dataset's peers.
  benchmark: (org: string, dataset: string, filter: BenchmarkFilter = {}, cycle?: string) =>
    call('get', '/api/orgs/{org}/benchmark', { params: { org }, query: { dataset, cycle, ...filter } }),

  ratingsDatasets: () => call('get', '/api/ratings'),
  importRatings: (body: NewRatingsDataset) => call('post', '/api/ratings', { body }),
  ratings: (org: string, dataset: string) =>
    call('get', '/api/orgs/{org}/ratings', { params: { org }, query: { dataset } }),
  benchmarkPool: (org: string) => call('get', '/api/orgs/{org}/benchmark-pool', { params: { org } }),
  setBenchmarkPool: (org: string, member: boolean) =>
    call('put', '/api/orgs/{org}/benchmark-pool', { params: { org }, body: { member } }),
  discussion: (cycle: string) => call('get', '/api/cycles/{cycle}/discussion', { params: { cycle } }),
  comments: (cycle: string) => call('get', '/api/cycles/{cycle}/comments', { params: { cycle } }),
  hideComment: (cycle: string, comment: string, reason: string) =>
    call('post', '/api/cycles/{cycle}/comments/{comment}/hide', { params: { cycle, comment }, body: { reason } }),
  saveDiscussionNote: (cycle: string, item: string, body: DiscussionNoteInput) =>
    call('put', '/api/cycles/{cycle}/discussion/notes/{item}', { params: { cycle, item }, body }),

  // Live workshops: the facilitator's side.
  startWorkshop: (cycle: string, body: WorkshopSettings) =>
    call('post', '/api/cycles/{cycle}/workshops', { params: { cycle }, body }),
  openWorkshop: async (cycle: string) =>
    (await call('get', '/api/cycles/{cycle}/workshop', { params: { cycle } })).workshop,
  workshop: (workshop: string) => call('get', '/api/workshops/{workshop}', { params: { workshop } }),
  workshopStep: (workshop: string, round: number, step: number) =>
    call('post', '/api/workshops/{workshop}/step', { params: { workshop }, body: { round, step } }),
  reveal: (workshop: string, round: number, item: string) =>
    call('post', '/api/workshops/{workshop}/reveal', { params: { workshop }, body: { round, item } }),
  secondRound: (workshop: string) => call('post', '/api/workshops/{workshop}/second-round', { params: { workshop } }),
  firstRound: (workshop: string) => call('post', '/api/workshops/{workshop}/first-round', { params: { workshop } }),
  endWorkshop: (workshop: string) => call('post', '/api/workshops/{workshop}/end', { params: { workshop } }),
  // The participant's side: join with a code (this browser gets the seat's
  // claim cookie); `workshop`, from the projector's QR code, vouches for it.
  join: (code: string, workshop?: string) => call('post', '/api/join', { body: { code, ...(workshop ? { workshop } : {}) } }),
  seat: (token: string) => call('get', '/api/r/{token}/workshop', { params: { token } }),
  answerInWorkshop: (token: string, round: number, answers: Answers) =>
    call('put', '/api/r/{token}/workshop/answers', { params: { token }, body: { round, answers } }),

  questionnaire: (token: string) => call('get', '/api/r/{token}', { params: { token } }),
  // Starts the link in this browser (returns the resume code to show), or,
  // with a code, takes it over from the browser that started it.
  claim: (token: string, resumeCode?: string) =>
    call('post', '/api/r/{token}/claim', {
      params: { token },
      body: resumeCode === undefined ? {} : { resume_code: resumeCode },
    }),
  saveAnswers: (token: string, answers: Answers, comments?: Record<string, string>) =>
    call('put', '/api/r/{token}/answers', { params: { token }, body: comments ? { answers, comments } : { answers } }),
  submit: (token: string) => call('post', '/api/r/{token}/submit', { params: { token } }),
};

// Follows a cycle's live state (GET /api/cycles/{cycle}/events): `changed`
// gets the state when the stream opens and at every change. The browser
// reconnects by itself, sending the last event's id, so the state is sent
// again only when it changed; a refused stream is tried again later
// (eventStream.ts). Returns the function that stops following.
export function followCycle(cycle: string, changed: (state: CycleLiveState) => void): () => void {
  const route: keyof paths = '/api/cycles/{cycle}/events';
  return followStream(
    () => new EventSource(url(route, { cycle }), { withCredentials: true }),
    'cycle',
    (data) => changed(JSON.parse(data)),
  );
}

// Follows a workshop's projector state (GET /api/workshops/{workshop}/events).
export function followWorkshop(workshop: string, changed: (state: WorkshopState) => void): () => void {
  const route: keyof paths = '/api/workshops/{workshop}/events';
  return followStream(
    () => new EventSource(url(route, { workshop }), { withCredentials: true }),
    'workshop',
    (data) => changed(JSON.parse(data)),
  );
}

// Follows the room from a joined phone (GET /api/r/{token}/workshop/events):
// the step and public state only.
export function followRoom(token: string, changed: (room: WorkshopRoom) => void): () => void {
  const route: keyof paths = '/api/r/{token}/workshop/events';
  return followStream(
    () => new EventSource(url(route, { token })),
    'room',
    (data) => changed(JSON.parse(data)),
  );
}

export function isReport(r: ReportResult): r is Report {
  return 'schema' in r;
}
