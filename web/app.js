// The FaceRead page: language, tabs, and the photo list (choose, drop or
// paste photos; each is analysed with a spinner, then drawn with its boxes,
// face cards, timings and a JSON download). Camera mode lives in camera.js.
import { analyzePhoto, apiKey, fetchAttributes, fetchProfiles, setApiKey } from './api.js';
import { attributeLines } from './attribute-display.js';
import { startCameraMode } from './camera.js';
import { LANGUAGES, MESSAGES, pickLanguage } from './i18n.js';
import { ageShown, drawFaces, faceColour } from './overlay.js';

const LANGUAGE_STORAGE = 'faceread.language';
const PROFILE_STORAGE = 'faceread.profile';
const ATTRIBUTES_STORAGE = 'faceread.attributes';
/** Photos analysed at once from this page; more wait here rather than in the server's queue. */
const PARALLEL = 2;

const state = {
  language: storedLanguage() ?? pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]),
  items: [],
  // Model profiles the server offers (GET /api/profiles) and the one chosen ('' = the server's default).
  profiles: [],
  profile: '',
  // Attributes the server offers (GET /api/attributes) and those chosen (null: the server's default).
  attributeInfo: [],
  attributes: storedAttributes(),
};
const t = () => MESSAGES[state.language];
const $ = (selector, root = document) => root.querySelector(selector);

function storedLanguage() {
  try {
    const value = localStorage.getItem(LANGUAGE_STORAGE);
    return LANGUAGES.includes(value) ? value : null;
  } catch { return null; }
}

function storedAttributes() {
  try {
    const value = JSON.parse(localStorage.getItem(ATTRIBUTES_STORAGE) ?? 'null');
    return Array.isArray(value) ? value : null;
  } catch { return null; }
}

function errorText(error) {
  // UNAUTHORIZED says "enter a key" when none was sent, "not accepted" when one was (api.js marks it).
  const code = error.code === 'UNAUTHORIZED' && error.keySent ? 'KEY_REJECTED' : error.code;
  return t().errors[code] ?? t().errors.UNKNOWN;
}

// ---- language ----
function applyLanguage() {
  document.documentElement.lang = state.language;
  document.title = t().title;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    const value = t()[element.dataset.i18n];
    if (typeof value === 'string') element.textContent = value;
  }
  renderProfileChoice();
  renderAttributeChoice();
  for (const item of state.items) renderItem(item);
  camera?.refresh();
}

// ---- model profile (shown only when the server offers more than one) ----
const profileSelect = $('#profile-select');
function renderProfileChoice() {
  const m = t();
  $('#profile-choice').hidden = state.profiles.length < 2;
  profileSelect.replaceChildren(...state.profiles.map((profile) => {
    const option = document.createElement('option');
    option.value = profile.name;
    const label = m.profileNames[profile.name] ?? profile.name;
    option.textContent = profile.ready ? label : m.profileLoading(label);
    if (profile.models) option.title = [profile.models.detector, ...profile.models.attributes].join(', ');
    return option;
  }));
  profileSelect.value = state.profile;
}
async function loadProfiles() {
  const offered = await fetchProfiles();
  state.profiles = offered?.profiles ?? [];
  let stored = null;
  try { stored = localStorage.getItem(PROFILE_STORAGE); } catch { /* private mode */ }
  const names = state.profiles.map((profile) => profile.name);
  state.profile = names.includes(state.profile) ? state.profile : names.includes(stored) ? stored : (offered?.default ?? '');
  renderProfileChoice();
  // Profiles still loading are marked as such until the server has them all.
  if (state.profiles.some((profile) => !profile.ready)) setTimeout(loadProfiles, 3000);
}
profileSelect.addEventListener('change', () => {
  state.profile = profileSelect.value;
  try { localStorage.setItem(PROFILE_STORAGE, state.profile); } catch { /* private mode */ }
});

// ---- attributes: one checkbox each, from the server's registry; the choice applies to photos added after ----
function renderAttributeChoice() {
  const boxes = $('#attribute-boxes');
  $('#attribute-choice').hidden = state.attributeInfo.length === 0;
  const chosen = state.attributes ?? state.attributeInfo.filter((a) => a.byDefault).map((a) => a.name);
  boxes.replaceChildren(...state.attributeInfo.map((attribute) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = attribute.name;
    box.checked = chosen.includes(attribute.name);
    box.addEventListener('change', () => {
      state.attributes = [...boxes.querySelectorAll('input:checked')].map((input) => input.value);
      try { localStorage.setItem(ATTRIBUTES_STORAGE, JSON.stringify(state.attributes)); } catch { /* private mode */ }
    });
    label.append(box, attribute.label[state.language] ?? attribute.name);
    label.title = attribute.description;
    return label;
  }));
}
async function loadAttributes() {
  const offered = await fetchAttributes();
  state.attributeInfo = offered?.attributes ?? [];
  // Names the server no longer offers are dropped from a stored choice.
  if (state.attributes) state.attributes = state.attributes.filter((name) => state.attributeInfo.some((a) => a.name === name));
  renderAttributeChoice();
}

$('#language').addEventListener('click', () => {
  state.language = state.language === 'en' ? 'zh-CN' : 'en';
  try { localStorage.setItem(LANGUAGE_STORAGE, state.language); } catch { /* private mode */ }
  applyLanguage();
});

// ---- tabs (arrow keys move between them, as ARIA tabs do) ----
const tabs = [$('#tab-photos'), $('#tab-camera')];
function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(`#${other.getAttribute('aria-controls')}`).hidden = !selected;
  }
  if (tab.id !== 'tab-camera') camera?.stop();
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
    selectTab(next);
    next.focus();
  });
}

// ---- adding photos ----
const fileInput = $('#file-input');
fileInput.addEventListener('change', () => {
  addFiles([...fileInput.files]);
  fileInput.value = '';
});
$('#choose-label').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    fileInput.click();
  }
});
const dropZone = $('#drop-zone');
for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
}
for (const type of ['dragleave', 'drop']) dropZone.addEventListener(type, () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  addFiles([...(event.dataTransfer?.files ?? [])]);
});
document.addEventListener('paste', (event) => {
  const files = [...(event.clipboardData?.files ?? [])];
  if (files.length > 0) {
    event.preventDefault();
    addFiles(files);
  }
});
const keyInput = $('#api-key');
keyInput.value = apiKey();
let keyTimer = 0;
keyInput.addEventListener('input', () => {
  setApiKey(keyInput.value.trim());
  // A server with an API key lists its profiles only to clients that send it: ask again once typing pauses.
  clearTimeout(keyTimer);
  keyTimer = setTimeout(() => { loadProfiles(); loadAttributes(); }, 400);
});
$('#clear').addEventListener('click', () => {
  for (const item of [...state.items]) removeItem(item);
});

let running = 0;
const waiting = [];

function addFiles(files) {
  for (const file of files) {
    const element = $('#photo-template').content.firstElementChild.cloneNode(true);
    const item = { file, element, status: 'pending', result: null, error: null, bitmap: null };
    state.items.push(item);
    $('.remove', element).addEventListener('click', () => removeItem(item));
    $('.download', element).addEventListener('click', () => downloadJson(item));
    $('#results').append(element);
    renderItem(item);
    waiting.push(item);
  }
  $('#clear').hidden = state.items.length === 0;
  pump();
}

function pump() {
  while (running < PARALLEL && waiting.length > 0) {
    const item = waiting.shift();
    running++;
    analyse(item).finally(() => {
      running--;
      pump();
    });
  }
}

async function analyse(item) {
  // Decoding for display runs in parallel with the request; EXIF orientation is applied as the server does.
  const bitmapPromise = createImageBitmap(item.file).catch(() => null);
  const outcome = await analyzePhoto(item.file, { profile: state.profile, attributes: state.attributeInfo.length > 0 ? state.attributes : null });
  item.bitmap = await bitmapPromise;
  if (outcome.ok) {
    item.status = 'done';
    item.result = outcome.result;
    // The key (or the server's readiness) may have changed since the profiles were asked for.
    if (state.profiles.length === 0) loadProfiles();
    if (state.attributeInfo.length === 0) loadAttributes();
  } else {
    item.status = 'error';
    item.error = outcome.error;
  }
  if (state.items.includes(item)) renderItem(item);
}

function removeItem(item) {
  state.items = state.items.filter((other) => other !== item);
  const queued = waiting.indexOf(item);
  if (queued >= 0) waiting.splice(queued, 1);
  item.bitmap?.close?.();
  item.element.remove();
  $('#clear').hidden = state.items.length === 0;
}

function downloadJson(item) {
  const blob = new Blob([JSON.stringify(item.result, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${item.file.name.replace(/\.[^.]+$/, '') || 'photo'}.faceread.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- rendering one photo ----
function renderItem(item) {
  const { element, result, error, status } = item;
  const m = t();
  element.dataset.state = status;
  $('.photo-name', element).textContent = item.file.name || 'photo';
  $('.status-text', element).textContent = status === 'pending' ? m.analysing : status === 'done' ? m.faces(result.faces.length) : '';
  $('.remove', element).textContent = m.remove;
  $('.remove', element).setAttribute('aria-label', `${m.remove}: ${item.file.name}`);
  const download = $('.download', element);
  download.textContent = m.downloadJson;
  download.hidden = status !== 'done';

  const errorLine = $('.error', element);
  errorLine.hidden = status !== 'error';
  if (error) {
    errorLine.textContent = errorText(error);
    errorLine.dataset.code = error.code;
    errorLine.title = error.message ?? '';
  }

  const canvas = $('.photo-canvas', element);
  if (item.bitmap) {
    canvas.width = item.bitmap.width;
    canvas.height = item.bitmap.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(item.bitmap, 0, 0);
    // Boxes are in the oriented image's pixels, which is what the bitmap holds.
    const drawn = result ? drawFaces(ctx, result, m, canvas.width / result.image.width, { numbers: true }) : 0;
    canvas.dataset.boxes = String(drawn);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', result ? `${item.file.name}: ${m.faces(result.faces.length)}` : item.file.name);
  }

  const cards = $('.face-cards', element);
  cards.replaceChildren();
  if (result) {
    if (result.faces.length === 0) {
      const none = document.createElement('li');
      none.textContent = m.noFaces;
      cards.append(none);
    }
    result.faces.forEach((face, i) => cards.append(faceCard(face, i, m)));
    $('.timings', element).textContent =
      `${m.timings}${m.colon}` + Object.entries(result.timingsMs).map(([stage, ms]) => `${m.stage[stage] ?? stage} ${Math.round(ms)} ms`).join(' · ');
  } else {
    $('.timings', element).textContent = '';
  }
}

// A card per face: its number (as drawn on the photo), then gender, age and detector confidence, each once.
function faceCard(face, i, m) {
  const card = document.createElement('li');
  card.className = 'face-card';
  card.style.setProperty('--c', faceColour(face));
  const title = document.createElement('span');
  title.className = 'face-label';
  title.textContent = m.face(i + 1);
  card.append(title);
  const lines = [];
  if (face.gender) lines.push(['gender', m.genderLine(m[face.gender.label], Math.round(face.gender.probability * 100))]);
  if (face.age) {
    const [years, bucket] = m.ageLine(ageShown(face.age));
    lines.push(['age', years], ['bucket', bucket]);
  }
  // The other attributes as their registry entries word them (web/attribute-display.js).
  for (const attribute of state.attributeInfo) {
    for (const line of attributeLines(attribute, face[attribute.name], state.language)) lines.push([line.name, line.text]);
  }
  lines.push(['score', m.score(Math.round(face.score * 100))]);
  for (const [kind, text] of lines) {
    const div = document.createElement('div');
    div.className = `face-${kind}`;
    div.textContent = text;
    card.append(div);
  }
  return card;
}

const camera = startCameraMode({
  toggle: $('#camera-toggle'),
  status: $('#camera-status'),
  stage: $('#camera-stage'),
  video: $('#camera-video'),
  overlay: $('#camera-overlay'),
  errorLine: $('#camera-error'),
  messages: t,
  errorText,
  profile: () => state.profile,
});

applyLanguage();
loadProfiles();
loadAttributes();
