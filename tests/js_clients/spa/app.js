// A single-page app logging in with oidc-client-ts as a public client (PKCE, no
// secret), from an origin of its own: every call to the provider is cross-origin and
// must pass the browser's CORS checks. /config.js sets window.SPA_CONFIG:
// {authority, client_id, dpop}. With dpop the tokens are DPoP-bound (the library keeps
// the key in IndexedDB) and userinfo is called with the DPoP scheme and a proof.
const config = window.SPA_CONFIG

const settings = {
  authority: config.authority,
  client_id: config.client_id,
  redirect_uri: `${location.origin}/callback.html`,
  post_logout_redirect_uri: `${location.origin}/`,
  response_type: 'code',
  scope: 'openid profile',
  loadUserInfo: !config.dpop, // the library calls userinfo as Bearer only
  userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
}
if (config.dpop) {
  settings.dpop = { bind_authorization_code: false, store: new oidc.IndexedDbDPoPStore() }
}
const manager = new oidc.UserManager(settings)

function show(id, value) {
  document.getElementById(id).textContent =
    typeof value === 'string' ? value : JSON.stringify(value)
}

function randomString() {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '')
}

async function userinfoWithDpop(user) {
  const url = await manager.metadataService.getUserInfoEndpoint()
  const proof = await manager.dpopProof(url, user, 'GET')
  const response = await fetch(url, {
    headers: { Authorization: `DPoP ${user.access_token}`, DPoP: proof },
  })
  if (!response.ok) {
    throw new Error(`userinfo ${response.status}: ${response.headers.get('WWW-Authenticate')}`)
  }
  return response.json()
}

async function run() {
  try {
    if (location.pathname === '/callback.html') {
      const user = await manager.signinRedirectCallback()
      const userinfo = config.dpop ? await userinfoWithDpop(user) : null
      show('result', {
        profile: user.profile,
        token_type: user.token_type,
        scope: user.scope,
        access_token: user.access_token,
      })
      if (userinfo) show('userinfo', userinfo)
      show('status', 'logged-in')
    } else if (new URLSearchParams(location.search).has('state')) {
      await manager.signoutRedirectCallback()
      show('status', 'logged-out')
    } else {
      show('status', 'ready')
    }
  } catch (error) {
    show('error', String((error && error.stack) || error))
    show('status', 'error')
  }
}

document.getElementById('login').addEventListener('click', () => {
  manager.signinRedirect({ nonce: randomString() }).catch((error) => {
    show('error', String((error && error.stack) || error))
    show('status', 'error')
  })
})
document.getElementById('logout').addEventListener('click', () => {
  manager.signoutRedirect({ state: 'logged-out' }).catch((error) => {
    show('error', String((error && error.stack) || error))
    show('status', 'error')
  })
})
run()
