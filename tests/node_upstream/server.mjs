// node-oidc-provider as a standalone upstream OpenID provider for the test suite: a
// certified provider nobody here wrote, for a broker to log in through.
// Usage: `node server.mjs CONFIG.json` (tests/support/node_upstream.py writes CONFIG).
//
// CONFIG: { issuer, port,
//           clients: [{ client_id, redirect_uris, token_endpoint_auth_method,
//                       client_secret?, jwks? }],
//           accounts: { "<synthetic pid>": { given_name, family_name } } }
//
// Like ID-porten: PKCE S256 required, PAR offered (not required), `iss` on the
// authorization response (RFC 9207), acr values idporten-loa-substantial/high, id_tokens
// carrying `pid`, `acr` and `amr`, pairwise `sub`. The login interaction is a small form
// a test can drive over HTTP:
//   GET  /interaction/:uid         the form (fields: account, acr)
//   POST /interaction/:uid/login   account=<pid>&acr=<acr>   -> continues the login
//   POST /interaction/:uid/abort                              -> error=access_denied
// Consent is granted without a page (the upstream is the person's own eID).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ACR_VALUES = ['idporten-loa-substantial', 'idporten-loa-high'];
const pairwiseSalt = crypto.randomBytes(16).toString('base64url');

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(res, status, title, body) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main>${body}</main></body></html>`;
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
    if (size > 16 * 1024) throw new errors.InvalidRequest('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, message) {
  const options = ACR_VALUES.map((acr) => `<option value="${acr}">${acr}</option>`).join('');
  return `<h1>Log in (node-oidc-provider)</h1>${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="account">Synthetic national identity number</label>
  <input id="account" name="account" inputmode="numeric" autocomplete="off" required>
  <label for="acr">Level</label><select id="acr" name="acr">${options}</select>
  <button type="submit">Log in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>`;
}

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    subject_type: 'pairwise',
    ...client,
  })),
  jwks: { keys: [makeSigningKey()] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  acrValues: ACR_VALUES,
  subjectTypes: ['public', 'pairwise'],
  pairwiseIdentifier: (_ctx, accountId, client) => crypto.createHash('sha256')
    .update(client.sectorIdentifier ?? client.clientId).update(accountId).update(pairwiseSalt)
    .digest('base64url'),
  responseTypes: ['code'],
  scopes: ['openid', 'profile'],
  claims: { openid: ['sub', 'pid', 'acr', 'amr', 'auth_time'], profile: ['name', 'given_name', 'family_name'] },
  conformIdTokenClaims: false, // pid and the names in the id_token, as ID-porten does
  pkce: { required: () => true },
  clientDefaults: { id_token_signed_response_alg: 'RS256' },
  ttl: { AuthorizationCode: 60, IdToken: 120, AccessToken: 120, Interaction: 600, Session: 600, Grant: 600 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    userinfo: { enabled: true },
    revocation: { enabled: false },
  },
  async findAccount(_ctx, accountId) {
    const person = config.accounts[accountId];
    if (!person) return undefined;
    return {
      accountId,
      async claims() {
        return {
          sub: accountId,
          pid: accountId,
          name: `${person.given_name} ${person.family_name}`,
          given_name: person.given_name,
          family_name: person.family_name,
        };
      },
    };
  },
});

function makeSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(12).toString('base64url'), use: 'sig', alg: 'RS256' };
}

async function grantConsent(req, res, details) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope ?? 'openid');
  grant.addOIDCClaims(['pid', 'acr', 'amr', 'auth_time', 'name', 'given_name', 'family_name']);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function interaction(req, res) {
  const [, , uid, action] = new URL(req.url, config.issuer).pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login') return send(res, 200, 'Log in', loginForm(uid));
    return grantConsent(req, res, details);
  }
  if (req.method === 'POST' && action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'login' && details.prompt.name === 'login') {
    const form = await readForm(req);
    const account = form.get('account') ?? '';
    const acr = form.get('acr') ?? ACR_VALUES[0];
    if (!config.accounts[account]) return send(res, 400, 'Log in', loginForm(uid, 'Unknown test person'));
    if (!ACR_VALUES.includes(acr)) return send(res, 400, 'Log in', loginForm(uid, 'Unknown level'));
    return provider.interactionFinished(req, res, {
      login: { accountId: account, acr, amr: ['TestID'] },
    }, { mergeWithLastSubmission: false });
  }
  return send(res, 404, 'Not found', '<h1>Not found</h1>');
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  try {
    return await interaction(req, res);
  } catch (error) {
    const status = error.statusCode ?? 500;
    if (status >= 500) console.error(error);
    return send(res, status, 'Error', `<h1>${escape(error.error ?? 'server_error')}</h1>`);
  }
});
server.listen(config.port, '127.0.0.1', () => {
  console.log(`node-oidc-provider upstream listening on ${config.issuer}`);
});
