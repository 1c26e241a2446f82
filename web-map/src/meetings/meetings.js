// The meetings page (/meetings/, a meeting at /meetings/?id=N): the list (GET /api/meetings), a new
// meeting (analysts, admins: date, title, attending organisations, agenda problems), and a meeting:
// its agenda (each problem with a link to it on the map, its decisions, "record a decision" and "add an
// action" live during the meeting), general decisions, adding problems to the agenda, and the briefing
// (HTML and PDF from the server). Signed out -> the log-in page, coming back here.
//
// Ids: #meeting-list li[data-meeting-id], #meeting-form (#meeting-date, #meeting-title,
// input[name=attendees], input[name=agenda], #meeting-create-button), #meeting-view (data-meeting-id),
// #meeting-briefing-html, #meeting-briefing-pdf, #meeting-agenda li[data-problem-id] with
// .meeting-decisions li, textarea.meeting-decision-text + button.meeting-decision-add, and
// form.meeting-action-form; #meeting-general-decision + #meeting-general-add; #meeting-agenda-add.
// Test build only: window.aimMeetings = {ready, meeting() (the one shown), reload()}.

import '../pages.css';
import '../problems/problems.css';
import './meetings.css';
import * as api from '../api.js';
import { el } from '../dom.js';
import { loginUrl, safeNextPath } from '../next-path.js';
import { actionBody, meetingBody, newKey } from '../problems/form.js';
import { addField, addSelect, busy, button, showErrors, showFailure } from '../problems/form-view.js';
import { canManage, ownerText, stageLabel } from '../problems/workflow.js';
import { forgetUser, saveUser } from '../session-hint.js';
import { agendaCandidates, decisionsByProblem, meetingIdOf, meetingLine, problemMapLink } from './agenda.js';

const $ = (id) => document.getElementById(id);
const status = $('meetings-status');
const meetingId = meetingIdOf(window.location.search);
const here = safeNextPath(`${window.location.pathname}${window.location.search}`);
let user = null;
let organisations = [];
let problems = [];
let meeting = null;
let ready = false;
const attempts = {}; // form -> {key, json}: a retried creation keeps its Idempotency-Key
if (AIM_TEST_HOOKS) {
  window.aimMeetings = {
    get ready() {
      return ready;
    },
    meeting: () => meeting,
    reload: () => (meetingId ? showMeeting() : showList()),
  };
}

function keyFor(name, json) {
  if (!attempts[name] || attempts[name].json !== json) attempts[name] = { key: newKey(), json };
  return attempts[name].key;
}

function say(text, isError = false) {
  status.textContent = text;
  status.hidden = !text;
  status.classList.toggle('aim-error', isError);
}

// --- the list and a new meeting ---

async function showList() {
  $('meeting-list-view').hidden = false;
  const meetings = (await api.getMeetings()) ?? [];
  $('meeting-list').replaceChildren(
    ...meetings.map((m) => {
      const li = el('li');
      li.dataset.meetingId = String(m.id);
      const a = el('a', '', meetingLine(m));
      a.href = `/meetings/?id=${m.id}`;
      li.append(a);
      return li;
    }),
  );
  say(meetings.length ? '' : 'No meetings yet.');
  if (canManage(user) && !$('meeting-form')) createForm($('meeting-create'));
}

function checkboxes(parent, legend, name, items) {
  const box = el('fieldset', 'loop-categories');
  box.append(el('legend', '', legend));
  for (const [value, text] of items) {
    const label = el('label', 'loop-check');
    const input = el('input');
    input.type = 'checkbox';
    input.name = name;
    input.value = value;
    label.append(input, ` ${text}`);
    box.append(label);
  }
  parent.append(box);
  return box;
}

function createForm(root) {
  const form = el('form', 'loop-form aim-card');
  form.id = 'meeting-form';
  form.noValidate = true;
  form.append(el('h2', '', 'New meeting'));
  const heldOn = addField(form, 'Date', 'input', 'meeting-date', 'heldOn', { type: 'date' });
  const title = addField(form, 'Title', 'input', 'meeting-title', 'title');
  title.value = 'AIM tasking group';
  checkboxes(form, 'Attending organisations', 'attendees', organisations.filter((o) => o.active !== false).map((o) => [o.code, o.name]));
  checkboxes(form, 'Agenda (problems)', 'agenda', agendaCandidates(problems, []).map((p) => [String(p.id), `${p.title} (${stageLabel(p.stage)})`]));
  const general = el('p', 'loop-form-error aim-error');
  general.hidden = true;
  const create = el('button', 'aim-button aim-primary', 'Create meeting');
  create.type = 'submit';
  create.id = 'meeting-create-button';
  form.append(general, create);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ticked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((b) => b.value);
    const { body, errors } = meetingBody({ heldOn: heldOn.value, title: title.value, attendees: ticked('attendees'), agenda: ticked('agenda') });
    if (showErrors(form, errors, general)) return;
    await busy(create, 'Creating…', async () => {
      try {
        const created = await api.createMeeting(body, keyFor('meeting', JSON.stringify(body)));
        window.location.assign(`/meetings/?id=${created.id}`);
      } catch (error) {
        showFailure(form, error, general);
      }
    });
  });
  root.replaceChildren(form);
}

// --- one meeting ---

async function showMeeting() {
  const view = $('meeting-view');
  view.hidden = false;
  meeting = await api.getMeeting(meetingId);
  view.dataset.meetingId = String(meeting.id);
  const manager = canManage(user);
  const parts = [];
  const back = el('a', '', '‹ All meetings');
  back.href = '/meetings/';
  parts.push(back, el('h2', '', `${meeting.title} — ${meeting.heldOn}`));
  parts.push(el('p', 'loop-muted', `Attending: ${(meeting.attendees ?? []).map((a) => a.name).join(', ') || 'not recorded'}`));
  if (meeting.previousMeeting) {
    const prev = el('a', '', `Previous meeting (${meeting.previousMeeting.heldOn})`);
    prev.href = `/meetings/?id=${meeting.previousMeeting.id}`;
    const line = el('p');
    line.append(prev);
    parts.push(line);
  }
  const links = el('p', 'loop-row');
  const html = el('a', 'aim-button', 'Briefing (web page)');
  html.id = 'meeting-briefing-html';
  html.href = api.briefingUrl(meeting.id, 'html');
  html.target = '_blank';
  html.rel = 'noopener';
  const pdf = el('a', 'aim-button', 'Briefing (PDF)');
  pdf.id = 'meeting-briefing-pdf';
  pdf.href = api.briefingUrl(meeting.id, 'pdf');
  links.append(html, pdf);
  parts.push(links);

  const groups = decisionsByProblem(meeting.decisions);
  parts.push(el('h3', '', 'Agenda'));
  const agenda = el('ol', 'loop-list meeting-agenda');
  agenda.id = 'meeting-agenda';
  for (const item of meeting.agenda ?? []) agenda.append(agendaItem(item, groups[item.problemId] ?? [], manager));
  if (!agenda.children.length) agenda.append(el('li', 'loop-muted', 'Nothing on the agenda yet.'));
  parts.push(agenda);
  if (manager) parts.push(addToAgenda());

  parts.push(el('h3', '', 'Other decisions'));
  parts.push(decisionList(groups.general ?? []));
  if (manager) parts.push(decisionForm(null, 'meeting-general'));
  view.replaceChildren(...parts);
  say('');
}

function decisionList(decisions) {
  const list = el('ul', 'loop-list meeting-decisions');
  for (const d of decisions) {
    const li = el('li', '', d.text);
    li.dataset.decisionId = String(d.id);
    list.append(li);
  }
  return list;
}

function agendaItem(item, decisions, manager) {
  const li = el('li', 'meeting-agenda-item');
  li.dataset.problemId = String(item.problemId);
  const link = el('a', 'meeting-problem-title', item.title);
  link.href = problemMapLink(item.problemId);
  li.append(link, el('div', 'loop-muted', `${stageLabel(item.stage)} · ${ownerText(item.owner)}`));
  li.append(decisionList(decisions));
  if (manager) {
    li.append(decisionForm(item.problemId, `meeting-decision-${item.problemId}`));
    const details = el('details', 'meeting-action');
    details.append(el('summary', '', 'Add an action'));
    details.append(actionForm(item.problemId));
    li.append(details);
  }
  return li;
}

function decisionForm(problemId, idPrefix) {
  const box = el('div', 'meeting-decision-form');
  const text = el('textarea', 'meeting-decision-text');
  text.id = problemId === null ? 'meeting-general-decision' : `${idPrefix}-text`;
  text.rows = 2;
  text.name = 'text';
  text.setAttribute('aria-label', 'Decision');
  text.placeholder = 'Record a decision…';
  const error = el('p', 'loop-form-error aim-error');
  error.hidden = true;
  const add = button('Record decision', 'aim-button aim-small meeting-decision-add');
  if (problemId === null) add.id = 'meeting-general-add';
  add.addEventListener('click', () =>
    busy(add, 'Saving…', async () => {
      const body = { text: text.value.trim() };
      if (problemId !== null) body.problemId = problemId;
      if (!body.text) {
        error.textContent = 'Write the decision first.';
        error.hidden = false;
        return;
      }
      try {
        await api.addDecision(meeting.id, body, keyFor(`decision-${problemId}`, JSON.stringify(body)));
        await showMeeting();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    }),
  );
  box.append(text, error, add);
  return box;
}

function actionForm(problemId) {
  const form = el('form', 'loop-form meeting-action-form');
  form.noValidate = true;
  const prefix = `meeting-action-${problemId}`;
  const title = addField(form, 'What is to be done', 'input', `${prefix}-title`, 'title');
  const organisation = addSelect(form, 'Organisation', `${prefix}-organisation`, 'organisation', [['', 'Choose…'], ...organisations.filter((o) => o.active !== false).map((o) => [o.code, o.name])]);
  const due = addField(form, 'Due', 'input', `${prefix}-due`, 'due', { type: 'date' });
  const starts = addField(form, 'Operation starts (optional)', 'input', `${prefix}-starts`, 'startsOn', { type: 'date' });
  const ends = addField(form, 'Operation ends', 'input', `${prefix}-ends`, 'endsOn', { type: 'date' });
  const general = el('p', 'loop-form-error aim-error');
  general.hidden = true;
  const add = el('button', 'aim-button aim-small', 'Add action');
  add.type = 'submit';
  form.append(general, add);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { body, errors } = actionBody({ title: title.value, organisation: organisation.value, due: due.value, startsOn: starts.value, endsOn: ends.value, meeting: meeting.id });
    if (showErrors(form, errors, general)) return;
    await busy(add, 'Adding…', async () => {
      try {
        await api.addAction(problemId, body, keyFor(`action-${problemId}`, JSON.stringify(body)));
        form.reset();
        say(`Action “${body.title}” added.`);
      } catch (error) {
        showFailure(form, error, general);
      }
    });
  });
  return form;
}

function addToAgenda() {
  const row = el('div', 'loop-row');
  const candidates = agendaCandidates(problems, meeting.agenda);
  if (!candidates.length) return row;
  const select = el('select');
  select.id = 'meeting-agenda-problem';
  select.setAttribute('aria-label', 'Problem to add');
  for (const p of candidates) select.add(new Option(p.title, String(p.id)));
  const add = button('Add to the agenda', 'aim-button aim-small');
  add.id = 'meeting-agenda-add';
  const error = el('p', 'loop-form-error aim-error');
  error.hidden = true;
  add.addEventListener('click', () =>
    busy(add, 'Saving…', async () => {
      try {
        const agenda = [...(meeting.agenda ?? []).map((i) => i.problemId), Number(select.value)];
        await api.updateMeeting(meeting.id, { agenda });
        await showMeeting();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    }),
  );
  row.append(select, add, error);
  return row;
}

async function start() {
  try {
    user = await api.getMe();
  } catch (error) {
    say(`AIM is not reachable: ${error.message}`, true);
    ready = true;
    return;
  }
  if (!user) {
    forgetUser();
    window.location.replace(loginUrl(here));
    return;
  }
  saveUser(user);
  $('aim-account').textContent = user.displayName || user.username;
  try {
    const [orgs, collection] = await Promise.all([api.getOrganisations().catch(() => []), api.getProblems().catch(() => null)]);
    organisations = orgs ?? [];
    problems = collection?.features ?? [];
    if (meetingId) await showMeeting();
    else await showList();
  } catch (error) {
    say(`Not loaded: ${error.message}`, true);
  } finally {
    ready = true;
  }
}

start();
