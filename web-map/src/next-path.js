// Where to go after signing in. The log-in page takes ?next= from its URL, which anyone can
// craft: only a path on this site is followed (never another origin, a protocol-relative
// "//host" or a "javascript:" URL), so the page cannot be used as an open redirect.

/** `raw` if it is a same-origin path ("/report/?x=1#y"), else "/". */
export function safeNextPath(raw) {
  if (typeof raw !== 'string') return '/';
  const value = raw.trim();
  // Must be an absolute path; "//" and "/\" are read by browsers as another host.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Control characters (tabs and newlines are stripped by URL parsers, so "/\t/evil" is "//evil").
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url;
  try {
    url = new URL(value, 'https://aim.invalid');
  } catch {
    return '/';
  }
  // "/..//evil" normalises to the path "//evil", which a browser would read as a host.
  if (url.origin !== 'https://aim.invalid' || url.pathname.startsWith('//')) return '/';
  return url.pathname + url.search + url.hash;
}

/** The log-in page URL that comes back to `path` (a same-origin path) afterwards. */
export function loginUrl(path) {
  const next = safeNextPath(path);
  return next === '/' ? '/login/' : `/login/?${new URLSearchParams({ next })}`;
}
