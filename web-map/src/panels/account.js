// Who is signed in, in the map's header: "Ann Smith (analyst) · Report · Meetings · Sign out" (and
// "My actions" for a member of a partner organisation), or a
// "Sign in" link when nobody is. accountLinks() decides what is shown; showAccount() draws it.

import { loginUrl } from '../next-path.js';
import { el } from '../dom.js';

/** Roles that may record street reports (POST /api/reports): they get a link to the report page. */
export const REPORTING_ROLES = ['warden', 'analyst', 'admin'];

/** {text, links: [{id, href, label}]} for a user from GET /api/me, or null when signed out. */
export function accountLinks(user, here = '/') {
  if (!user) return { text: '', links: [{ id: 'aim-signin', href: loginUrl(here), label: 'Sign in' }] };
  const links = [];
  if (REPORTING_ROLES.includes(user.role)) links.push({ id: 'aim-report-link', href: '/report/', label: 'Report' });
  if (user.organisation) links.push({ id: 'aim-actions-link', href: '/actions/', label: 'My actions' });
  links.push({ id: 'aim-meetings-link', href: '/meetings/', label: 'Meetings' });
  links.push({ id: 'aim-signout', href: '/', label: 'Sign out' });
  return { text: `${user.displayName || user.username} (${user.role})`, links };
}

/**
 * Draws the account box (#aim-account) into `container`. onSignOut() is called for the
 * sign-out link (it signs out, then the page reloads as signed out).
 */
export function showAccount(container, user, { here = '/', onSignOut = async () => {} } = {}) {
  let box = document.getElementById('aim-account');
  if (!box) {
    box = el('span', 'aim-account');
    box.id = 'aim-account';
    container.appendChild(box);
  }
  box.replaceChildren();
  const { text, links } = accountLinks(user, here);
  if (text) {
    const name = el('span', '', text);
    name.id = 'aim-user';
    box.append(name);
  }
  for (const link of links) {
    if (box.childNodes.length > 0) box.append(' · ');
    const a = el('a', '', link.label);
    a.id = link.id;
    a.href = link.href;
    if (link.id === 'aim-signout') {
      a.addEventListener('click', async (event) => {
        event.preventDefault();
        await onSignOut();
        window.location.assign('/');
      });
    }
    box.append(a);
  }
}
