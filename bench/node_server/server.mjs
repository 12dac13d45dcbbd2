// node-oidc-provider configured as closely as practical to Ansattporten, for the
// benchmark (`python -m bench`). Usage: `node server.mjs CONFIG.json`.
//
// CONFIG: { issuer, port, altinn_base_url, adapter: "memory" | "sqlite" | "postgres",
//           database_url? (postgres), database_path? (sqlite), workers?,
//           client: { client_id, client_secret, redirect_uri } }
//
// Like ours: PAR required, PKCE S256 required, RAR type `ansattporten:altinn:resource`
// with a validation function, one client with client_secret_basic, pairwise `sub`,
// RS256 JWT access tokens (resource indicator `urn:ansattporten:api`, 120 s), id_tokens
// 120 s carrying `pid` and `authorization_details`, codes 60 s (the harness may raise
// it, for both providers alike). The interaction is our own: a TestID-like login form
// (POST) and an organisation picker (POST) that asks the same mock Altinn over HTTP
// (authorized parties when shown, and again when the choice is granted, plus the
// resource title, cached 300 s). devInteractions are off; cookies are signed.
//
// Refresh tokens (rotated on every use) are issued to the client so the refresh
// scenario can be measured. Introspection: oidc-provider refuses to introspect JWT
// access tokens, so a second resource indicator `urn:ansattporten:opaque` gives opaque
// ones for the introspection scenario.

import cluster from 'node:cluster';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';

import { createSchema, memoryAdapter, postgresAdapter, sqliteAdapter } from './adapters.mjs';

const RAR_TYPE = 'ansattporten:altinn:resource';
const RESOURCE_PREFIX = 'urn:altinn:resource:';
const JWT_API = 'urn:ansattporten:api';
const OPAQUE_API = 'urn:ansattporten:opaque';
const PERSON_IDENTIFIER = 'urn:altinn:person:identifier-no';
const TITLE_CACHE_MS = 300_000;
const SHORT_ACR = { 'idporten-loa-substantial': 'substantial', 'idporten-loa-high': 'high' };

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// ---------------------------------------------------------------------------------------
// the register: the same mock Altinn our provider asks

const titles = new Map(); // resource id -> { title, at }

async function altinnJson(path, init) {
  const response = await fetch(`${config.altinn_base_url}${path}`, {
    ...init,
    signal: AbortSignal.timeout(2000),
  });
  if (!response.ok) throw new Error(`Altinn ${path}: HTTP ${response.status}`);
  return response.json();
}

// asked as our source asks: only parties reaching the resource, by any path
function authorizedParties(pid, resourceId) {
  const query = [
    'includeAltinn2=true', 'includeAltinn3=true', 'includeRoles=true',
    'includeAccessPackages=true', 'includeResources=true', 'includeInstances=true',
    'includePartiesViaKeyRoles=true', 'includeSubParties=true', 'includeInactiveParties=true',
    `anyOfResourceIds=${encodeURIComponent(resourceId)}`,
  ].join('&');
  return altinnJson(
    `/accessmanagement/api/v1/resourceowner/authorizedparties?${query}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: PERSON_IDENTIFIER, value: pid }),
    },
  );
}

async function resourceTitle(resourceId) {
  const cached = titles.get(resourceId);
  if (cached && Date.now() - cached.at < TITLE_CACHE_MS) return cached.title;
  const entry = await altinnJson(`/resourceregistry/api/v1/resource/${encodeURIComponent(resourceId)}`);
  const title = entry.title?.nb ?? entry.title?.en ?? resourceId;
  titles.set(resourceId, { title, at: Date.now() });
  return title;
}

/** Organisations (main units and sub-units) reaching the resource by a role, a package
 * or a delegation (the answer was filtered with anyOfResourceIds). */
function eligibleParties(parties, allowDeleted) {
  const found = [];
  const visit = (party) => {
    if (
      party.type === 'Organization'
      && !party.onlyHierarchyElementWithNoAccess
      && (allowDeleted || !party.isDeleted)
      && ((party.authorizedResources ?? []).length > 0
        || (party.authorizedAccessPackages ?? []).length > 0
        || (party.authorizedRoles ?? []).length > 0)
    ) {
      found.push(party);
    }
    for (const sub of party.subunits ?? []) visit(sub);
  };
  for (const party of parties) visit(party);
  return found;
}

function requestedDetail(params) {
  const details = JSON.parse(params.authorization_details ?? '[]');
  return details.find((detail) => detail.type === RAR_TYPE);
}

function flag(value) {
  return value === true || value === 'true';
}

// ---------------------------------------------------------------------------------------
// the provider

function validateDetail(_ctx, detail) {
  const allowed = new Set([
    'type', 'resource', 'actions', 'organizationform', 'allow_multiple_organizations',
    'allow_deleted_organizations', 'representation_is_required',
  ]);
  for (const key of Object.keys(detail)) {
    if (!allowed.has(key)) {
      throw new errors.InvalidAuthorizationDetails(`unknown member '${key}'`);
    }
  }
  if (typeof detail.resource !== 'string' || !detail.resource.startsWith(RESOURCE_PREFIX)) {
    throw new errors.InvalidAuthorizationDetails(`'resource' must be a ${RESOURCE_PREFIX}... URN`);
  }
  for (const key of ['allow_multiple_organizations', 'allow_deleted_organizations',
    'representation_is_required']) {
    if (key in detail && ![true, false, 'true', 'false'].includes(detail[key])) {
      throw new errors.InvalidAuthorizationDetails(`'${key}' must be a boolean`);
    }
  }
  if ('organizationform' in detail && !['enterprise', 'business'].includes(detail.organizationform)) {
    throw new errors.InvalidAuthorizationDetails("'organizationform' must be enterprise or business");
  }
}

function pairwiseIdentifier(_ctx, accountId, client) {
  return crypto.createHash('sha256')
    .update(client.sectorIdentifier ?? client.clientId)
    .update(accountId)
    .update(config.pairwise_salt)
    .digest('base64url');
}

/** The code, refresh token or access token a token is being made from. */
function sourceOf(ctx) {
  const entities = ctx?.oidc?.entities ?? {};
  return entities.AuthorizationCode ?? entities.RefreshToken;
}

function providerConfiguration(keys, Adapter) {
  const { client } = config;
  return {
    adapter: Adapter,
    clients: [{
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: [client.redirect_uri],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      subject_type: 'pairwise',
      authorization_details_types: [RAR_TYPE],
    }],
    jwks: { keys: [keys.jwk] },
    cookies: { keys: keys.cookieKeys },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier,
    responseTypes: ['code'],
    scopes: ['openid', 'profile'],
    claims: {
      openid: ['sub', 'pid', 'acr', 'amr', 'auth_time', 'authorization_details'],
      profile: [],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    clientDefaults: { id_token_signed_response_alg: 'RS256' },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    async findAccount(ctx, sub, token) {
      return {
        accountId: sub,
        async claims() {
          const rar = (token ?? sourceOf(ctx))?.rar;
          return { sub, pid: sub, ...(rar ? { authorization_details: rar } : {}) };
        },
      };
    },
    async extraTokenClaims(ctx, token) {
      const source = sourceOf(ctx);
      return { pid: token.accountId, acr: SHORT_ACR[source?.acr] ?? source?.acr, amr: source?.amr };
    },
    issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: 120,
      AuthorizationCode: config.code_lifetime ?? 60,
      IdToken: 120,
      Interaction: 900,
      Session: 900,
      Grant: 3600,
      RefreshToken: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      // like ours: any authenticated (confidential) client may introspect
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, caller) => caller.clientAuthMethod !== 'none',
      },
      revocation: { enabled: false },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => JWT_API,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator === JWT_API) {
            return {
              scope: 'openid profile',
              audience: JWT_API,
              accessTokenTTL: 120,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          if (indicator === OPAQUE_API) {
            return {
              scope: 'openid profile',
              audience: OPAQUE_API,
              accessTokenTTL: 120,
              accessTokenFormat: 'opaque',
            };
          }
          throw new errors.InvalidTarget();
        },
      },
      richAuthorizationRequests: {
        enabled: true,
        types: { [RAR_TYPE]: { validate: validateDetail } },
        // What the person chose in the picker, stored on the grant, goes into the code...
        authorizationDetailsForGrantSource: (ctx) => ctx.oidc.grant.rar,
        // ...and from the code (or refresh token) into the access token...
        authorizationDetailsForAccessToken: (_ctx, _token, source) => source?.rar,
        // ...and is what introspection shows.
        authorizationDetailsForIntrospection: (_ctx, token) => token.rar,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// the interaction: a login form and an organisation picker

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

function send(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new errors.InvalidRequest('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid) {
  return page('TestID', `
<h1>Logg inn med TestID</h1>
<form method="post" action="/interaction/${escape(uid)}/login">
  <label>Fødselsnummer <input name="pid" inputmode="numeric" autocomplete="off"></label>
  <label><input type="radio" name="acr" value="idporten-loa-substantial" checked> substantial</label>
  <label><input type="radio" name="acr" value="idporten-loa-high"> high</label>
  <button type="submit">Logg inn</button>
</form>`);
}

function pickerPage(uid, parties, allowSelf) {
  const items = parties.map((p) => `<li><label><input type="radio" name="party" value="${escape(p.organizationNumber)}"> ${escape(p.name)} (${escape(p.unitType ?? '')})</label></li>`).join('');
  return page('Velg virksomhet', `
<h1>Hvem vil du representere?</h1>
<form method="post" action="/interaction/${escape(uid)}/pick">
  <ul>${items}</ul>
  <button type="submit" name="choose" value="1">Velg</button>
  ${allowSelf ? '<button type="submit" name="self" value="1">Meg selv</button>' : ''}
</form>`);
}

async function showInteraction(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
  if (details.prompt.name === 'login') return send(res, 200, loginPage(uid));
  const detail = requestedDetail(details.params);
  if (!detail) return finishWith(provider, req, res, details, undefined);
  const resourceId = detail.resource.slice(RESOURCE_PREFIX.length);
  const parties = eligibleParties(
    await authorizedParties(details.session.accountId, resourceId),
    flag(detail.allow_deleted_organizations),
  );
  const allowSelf = !flag(detail.representation_is_required);
  if (parties.length === 0) return finishWith(provider, req, res, details, { type: RAR_TYPE });
  return send(res, 200, pickerPage(uid, parties, allowSelf));
}

async function submitLogin(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') throw new errors.InvalidRequest('not at the login step');
  const form = await readForm(req);
  const pid = form.get('pid') ?? '';
  if (!/^\d{11}$/.test(pid)) return send(res, 400, loginPage(details.uid));
  const acr = form.get('acr') === 'idporten-loa-high' ? 'idporten-loa-high' : 'idporten-loa-substantial';
  await provider.interactionFinished(
    req, res, { login: { accountId: pid, acr, amr: ['TestID'] } },
    { mergeWithLastSubmission: false },
  );
}

async function submitPick(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'consent') throw new errors.InvalidRequest('not at the picker');
  const form = await readForm(req);
  const detail = requestedDetail(details.params);
  if (!detail || form.has('self')) {
    return finishWith(provider, req, res, details, detail ? { type: RAR_TYPE } : undefined);
  }
  const chosen = form.getAll('party');
  if (chosen.length === 0) throw new errors.InvalidRequest('choose an organisation');
  const resourceId = detail.resource.slice(RESOURCE_PREFIX.length);
  // the register re-checks the choice, as ours does when granting
  const [parties, title] = await Promise.all([
    authorizedParties(details.session.accountId, resourceId),
    resourceTitle(resourceId),
  ]);
  const eligible = new Map(
    eligibleParties(parties, flag(detail.allow_deleted_organizations))
      .map((p) => [p.organizationNumber, p]),
  );
  const granted = chosen.map((orgno) => eligible.get(orgno));
  if (granted.some((p) => !p)) throw new errors.AccessDenied('organisation not eligible');
  return finishWith(provider, req, res, details, {
    type: RAR_TYPE,
    resource: detail.resource,
    resource_name: title,
    authorized_parties: granted.map((p) => ({
      orgno: { authority: 'iso6523-actorid-upis', ID: `0192:${p.organizationNumber}` },
      resource: resourceId,
      name: p.name,
      unit_type: p.unitType ?? '',
    })),
  });
}

async function finishWith(provider, req, res, details, rar) {
  const grant = new provider.Grant({
    accountId: details.session.accountId,
    clientId: details.params.client_id,
  });
  const scope = details.params.scope ?? 'openid';
  grant.addOIDCScope(scope);
  grant.addOIDCClaims(['pid', 'acr', 'amr', 'auth_time', 'authorization_details']);
  const resources = details.params.resource ? [details.params.resource].flat() : [JWT_API];
  for (const indicator of resources) grant.addResourceScope(indicator, scope);
  if (rar) grant.addRar(rar);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, {
    mergeWithLastSubmission: true,
  });
}

function interactionRouter(provider) {
  return async (req, res) => {
    const [, , uid, action] = new URL(req.url, config.issuer).pathname.split('/');
    try {
      if (req.method === 'GET' && uid && !action) return await showInteraction(provider, req, res, uid);
      if (req.method === 'POST' && action === 'login') return await submitLogin(provider, req, res);
      if (req.method === 'POST' && action === 'pick') return await submitPick(provider, req, res);
      return send(res, 404, page('Not found', '<h1>Not found</h1>'));
    } catch (error) {
      const status = error.statusCode ?? 500;
      if (status >= 500) console.error(error);
      return send(res, status, page('Feil', `<h1>${escape(error.error ?? 'server_error')}</h1><p>${escape(error.error_description ?? error.message)}</p>`));
    }
  };
}

// ---------------------------------------------------------------------------------------
// start: one process, or node's cluster module with shared keys for several workers

function makeKeys() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(16).toString('base64url'), use: 'sig', alg: 'RS256' };
  return { jwk, cookieKeys: [crypto.randomBytes(32).toString('base64url')] };
}

async function serve(keys) {
  let Adapter;
  if (config.adapter === 'postgres') {
    Adapter = postgresAdapter(config.database_url, config.pool_size ?? 10);
  } else if (config.adapter === 'sqlite') {
    Adapter = sqliteAdapter(config.database_path);
  } else {
    Adapter = memoryAdapter();
  }
  const provider = new Provider(config.issuer, providerConfiguration(keys, Adapter));
  const callback = provider.callback();
  const interactions = interactionRouter(provider);
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/interaction/')) return interactions(req, res);
    return callback(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, '127.0.0.1');
}

const workers = config.workers ?? 1;
if (cluster.isPrimary) {
  config.pairwise_salt = crypto.randomBytes(16).toString('base64url');
  const keys = makeKeys();
  if (config.adapter === 'postgres') await createSchema(config.database_url);
  if (workers <= 1) {
    await serve(keys);
    console.log(`node-oidc-provider listening on ${config.issuer}`);
  } else {
    const env = { BENCH_KEYS: JSON.stringify(keys), BENCH_SALT: config.pairwise_salt };
    for (let i = 0; i < workers; i++) cluster.fork(env);
    let online = 0;
    cluster.on('listening', () => {
      online += 1;
      if (online === workers) console.log(`node-oidc-provider listening on ${config.issuer} (${workers} workers)`);
    });
    cluster.on('exit', (worker, code) => console.error(`worker ${worker.process.pid} exited (${code})`));
  }
} else {
  config.pairwise_salt = process.env.BENCH_SALT;
  await serve(JSON.parse(process.env.BENCH_KEYS));
}
