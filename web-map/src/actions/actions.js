// "My organisation's actions" (/actions/): a partner's (or a warden's, or anyone's with an organisation)
// list of GET /api/actions?organisation=mine, overdue first (workflow.js sortActions), each with big
// buttons for the statuses it may move to next and a note (problems/actions-view.js). Works on a phone.
// Signed out -> the log-in page, coming back here. Analysts and admins see every organisation's.
//
// Ids: #actions-status, #actions-show-finished, #my-actions li.loop-action[data-action-id][data-status]
// (.loop-overdue), button.loop-status[data-status]. Test build only: window.aimActions = {ready, ids(), reload()}.

import '../pages.css';
import '../problems/problems.css';
import './actions.css';
import * as api from '../api.js';
import { el } from '../dom.js';
import { loginUrl } from '../next-path.js';
import { actionItem, statusChangeBody } from '../problems/actions-view.js';
import { shownActions } from '../problems/workflow.js';
import { forgetUser, saveUser } from '../session-hint.js';

const HERE = '/actions/';
const $ = (id) => document.getElementById(id);
const status = $('actions-status');
const list = $('my-actions');
const showFinished = $('actions-show-finished');
let user = null;
let actions = [];
let ready = false;
if (AIM_TEST_HOOKS) {
  window.aimActions = {
    get ready() {
      return ready;
    },
    ids: () => [...list.querySelectorAll('li[data-action-id]')].map((li) => Number(li.dataset.actionId)),
    reload: () => load(),
  };
}

function draw() {
  const shown = shownActions(actions, showFinished.checked);
  list.replaceChildren(...shown.map((action) => actionItem(action, { user, onChange: change, showProblem: true, big: true })));
  const overdue = actions.filter((a) => a.overdue).length;
  status.textContent = `${shown.length} action${shown.length === 1 ? '' : 's'}${user?.organisation ? ` for ${user.organisation.name}` : ''}${overdue ? `, ${overdue} overdue` : ''}.`;
  status.classList.remove('aim-error');
}

async function change(action, next) {
  await api.updateAction(action.id, statusChangeBody(next), action.revision);
  await load();
}

async function load() {
  try {
    actions = (await api.getActions({ organisation: 'mine' })) ?? [];
    draw();
  } catch (error) {
    if (error.status === 401) return window.location.replace(loginUrl(HERE));
    status.textContent = `Actions not loaded: ${error.message}`;
    status.classList.add('aim-error');
  } finally {
    ready = true;
  }
}

async function start() {
  try {
    user = await api.getMe();
  } catch (error) {
    status.textContent = `AIM is not reachable: ${error.message}`;
    status.classList.add('aim-error');
    ready = true;
    return;
  }
  if (!user) {
    forgetUser();
    window.location.replace(loginUrl(HERE));
    return;
  }
  saveUser(user);
  $('aim-account').textContent = `${user.displayName || user.username}${user.organisation ? ` · ${user.organisation.name}` : ''}`;
  if (!user.organisation && !['analyst', 'admin'].includes(user.role)) {
    status.textContent = 'Your account belongs to no organisation, so there are no actions to show.';
    ready = true;
    return;
  }
  showFinished.addEventListener('change', draw);
  await load();
}

start();
