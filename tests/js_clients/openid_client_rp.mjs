// A relying party built on openid-client (and jose, its own dependency, for the logout
// token, which openid-client has no function for), driven step by step by
// tests/support/openid_client.py. Every command prints one JSON object on stdout; a failed
// check exits non-zero with the reason on stderr.
//
//   node openid_client_rp.mjs authorize <issuer> <client_id> <secret> <redirect_uri> [prompt]
//     -> {url, verifier, state, nonce}
//   node openid_client_rp.mjs callback <issuer> <client_id> <secret> <callback_url> <verifier> <state> <nonce>
//     -> the verified id_token's claims
//   node openid_client_rp.mjs logout-token <issuer> <client_id> <secret> <logout_token> <sid>
//     -> the verified logout token's claims (OpenID Back-Channel Logout 1.0, 2.6)
import * as client from "openid-client";
import * as jose from "jose";

const EVENT = "http://schemas.openid.net/event/backchannel-logout";

async function configuration(issuer, clientId, secret) {
  return client.discovery(new URL(issuer), clientId, secret, client.ClientSecretBasic(secret), {
    execute: [client.allowInsecureRequests], // the test provider is plain http on loopback
  });
}

async function authorize([issuer, clientId, secret, redirectUri, prompt]) {
  const config = await configuration(issuer, clientId, secret);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params = {
    redirect_uri: redirectUri,
    scope: "openid",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  };
  if (prompt) params.prompt = prompt;
  const url = client.buildAuthorizationUrl(config, params);
  return { url: url.href, verifier, state, nonce };
}

async function callback([issuer, clientId, secret, callbackUrl, verifier, state, nonce]) {
  const config = await configuration(issuer, clientId, secret);
  const tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return tokens.claims();
}

async function logoutToken([issuer, clientId, secret, token, sid]) {
  const config = await configuration(issuer, clientId, secret);
  const metadata = config.serverMetadata();
  if (!metadata.backchannel_logout_supported || !metadata.backchannel_logout_session_supported) {
    throw new Error("discovery does not advertise back-channel logout with sessions");
  }
  const keys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const { payload } = await jose.jwtVerify(token, keys, {
    issuer: metadata.issuer,
    audience: clientId,
    typ: "logout+jwt",
    requiredClaims: ["iat", "jti", "events"],
    maxTokenAge: "2 minutes",
  });
  if (typeof payload.events !== "object" || !(EVENT in payload.events)) {
    throw new Error("no back-channel logout event");
  }
  if ("nonce" in payload) throw new Error("a logout token must not carry a nonce");
  if (payload.sid !== sid) throw new Error(`sid ${payload.sid} is not ${sid}`);
  return payload;
}

const commands = { authorize, callback, "logout-token": logoutToken };
const [command, ...args] = process.argv.slice(2);
try {
  process.stdout.write(JSON.stringify(await commands[command](args)));
} catch (error) {
  process.stderr.write(`${error.name}: ${error.message}\n`);
  process.exit(1);
}
