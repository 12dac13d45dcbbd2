// One login through the provider with oauth4webapi, the strictest OAuth client we know
// (tests/integration/clients/test_oauth4webapi.py drives it). Every step is the
// library's own request and its own response check; the script adds nothing but the
// assertions at the end.
//
//   node oauth4webapi_flow.mjs config.json
//
// config: {issuer, client_id, client_secret?, redirect_uri, authorization_details?}
// Protocol, one JSON object per line: the script writes {"step": "authorize", "url"}
// and reads {"callback": "<the URL the browser was sent back to>"}; it ends with
// {"step": "done", "results": {...}} or {"step": "error", "message", "stack"} (exit 1).

import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import * as oauth from 'oauth4webapi'

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const emit = (message) => process.stdout.write(JSON.stringify(message) + '\n')
const insecure = { [oauth.allowInsecureRequests]: true } // the tests' provider is plain http

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`)
}

// A DPoP-using call, retried once when the provider asks for its nonce (RFC 9449 8):
// the DPoP handle keeps the nonce it was given, as the library documents.
async function withNonce(call, process) {
  try {
    return await process(await call())
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error
    return await process(await call())
  }
}

async function main() {
  const config = JSON.parse(await readFile(process.argv[2], 'utf8'))
  const issuer = new URL(config.issuer)
  const results = {}

  // discovery
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }),
  )
  results.discovery = {
    response_modes_supported: as.response_modes_supported,
    dpop_signing_alg_values_supported: as.dpop_signing_alg_values_supported,
  }
  const client = { client_id: config.client_id }
  const clientAuth = config.client_secret
    ? oauth.ClientSecretBasic(config.client_secret)
    : oauth.None()
  const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))
  const options = { ...insecure, DPoP }

  // PAR with RAR, JARM asked for, the code bound to the DPoP key by the proof at PAR
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const nonce = oauth.generateRandomNonce()
  const parameters = new URLSearchParams({
    redirect_uri: config.redirect_uri,
    scope: 'openid profile',
    response_type: 'code',
    response_mode: 'query.jwt',
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  if (config.authorization_details) {
    parameters.set('authorization_details', JSON.stringify(config.authorization_details))
  }
  const pushed = await withNonce(
    () => oauth.pushedAuthorizationRequest(as, client, clientAuth, parameters, options),
    (response) => oauth.processPushedAuthorizationResponse(as, client, response),
  )
  const authorizationUrl = new URL(as.authorization_endpoint)
  authorizationUrl.searchParams.set('client_id', client.client_id)
  authorizationUrl.searchParams.set('request_uri', pushed.request_uri)

  emit({ step: 'authorize', url: authorizationUrl.href })
  const { value: line } = await lines.next()
  const callback = new URL(JSON.parse(line).callback)

  // JARM: the signed response, checked against the JWKS, iss, aud, exp and state
  check(callback.searchParams.has('response'), 'the callback carries a JARM response')
  check(!callback.searchParams.has('code'), 'the code travels inside the JWT only')
  const callbackParameters = await oauth.validateJwtAuthResponse(
    as, client, callback, state, insecure,
  )

  // the code, redeemed with a DPoP proof of the key it is bound to
  const tokens = await withNonce(
    () => oauth.authorizationCodeGrantRequest(
      as, client, clientAuth, callbackParameters, config.redirect_uri, codeVerifier, options,
    ),
    (response) => oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    }),
  )
  const idToken = oauth.getValidatedIdTokenClaims(tokens)
  results.tokens = {
    token_type: tokens.token_type,
    has_refresh_token: typeof tokens.refresh_token === 'string',
    authorization_details: tokens.authorization_details ?? null,
    id_token_sub: idToken.sub,
    jkt: await DPoP.calculateThumbprint(),
  }

  // userinfo with the DPoP scheme and a proof of the token (ath)
  const userinfo = await withNonce(
    () => oauth.userInfoRequest(as, client, tokens.access_token, options),
    (response) => oauth.processUserInfoResponse(as, client, idToken.sub, response),
  )
  results.userinfo = userinfo

  // refresh, with a proof again
  const refreshed = await withNonce(
    () => oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, options),
    (response) => oauth.processRefreshTokenResponse(as, client, response),
  )
  results.refreshed = {
    token_type: refreshed.token_type,
    rotated: refreshed.refresh_token !== tokens.refresh_token,
    authorization_details: refreshed.authorization_details ?? null,
  }

  if (config.client_secret) {
    // introspection (only an authenticated client may) of both tokens
    const introspect = async (token) => oauth.processIntrospectionResponse(
      as, client, await oauth.introspectionRequest(as, client, clientAuth, token, insecure),
    )
    results.introspection = {
      access: await introspect(refreshed.access_token),
      refresh: await introspect(refreshed.refresh_token),
    }
  }

  // revocation of the refresh token ends the grant: nothing of it works any more
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token, insecure),
  )
  let refusedAfterRevocation = false
  try {
    await withNonce(
      () => oauth.userInfoRequest(as, client, refreshed.access_token, options),
      (response) => oauth.processUserInfoResponse(as, client, idToken.sub, response),
    )
  } catch (error) {
    refusedAfterRevocation = error instanceof oauth.WWWAuthenticateChallengeError
  }
  results.revoked = { userinfo_refused: refusedAfterRevocation }
  if (config.client_secret) {
    results.revoked.introspection = await oauth.processIntrospectionResponse(
      as, client,
      await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure),
    )
  }
  emit({ step: 'done', results })
}

function described(value) {
  try {
    return JSON.parse(JSON.stringify(value ?? null))
  } catch {
    return String(value)
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    emit({
      step: 'error',
      message: String(error?.message ?? error),
      code: error?.code ?? null,
      cause: described(error?.cause),
      stack: String(error?.stack ?? ''),
    })
    process.exit(1)
  },
)
