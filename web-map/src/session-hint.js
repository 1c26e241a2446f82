// The last user signed in on this browser, kept in localStorage (not a secret: the session
// itself is the HttpOnly cookie, which scripts cannot read). Two uses:
//   - the map asks GET /api/me only when someone may be signed in, so a signed-out visit makes
//     no request that fails with 401 (browsers log those as console errors);
//   - the report page shows who is signed in, and files queued reports under them, when it is
//     opened with no signal.
// The server stays the authority: a stale hint just costs one 401, after which it is forgotten.

const KEY = 'aim.user';

export function savedUser(storage = globalThis.localStorage) {
  try {
    const user = JSON.parse(storage?.getItem(KEY) ?? 'null');
    return user && typeof user === 'object' && typeof user.username === 'string' ? user : null;
  } catch {
    return null;
  }
}

export function saveUser(user, storage = globalThis.localStorage) {
  try {
    if (user) storage?.setItem(KEY, JSON.stringify(user));
    else storage?.removeItem(KEY);
  } catch {
    // private mode or storage full: only the hint is lost
  }
}

export function forgetUser(storage = globalThis.localStorage) {
  saveUser(null, storage);
}
