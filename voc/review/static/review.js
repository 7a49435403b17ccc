// voc review page. Customer text is only ever put on the page with textContent (never as HTML),
// and the server's Content-Security-Policy forbids inline script, so a quote cannot run code.
// One file on purpose, past the ~500 lines a module otherwise keeps to: the page runs exactly
// one script, so a test can tell that no customer text ever added another.
"use strict";

// The map's frame, colours, theme names and their places, and the criteria come from the
// server (GET /api/run), drawn by the same rules as map.html (voc.outputs.map).
const SVG_NS = "http://www.w3.org/2000/svg";
const SHOWN_QUOTES = 2;
const FIND_PAGE = 50; // answers per "Find answers" page (GET /api/units)
const WATCH_MS = 2500; // how often an idle page asks whether the run changed elsewhere
const STABILITY = "How closely this theme is found again when the themes are re-made from " +
  "random 80% samples of the answers (1.00 = found again exactly, every time).";

const state = {
  data: null,
  active: null, // the theme picked out on the map
  activeGroup: null, // or the group picked out
  unitId: null, // the unit open in the move box
  follow: false, // after a move: pick out the unit's new theme once the run is refreshed
  pickedThemes: new Set(),
  pickedSegments: new Set(),
  openGroups: new Set(),
  found: new Map(), // unit_id → answer listed under "Find answers"
  search: null, // the query those answers came from
  busy: false,
  stale: false,
  watching: null,
};

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function option(value, text) {
  return el("option", { value: String(value), text });
}

// After a select's options are rebuilt: the earlier choice when it is still offered, else none.
function keepChoice(select, before) {
  select.value = $$("option", select).some((o) => o.value === before) ? before : "";
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function themeById(id) {
  return state.data.themes.find((t) => t.theme_id === id);
}

// Each theme's colour comes from the server (voc.outputs.map.theme_colours): distinct however
// many themes there are, shades of one hue per group. Hidden themes and unclustered are grey.
function colour(themeId) {
  const theme = themeId < 0 ? null : themeById(themeId);
  const map = state.data.map;
  if (!theme) return map.noise_colour;
  return theme.hidden ? map.hidden_colour : theme.colour;
}

function themeName(t) {
  return t ? `${t.theme_id}: ${t.label}${t.hidden ? " (hidden)" : ""}` : "unclustered";
}

function pct(x) {
  return x === null || x === undefined ? "–" : `${Math.round(x * 1000) / 10}%`;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message || "";
  box.hidden = !message;
}

function setStatus(kind, text) {
  const pill = $("#status");
  pill.className = `status ${kind}`;
  pill.textContent = text;
}

function setBusy(busy) {
  state.busy = busy;
  document.body.classList.toggle("busy", busy);
  for (const b of $$("button.act")) b.disabled = busy || b.dataset.off === "1";
}

// ---------------------------------------------------------------------------- loading

async function load() {
  const data = await api("/api/run");
  state.data = data;
  render();
}

async function postEdit(body) {
  if (state.busy) return false;
  showError("");
  try {
    await api("/api/edit", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...body, version: state.data.run.version }),
    });
  } catch (err) {
    if (err.status === 409) {
      showError("The run changed since this page loaded it: press Reload above (what you " +
        "typed is kept), then save again.");
      watch();
    } else {
      showError(err.message);
    }
    return false;
  }
  setBusy(true);
  setStatus("updating", "saved — updating the run…");
  poll();
  return true;
}

// After an edit of ours: follow the refresh until the server is idle, then show the new run.
async function poll() {
  let s;
  try {
    s = await api("/api/status");
  } catch (err) {
    setStatus("error", "server unreachable");
    setTimeout(poll, 2000);
    return;
  }
  if (s.state === "updating") {
    setBusy(true);
    setStatus("updating", `updating… ${s.stage || ""} ${s.message || ""}`.trim());
    setTimeout(poll, 700);
    return;
  }
  try {
    await load();
  } catch (err) {
    setBusy(false);
    setStatus("error", "cannot read the run");
    showError(err.message);
    watchSoon();
    return;
  }
  setBusy(false);
  setStale(false);
  if (s.state === "error") {
    setStatus("error", "update failed");
    showError(s.error);
  } else {
    setStatus("idle", "up to date");
  }
  if (state.follow) {
    state.follow = false;
    const i = unitIndex();
    if (i >= 0) {
      const theme = state.data.units.theme_id[i];
      highlight(theme >= 0 ? theme : null, true);
    }
  }
  watchSoon();
}

// While idle: notice edits made from the command line or another tab, and offer to reload.
function watchSoon() {
  clearTimeout(state.watching);
  state.watching = setTimeout(watch, WATCH_MS);
}

async function watch() {
  clearTimeout(state.watching);
  if (state.busy) return; // poll() follows our own edit and watches again after it
  let s;
  try {
    s = await api("/api/status");
  } catch (err) {
    setStatus("error", "server unreachable");
    watchSoon();
    return;
  }
  if (state.busy) return;
  if (s.state === "updating") {
    setStatus("updating", "updating — an edit made elsewhere…");
  } else if (s.version !== state.data.run.version) {
    setStale(true);
  } else if (!state.stale) {
    setStatus("idle", "up to date");
  }
  watchSoon();
}

function setStale(stale) {
  state.stale = stale;
  $("#stale").hidden = !stale;
  if (stale) setStatus("stale", "changed elsewhere — reload");
}

async function reload() {
  try {
    await load();
  } catch (err) {
    showError(err.message);
    return;
  }
  setStale(false);
  setStatus("idle", "up to date");
  showError("");
  watch(); // at once: still changing?
}

// ---------------------------------------------------------------------------- rendering

function render() {
  const kept = typedInputs();
  const d = state.data;
  $("#run-name").textContent = d.run.name;
  const sampled = d.run.units_shown < d.run.units_total ? ` (map shows ${d.run.units_shown})` : "";
  const grouped = d.groups.length ? ` in ${d.groups.length} groups` : "";
  $("#group-hint").hidden = !d.groups.length;
  $("#counts").textContent = `${d.run.units_total} units${sampled} · ` +
    `${d.themes.length} themes${grouped} · ${d.run.unclustered} unclustered · ` +
    `${d.segments.length} segments · ${d.run.respondents} respondents`;
  const ids = new Set(d.themes.map((t) => t.theme_id));
  state.pickedThemes = new Set([...state.pickedThemes].filter((t) => ids.has(t)));
  if (!ids.has(state.active)) state.active = null;
  if (!d.groups.some((g) => g.group === state.activeGroup)) state.activeGroup = null;
  state.pickedSegments.clear();
  state.unitRows = new Map(d.units.unit_id.map((id, i) => [id, i]));
  renderMap();
  renderThemes();
  renderSegments();
  renderEdits();
  renderFindThemes();
  if (state.search) find(state.search, 0); // themes may have moved: list the answers afresh
  renderUnit();
  paint(false);
  restoreInputs(kept);
  setBusy(state.busy);
}

function unitIndex() {
  if (state.unitId === null || !state.unitRows) return -1;
  const i = state.unitRows.get(state.unitId);
  return i === undefined ? -1 : i;
}

function renderMap() {
  const u = state.data.units;
  const map = state.data.map;
  const svg = $("#map");
  svg.setAttribute("viewBox", `0 0 ${map.width} ${map.height}`);
  svg.replaceChildren();
  if (!u.x.length) return;
  const r = u.x.length > 3000 ? "2.5" : "4";
  const layers = new Map(); // theme id -> <g> of its dots
  const layer = (theme) => {
    if (!layers.has(theme)) {
      const t = themeById(theme);
      const g = svgEl("g", { class: t && t.hidden ? "dots hid" : "dots", fill: colour(theme) });
      g.dataset.theme = String(theme);
      layers.set(theme, g);
    }
    return layers.get(theme);
  };
  for (let i = 0; i < u.x.length; i++) {
    const c = svgEl("circle", { cx: String(u.x[i]), cy: String(u.y[i]), r });
    c.dataset.i = String(i);
    layer(u.theme_id[i]).append(c);
  }
  // unclustered first, so themed points draw on top
  const order = [...layers.keys()].sort((a, b) => (a < 0 ? -1 : 0) - (b < 0 ? -1 : 0) || a - b);
  svg.append(...order.map((t) => layers.get(t)));
  const names = svgEl("g", { class: "names" });
  for (const { theme_id: theme, x, y, name } of map.names) {
    const t = themeById(theme);
    const text = svgEl("text", { x: String(x), y: String(y),
      class: t && t.hidden ? "name hid" : "name" });
    text.dataset.theme = String(theme);
    text.textContent = name;
    names.append(text);
  }
  const ring = svgEl("circle", { id: "ring", r: "9", cx: "0", cy: "0" });
  ring.style.display = "none";
  svg.append(names, ring);
}

function tipText(i) {
  const u = state.data.units;
  return `${themeName(themeById(u.theme_id[i]))}\n\n${u.text[i]}\n\n— ${u.source[i]} ${u.locator[i]}`;
}

function setupMap() {
  const svg = $("#map");
  const tip = $("#tip");
  svg.addEventListener("mousemove", (ev) => {
    const c = ev.target.closest("circle[data-i]");
    if (!c) { tip.hidden = true; return; }
    tip.textContent = tipText(Number(c.dataset.i));
    const box = $("#map-box").getBoundingClientRect();
    let left = ev.clientX - box.left + 12;
    if (left > box.width - 370) left = Math.max(0, ev.clientX - box.left - 372);
    tip.style.left = `${left}px`;
    tip.style.top = `${ev.clientY - box.top + 12}px`;
    tip.hidden = false;
  });
  svg.addEventListener("mouseleave", () => { tip.hidden = true; });
  svg.addEventListener("click", (ev) => {
    const c = ev.target.closest("circle[data-i]");
    if (!c) { highlight(null, false); return; }
    const i = Number(c.dataset.i);
    state.unitId = state.data.units.unit_id[i];
    renderUnit();
    const theme = state.data.units.theme_id[i];
    highlight(theme >= 0 ? theme : null, true);
  });
}

// The themes picked out on the map: one theme, a group's themes, or none (all shown).
function focused() {
  if (state.active !== null) return new Set([state.active]);
  const g = state.data.groups.find((grp) => grp.group === state.activeGroup);
  return g ? new Set(g.themes) : null;
}

function highlight(themeId, scroll) {
  state.active = themeId;
  state.activeGroup = null;
  paint(scroll);
}

function highlightGroup(key) {
  state.active = null;
  state.activeGroup = key;
  paint(false);
}

function paint(scroll) {
  const on = focused();
  $("#map").classList.toggle("focused", on !== null);
  for (const node of $$("#map g.dots, #map text.name")) {
    node.classList.toggle("dim", on !== null && !on.has(Number(node.dataset.theme)));
  }
  const ring = $("#ring");
  const i = unitIndex();
  const dot = i >= 0 ? $(`#map circle[data-i="${i}"]`) : null;
  for (const c of $$("#map circle.sel")) c.classList.remove("sel");
  if (dot) {
    dot.classList.add("sel");
    ring.setAttribute("cx", dot.getAttribute("cx"));
    ring.setAttribute("cy", dot.getAttribute("cy"));
  }
  if (ring) ring.style.display = dot ? "" : "none";
  for (const group of $$("#themes details.group")) {
    group.classList.toggle("active", group.dataset.group === state.activeGroup);
  }
  for (const card of $$(".theme")) {
    const active = Number(card.dataset.theme) === state.active;
    card.classList.toggle("active", active);
    if (active && scroll) {
      const group = card.closest("details.group");
      if (group && !group.open) {
        group.open = true;
        state.openGroups.add(group.dataset.group);
      }
      card.scrollIntoView({ block: "nearest" });
    }
  }
}

// The open unit: a dot on the map, or an answer listed under "Find answers".
function openUnit() {
  const u = state.data.units;
  const i = unitIndex();
  if (i >= 0) return { text: u.text[i], source: u.source[i], locator: u.locator[i], theme_id: u.theme_id[i] };
  return state.found.get(state.unitId) || null;
}

function renderUnit() {
  const box = $("#unit-box");
  const unit = state.unitId === null ? null : openUnit();
  if (!unit) {
    state.unitId = null;
    box.hidden = true;
    return;
  }
  const current = unit.theme_id;
  $("#unit-text").textContent = unit.text;
  $("#unit-source").textContent =
    `— ${unit.source} ${unit.locator} · now in ${themeName(themeById(current))}`;
  const select = $("#unit-target");
  const before = box.dataset.unit === state.unitId ? select.value : "";
  const themeOption = (t) => option(t.theme_id, themeName(t));
  const others = (list) => list.filter((t) => t && t.theme_id !== current);
  const options = [option("", "choose where to move it…")];
  if (current >= 0) options.push(option(-1, "unclustered (no theme)"));
  if (state.data.groups.length) {
    for (const g of state.data.groups) {
      const members = others(g.themes.map(themeById));
      if (!members.length) continue;
      const group = el("optgroup");
      group.label = g.label;
      group.append(...members.map(themeOption));
      options.push(group);
    }
  } else {
    options.push(...others(state.data.themes).map(themeOption));
  }
  select.replaceChildren(...options);
  keepChoice(select, before);
  box.dataset.unit = state.unitId;
  updateMoveButton();
  box.hidden = false;
}

// ---------------------------------------------------------------------------- finding answers

function renderFindThemes() {
  const select = $("#find-theme");
  const before = select.value;
  select.replaceChildren(option("", "any theme"), option(-1, "unclustered"),
    ...state.data.themes.map((t) => option(t.theme_id, themeName(t))));
  keepChoice(select, before);
}

// One page of answers from the server; offset 0 starts the list again.
async function find(search, offset) {
  const params = new URLSearchParams({ q: search.q, offset: String(offset), limit: String(FIND_PAGE) });
  if (search.theme !== "") params.set("theme", search.theme);
  let page;
  try {
    page = await api(`/api/units?${params}`);
  } catch (err) {
    showError(err.message);
    return;
  }
  state.search = search;
  if (offset === 0) state.found = new Map();
  for (const unit of page.units) state.found.set(unit.unit_id, unit);
  const shown = offset + page.units.length;
  $("#find-count").textContent = `${page.total} answer${page.total === 1 ? "" : "s"}` +
    (page.total > shown ? `, ${shown} shown` : "");
  $("#find-count").hidden = false;
  const item = (unit) => {
    const li = el("li", {}, el("span", { class: "quote", text: unit.text }),
      el("span", { class: "source", text: `— ${themeName(themeById(unit.theme_id))} · ${unit.source} ${unit.locator}` }));
    li.addEventListener("click", () => {
      state.unitId = unit.unit_id;
      renderUnit();
      highlight(unit.theme_id >= 0 ? unit.theme_id : null, false);
    });
    return li;
  };
  const list = $("#find-results");
  if (offset === 0) list.replaceChildren();
  list.append(...page.units.map(item));
  $("#find-more").hidden = page.total <= shown;
  $("#find-more").onclick = () => find(search, shown);
  if (state.found.has(state.unitId) && unitIndex() < 0) renderUnit(); // its theme, as of now
}

function updateMoveButton() {
  $("#unit-move").dataset.off = $("#unit-target").value === "" ? "1" : "0";
  setBusy(state.busy);
}

function facts(t) {
  const stab = t.stability === null || t.stability === undefined
    ? "stability not measured (edited by hand)" : `stability ${t.stability.toFixed(2)}`;
  return `${t.size} units · ${t.respondents} respondents · ${pct(t.share)} · ${stab}`;
}

function themeCard(t) {
  const card = $("#theme-card").content.firstElementChild.cloneNode(true);
  card.dataset.theme = String(t.theme_id);
  card.style.borderLeftColor = colour(t.theme_id);
  card.classList.toggle("is-hidden", t.hidden);
  $(".swatch", card).style.background = colour(t.theme_id);
  $(".tid", card).textContent = `#${t.theme_id}`;
  $(".label", card).textContent = t.label;
  $(".job", card).textContent = t.job;
  $(".facts", card).textContent = facts(t);
  $(".facts", card).title = t.stability === null || t.stability === undefined
    ? "A theme a person split, merged or moved units into is not re-measured." : STABILITY;
  $(".keywords", card).textContent = t.keywords.length ? `keywords: ${t.keywords.join(", ")}` : "";
  const quote = (q) => el("li", {}, el("span", { class: "quote", text: q.text }),
    el("span", { class: "source", text: `— ${q.source} ${q.locator}` }));
  $(".quotes", card).replaceChildren(...t.quotes.slice(0, SHOWN_QUOTES).map(quote));
  const more = t.quotes.slice(SHOWN_QUOTES);
  $(".quotes-more", card).replaceChildren(...more.map(quote));
  $(".quotes-more", card).start = SHOWN_QUOTES + 1;
  $("summary", card).textContent = `${more.length} more quote${more.length === 1 ? "" : "s"}`;
  $(".more", card).hidden = !more.length;
  const pick = $(".pick", card);
  pick.checked = state.pickedThemes.has(t.theme_id);
  pick.addEventListener("click", (ev) => ev.stopPropagation());
  pick.addEventListener("change", () => {
    if (pick.checked) state.pickedThemes.add(t.theme_id);
    else state.pickedThemes.delete(t.theme_id);
    updateMergeButtons();
  });
  $(".theme-head", card).addEventListener("click", () =>
    highlight(state.active === t.theme_id ? null : t.theme_id, false));
  $(".rename", card).addEventListener("click", () => openEditor(card, "label", t.label));
  $(".edit-job", card).addEventListener("click", () => openEditor(card, "job", t.job));
  $(".split", card).addEventListener("click", () => {
    const parts = Number($(".parts", card).value) || 2;
    askFirst(card, `Split '${t.label}' (${t.size} units) into ${parts} themes? Its units are ` +
      `re-clustered into ${parts} parts; Undo under Saved edits takes it back.`,
    `Split in ${parts}`, () => postEdit({ op: "split_theme", theme: t.theme_id, parts }));
  });
  $(".answers", card).addEventListener("click", () => {
    $("#find-q").value = "";
    $("#find-theme").value = String(t.theme_id);
    find({ q: "", theme: String(t.theme_id) }, 0);
    $("#find-pane").scrollIntoView({ block: "start" });
  });
  const hide = $(".hide", card);
  hide.textContent = t.hidden ? "Show" : "Hide";
  hide.addEventListener("click", () => {
    if (t.hidden) {
      postEdit({ op: "show_theme", theme: t.theme_id });
      return;
    }
    askFirst(card, `Hide '${t.label}'? Its ${t.size} units stay on the map in grey, but it ` +
      "leaves the segments and the report; Show brings it back.",
    "Hide", () => postEdit({ op: "hide_theme", theme: t.theme_id }));
  });
  return card;
}

function renderThemes() {
  const list = $("#themes");
  const showHidden = $("#show-hidden").checked;
  const cards = new Map();
  for (const t of state.data.themes) {
    if (!t.hidden || showHidden) cards.set(t.theme_id, themeCard(t));
  }
  const groups = state.data.groups;
  if (!groups.length) {
    list.replaceChildren(...cards.values());
  } else {
    list.replaceChildren(...groups.map((g) => groupSection(g, cards)));
  }
  updateMergeButtons();
}

// A group: a line with its colour, name and size that opens to its themes (and picks the
// group out on the map).
function groupSection(g, cards) {
  const details = el("details", { class: "group" });
  details.dataset.group = g.group;
  details.open = state.openGroups.has(g.group);
  const hidden = g.themes.filter((id) => (themeById(id) || {}).hidden).length;
  const summary = el("summary", {},
    el("span", { class: "swatch" }),
    el("span", { class: "group-label", text: g.label }),
    el("span", { class: "group-facts",
      text: `${g.themes.length} theme${g.themes.length === 1 ? "" : "s"} · ${g.size} units` +
        `${hidden ? ` · ${hidden} hidden` : ""}` }));
  $(".swatch", summary).style.background = g.colour;
  summary.addEventListener("click", () => {
    if (!details.open) { // about to open: pick the group out on the map
      highlightGroup(g.group);
    } else {
      const on = focused();
      if (on && g.themes.some((t) => on.has(t))) highlight(null, false);
    }
  });
  details.addEventListener("toggle", () => {
    if (details.open) state.openGroups.add(g.group);
    else state.openGroups.delete(g.group);
  });
  const inner = el("div", { class: "group-themes" });
  inner.append(...g.themes.filter((id) => cards.has(id)).map((id) => cards.get(id)));
  details.append(summary, inner);
  return details;
}

// Split and hide ask first, in the card itself.
function askFirst(card, text, yes, action) {
  const box = $(".confirm", card);
  $(".confirm-text", box).textContent = text;
  const ok = $(".confirm-yes", box);
  ok.textContent = yes;
  ok.onclick = async () => {
    if (await action()) box.hidden = true;
  };
  $(".confirm-no", box).onclick = () => { box.hidden = true; };
  box.onkeydown = (ev) => { if (ev.key === "Escape") box.hidden = true; };
  box.hidden = false;
  ok.focus();
}

function openEditor(card, field, value) {
  const form = $(".editor", card);
  const input = $(".editor-input", card);
  const theme = Number(card.dataset.theme);
  form.dataset.field = field;
  input.value = value;
  form.hidden = false;
  input.focus();
  input.select();
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (!v) return;
    const body = field === "label" ? { op: "rename_theme", theme, label: v }
      : { op: "set_job", theme, job: v };
    if (await postEdit(body)) form.hidden = true;
  };
  input.onkeydown = (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
    if (ev.key === "Escape") form.hidden = true;
  };
  $(".cancel", card).onclick = () => { form.hidden = true; };
}

// What a person has typed into open editors survives a re-render (after a refresh or a
// reload), so an edit elsewhere never throws away a half-written name.
function typedInputs() {
  const kept = [];
  const active = document.activeElement;
  for (const form of $$("#themes .editor")) {
    if (form.hidden) continue;
    const input = $(".editor-input", form);
    kept.push({ theme: Number(form.closest(".theme").dataset.theme), field: form.dataset.field,
      value: input.value, focus: input === active });
  }
  for (const input of $$("#themes .parts")) {
    if (input.value !== input.defaultValue) {
      kept.push({ theme: Number(input.closest(".theme").dataset.theme), parts: input.value });
    }
  }
  for (const input of $$("#segments .seg-input")) {
    if (input.form.dataset.done === "1") continue;
    kept.push({ segment: Number(input.closest("tr").dataset.segment), value: input.value,
      focus: input === active });
  }
  return kept;
}

function restoreInputs(kept) {
  let focus = null;
  for (const k of kept) {
    let input = null;
    if (k.segment !== undefined) {
      const row = $(`#segments tr[data-segment="${k.segment}"]`);
      const s = state.data.segments.find((seg) => seg.segment_id === k.segment);
      if (row && s) input = renameSegment(row.children[1], s, k.value);
    } else {
      const card = $(`#themes .theme[data-theme="${k.theme}"]`);
      if (!card) continue;
      const group = card.closest("details.group");
      if (group && !group.open) {
        group.open = true;
        state.openGroups.add(group.dataset.group);
      }
      if (k.parts !== undefined) {
        $(".parts", card).value = k.parts;
        continue;
      }
      openEditor(card, k.field, k.value);
      input = $(".editor-input", card);
    }
    if (!input) continue;
    input.setSelectionRange(input.value.length, input.value.length);
    input.blur();
    if (k.focus) focus = input;
  }
  if (focus) focus.focus();
}

function updateMergeButtons() {
  const mt = $("#merge-themes");
  mt.dataset.off = state.pickedThemes.size < 2 ? "1" : "0";
  mt.textContent = `Merge selected themes (${state.pickedThemes.size})`;
  const ms = $("#merge-segments");
  ms.dataset.off = state.pickedSegments.size < 2 ? "1" : "0";
  ms.textContent = `Merge selected segments (${state.pickedSegments.size})`;
  setBusy(state.busy);
}

function verdictCell(c) {
  if (!c.verdict) return el("td", { text: "–" });
  const td = el("td", {},
    el("span", { class: `verdict ${c.verdict}`, text: c.verdict }),
    el("span", { class: "shown", text: c.shown || "" }));
  if (c.reason) td.title = c.reason;
  return td;
}

// The criteria columns, in the server's order, before the last (action) column.
function renderSegmentHead() {
  const head = $("#segments-head");
  for (const th of $$("th.criterion", head)) th.remove();
  const last = head.lastElementChild;
  for (const name of state.data.criteria) {
    last.before(el("th", { class: "criterion", text: name[0].toUpperCase() + name.slice(1) }));
  }
}

function renderSegments() {
  renderSegmentHead();
  const body = $("#segments tbody");
  const rows = state.data.segments.map((s) => {
    const pick = el("input", { type: "checkbox", class: "pick", title: "select for merging" });
    pick.addEventListener("change", () => {
      if (pick.checked) state.pickedSegments.add(s.segment_id);
      else state.pickedSegments.delete(s.segment_id);
      updateMergeButtons();
    });
    const themes = s.themes.map((t) => `${t.theme_id}: ${t.label}`).join("; ");
    const nameCell = el("td", {},
      el("span", { class: "seg-name", text: `${s.segment_id}. ${s.name}` }),
      el("span", { class: "seg-sub", text: themes ? `sets apart: ${themes}` : "" }),
      el("span", { class: "seg-sub stability", text: s.stability == null ? ""
        : `stability ${s.stability.toFixed(2)} — how closely this segment is found again when `
          + "people are re-segmented on random resamples (0.75 or more: it holds)" }));
    if (s.summary) nameCell.title = s.summary;
    const rename = el("button", { class: "act seg-rename", text: "Rename" });
    rename.addEventListener("click", () => renameSegment(nameCell, s, s.name));
    const row = el("tr", {}, el("td", {}, pick), nameCell,
      el("td", { class: "num", text: String(s.size) }), el("td", { class: "num", text: pct(s.share) }),

      ...state.data.criteria.map((name) => verdictCell(s.criteria.find((c) => c.name === name) || {})),
      el("td", {}, rename));
    row.dataset.segment = String(s.segment_id);
    return row;
  });
  body.replaceChildren(...rows);
}

function renameSegment(cell, s, value) {
  const input = el("input", { type: "text", class: "seg-input" });
  input.value = value;
  const form = el("form", { class: "editor" }, input,
    el("button", { type: "submit", class: "act save", text: "Save" }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = input.value.trim();
    if (name && await postEdit({ op: "rename_segment", segment: s.segment_id, name })) {
      form.dataset.done = "1";
    }
  });
  cell.replaceChildren(form);
  input.focus();
  return input;
}

// Newest first, each with an undo button; an edit that no longer applies says so.
function renderEdits() {
  const { saved, outcomes, moves } = state.data.edits;
  $("#moves").replaceChildren(...moves.map((m) => el("li", { text: m })));
  const gone = new Set(outcomes.filter((o) => !o.applied).map((o) => o.edit));
  const items = saved.map((e) => {
    const undo = el("button", { class: "act undo", type: "button", text: "Undo" });
    undo.addEventListener("click", () => postEdit({ op: "undo", number: e.number }));
    const note = gone.has(e.text) ? " — no longer applies (its theme is gone)" : "";
    return el("li", { class: note ? "bad" : "ok" },
      el("span", { text: `${e.text}${note}` }), el("small", { text: ` ${e.at} ` }), undo);
  });
  if (!items.length) items.push(el("li", { text: "none yet" }));
  $("#edits").replaceChildren(...items);
}

// ---------------------------------------------------------------------------- start

function setup() {
  setupMap();
  $("#reload").addEventListener("click", reload);
  $("#show-hidden").addEventListener("change", () => { renderThemes(); paint(false); });
  $("#merge-themes").addEventListener("click", async () => {
    if (state.pickedThemes.size >= 2 &&
        await postEdit({ op: "merge_themes", themes: [...state.pickedThemes] })) {
      state.pickedThemes.clear();
    }
  });
  $("#merge-segments").addEventListener("click", () => {
    if (state.pickedSegments.size >= 2) {
      postEdit({ op: "merge_segments", segments: [...state.pickedSegments] });
    }
  });
  $("#find").addEventListener("submit", (ev) => {
    ev.preventDefault();
    find({ q: $("#find-q").value, theme: $("#find-theme").value }, 0);
  });
  $("#unit-target").addEventListener("change", updateMoveButton);
  $("#unit-move").addEventListener("click", async () => {
    const target = $("#unit-target").value;
    if (target === "" || state.unitId === null) return;
    state.follow = true;
    if (!await postEdit({ op: "move_unit", unit_id: state.unitId, theme: Number(target) })) {
      state.follow = false;
    }
  });
  $("#unit-close").addEventListener("click", () => {
    state.unitId = null;
    renderUnit();
    paint(false);
  });
  poll();
}

document.addEventListener("DOMContentLoaded", setup);
