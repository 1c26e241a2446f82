// The meeting loop on the map (signed-in users): the Problems overlay (problems/layer.js) and the
// folding side panel #aim-problems beside the map with three views:
//   list     the problems, filtered by stage (list-panel.js); the same filter on the map;
//   detail   one problem (detail-panel.js): progress, actions, escalations, history, and changes;
//   new      analysts and admins: a new problem from selected hot cells, a ward or a drawn shape
//            (create-panel.js).
// Loads everything once (GET /api/problems, organisations, categories) and again after each change.
//
// Test build only (AIM_TEST_HOOKS): window.aimProblems = {enabled, ready, canManage, ids() (on the map),
//   open(id) (-> Promise, detail loaded), detailId(), newProblem(place), reload(), view()}.

import { el } from '../dom.js';
import { createDrawTool } from '../assets/draw-layer.js';
import { createSidePanel } from '../panels/side-panel.js';
import { createProblemForm } from './create-panel.js';
import { createProblemDetail } from './detail-panel.js';
import { createEvaluationView } from './evaluation.js';
import { createProblemLayer, problemLegend } from './layer.js';
import { createProblemList, filterProblems } from './list-panel.js';
import { canManage } from './workflow.js';
import './problems.css';

/** Names and codes of a boundary layer's features, sorted by name. */
function areasOf(layer) {
  const list = [];
  layer?.eachLayer((path) => {
    const p = path.feature?.properties;
    if (p?.code) list.push({ code: p.code, name: p.name ?? p.code });
  });
  return list.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/**
 * deps: {map, header (for the "Problems" button #problems-open), api, user, hotspots (the hotspot panel, or null), wards, neighbourhoods (boundary layers),
 * currentWard() (the ward profile's code), onView() (the problem shown changed)}.
 * Returns null signed out; else {overlays, legend(), open(id), shownId(), layer}.
 */
export function createProblemsPanel(L, deps) {
  const { map, api, user } = deps;
  if (!user) {
    if (AIM_TEST_HOOKS) window.aimProblems = { enabled: false, ready: true, ids: () => [] };
    return null;
  }
  const manager = canManage(user);
  map.createPane('aim-problems').style.zIndex = '435'; // over the hotspot cells (425) and zones (430)
  map.createPane('aim-problem-draw').style.zIndex = '655';
  map.createPane('aim-evaluation').style.zIndex = '433'; // "did it work?" zones, under the problem places
  const onView = deps.onView ?? (() => {});
  const layer = createProblemLayer(L, { pane: 'aim-problems', onOpen: (id) => open(id) });
  let features = [];
  let organisations = [];
  let taxonomy = null;
  let ready = false;
  let failure = null;
  let shown = null; // the problem id in the detail view
  let form = null;
  const neighbourhoodNames = () => Object.fromEntries(areasOf(deps.neighbourhoods).map((n) => [n.code, n.name]));

  // --- the side panel, right of the map (before the analysis panel) ---
  const aside = el('aside', 'aim-problems');
  aside.id = 'aim-problems';
  aside.setAttribute('aria-label', 'Problems');
  map.getContainer().after(aside);
  const frame = createSidePanel(aside, {
    map,
    label: 'Problems',
    prefix: 'aim-problems',
    ids: { toggle: 'problems-toggle', short: 'problems-status-short', body: 'aim-problems-body' },
  });
  // folded, the panel takes no room beside the map: the header's "Problems" button opens it
  const opener = el('button', 'aim-problems-open', 'Problems');
  opener.type = 'button';
  opener.id = 'problems-open';
  opener.setAttribute('aria-controls', 'aim-problems');
  opener.addEventListener('click', () => frame.setExpanded(aside.classList.contains('collapsed')));
  deps.header?.append(opener);
  frame.setExpanded(false);
  const views = { list: el('div', 'loop-view'), detail: el('div', 'loop-view'), create: el('div', 'loop-view'), evaluate: el('div', 'loop-view') };
  views.create.id = 'problem-create-view';
  frame.body.append(views.list, views.detail, views.create, views.evaluate);
  function showView(name, { expand = true } = {}) {
    for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
    if (expand) frame.setExpanded(true); // (on a projector or phone this folds the other panels)
  }

  const list = createProblemList(views.list, {
    canCreate: manager,
    neighbourhoodNames,
    onOpen: (id) => open(id),
    onNew: () => newProblem(),
    onFilter: () => drawLayer(),
  });
  const detail = createProblemDetail(views.detail, {
    api,
    user,
    get organisations() {
      return organisations;
    },
    neighbourhoodNames,
    onChanged: () => load(),
    onEvaluate: (problem, action) => evaluate(problem, action),
    onClose: () => {
      shown = null;
      showView('list');
      onView();
    },
  });
  let evaluating = null; // {action: id or null} while "Did it work?" is shown (the view link's evaluate=)
  const evaluation = createEvaluationView(views.evaluate, {
    L, map, api, pane: 'aim-evaluation', onClose: () => {
      evaluating = null;
      showView('detail');
      onView();
    },
  });
  /** "Did it work?" for a problem, or one of its actions (null: the problem). */
  function evaluate(problem, action = null) {
    showView('evaluate');
    evaluating = { action: action?.id ?? null };
    onView();
    return evaluation.open({ problem, action });
  }
  const draw = createDrawTool(L, map, { pane: 'aim-problem-draw', onMode: () => form?.refresh() });
  showView('list', { expand: false });
  frame.setExpanded(false);

  function drawLayer() {
    layer.setData({ type: 'FeatureCollection', features: filterProblems(features, list.stage()) });
  }

  async function load() {
    try {
      const collection = await api.getProblems();
      features = collection?.features ?? [];
      list.show(features);
      drawLayer();
      failure = null;
      frame.setShortStatus('');
    } catch (error) {
      failure = `Problems not loaded: ${error.message}`;
      list.status(failure, true);
      frame.setShortStatus('error');
    } finally {
      ready = true;
    }
  }

  /**
   * Opens a problem's detail (and zooms to it when it is on the map and `zoom`); with `evaluate`
   * ({action: id or null}, a shared link's evaluate=) then "Did it work?" of the problem or of that
   * action (an action the caller cannot see leaves the detail open).
   */
  async function open(id, { zoom = false, evaluate: evaluateOf = null } = {}) {
    evaluation.close();
    shown = Number(id);
    showView('detail');
    map.closePopup();
    onView();
    if (zoom) {
      const bounds = layer.bounds(id);
      if (bounds) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    await detail.load(id);
    if (!evaluateOf || shown !== Number(id)) return;
    const problem = detail.current();
    if (!problem || Number(problem.id) !== Number(id)) return;
    const action = evaluateOf.action ? (problem.actions ?? []).find((a) => a.id === evaluateOf.action) ?? null : null;
    if (evaluateOf.action && !action) return;
    await evaluate(problem, action);
  }

  function ensureForm() {
    if (form) return form;
    form = createProblemForm(views.create, {
      api,
      taxonomy,
      organisations,
      neighbourhoods: () => areasOf(deps.neighbourhoods),
      wards: () => areasOf(deps.wards),
      selection: deps.hotspots?.selection ?? null,
      draw,
      currentWard: deps.currentWard,
      onCreated: async (problem) => {
        await load();
        open(problem.id);
      },
      onCancel: () => {
        form.close();
        showView('list');
      },
    });
    return form;
  }

  function newProblem(place = 'cells') {
    if (!manager) return false;
    ensureForm().open(place);
    showView('create');
    return true;
  }

  if (AIM_TEST_HOOKS) {
    window.aimProblems = {
      enabled: true,
      get ready() {
        return ready;
      },
      get error() {
        return failure;
      },
      canManage: manager,
      ids: () => layer.ids(),
      open: (id) => open(id),
      detailId: () => detail.id(),
      newProblem,
      reload: () => load(),
      place: () => form?.place() ?? null,
      evaluate: (actionId) => {
        const problem = detail.current();
        return evaluate(problem, (problem?.actions ?? []).find((a) => a.id === actionId) ?? null);
      },
      evaluation: () => evaluation.state(),
    };
  }

  async function start() {
    const [orgs, categories] = await Promise.all([api.getOrganisations().catch(() => []), api.getCategories().catch(() => null)]);
    organisations = orgs ?? [];
    taxonomy = categories;
    await load();
  }
  start();

  return {
    overlays: { Problems: layer.layer },
    layer: layer.layer,
    legend: () => (map.hasLayer(layer.layer) ? problemLegend() : null),
    open: (id, { zoom = true, evaluate: evaluateOf = null } = {}) => open(id, { zoom, evaluate: evaluateOf }),
    shownId: () => shown,
    /** {action: id or null} while "Did it work?" is shown, else null. */
    evaluating: () => (shown === null ? null : evaluating),
  };
}
