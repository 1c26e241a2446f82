// The log-in page (/login/): POST /api/login, then go to ?next= (a same-origin path only,
// see next-path.js) or to the map. A refusal shows the server's problem detail
// ("wrong username or password", "too many attempts, try again in 5 minutes").

import '../pages.css';
import * as api from '../api.js';
import { safeNextPath } from '../next-path.js';
import { saveUser } from '../session-hint.js';

const form = document.getElementById('login-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const errorText = document.getElementById('login-error');
const submit = document.getElementById('login-submit');
const next = safeNextPath(new URLSearchParams(window.location.search).get('next') ?? '/');

function showError(message) {
  errorText.textContent = message;
  errorText.hidden = !message;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!username.value.trim() || !password.value) {
    showError('Enter your username and password.');
    (username.value.trim() ? password : username).focus();
    return;
  }
  showError('');
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    saveUser(await api.logIn(username.value.trim(), password.value));
    window.location.assign(next);
  } catch (error) {
    password.value = '';
    showError(error.network ? 'No connection to AIM: check the signal and try again.' : error.message);
    password.focus();
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
});

username.focus();
