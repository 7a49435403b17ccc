// voc review page. Customer text is only ever put on the page with textContent (never as HTML),
// and the server's Content-Security-Policy forbids inline script, so a quote cannot run code.
"use strict";

const NOISE_COLOUR = "#c8c8c8";
const SVG_NS = "http://www.w3.org/2000/svg";
const W = 900, H = 620, PAD = 14;
const SHOWN_QUOTES = 2;
const CRITERIA = ["identifiable", "substantial", "accessible", "differentiable", "actionable"];

const state = { data: null, active: null, unit: null, pickedThemes: new Set(),
  pickedSegments: new Set(), busy: false };

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

// Each theme's colour comes from the server (voc.mapview.theme_colours): distinct however many
// themes there are, shades of one hue per group.
function colour(themeId) {
  const theme = themeId < 0 ? null : state.data.themes.find((t) => t.theme_id === themeId);
  return theme ? theme.colour : NOISE_COLOUR;
}

function pct(x) {
  return x === null || x === undefined ? "–" : `${Math.round(x * 1000) / 10}%`;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) throw new Error((data && data.error) || `${res.status} ${res.statusText}`);
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
  state.data = await api("/api/run");
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
    showError(err.message);
    return false;
  }
  setBusy(true);
  setStatus("updating", "saved — updating the run…");
  poll();
  return true;
}

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
  await load();
  setBusy(false);
  if (s.state === "error") {
    setStatus("error", "update failed");
    showError(s.error);
  } else {
    setStatus("idle", "up to date");
  }
}

// ---------------------------------------------------------------------------- rendering

function render() {
  const d = state.data;
  $("#run-name").textContent = d.run.name;
  const sampled = d.run.units_shown < d.run.units_total ? ` (map shows ${d.run.units_shown})` : "";
  $("#counts").textContent = `${d.run.units_total} units${sampled} · ${d.themes.length} themes · ` +
    `${d.run.unclustered} unclustered · ${d.segments.length} segments · ` +
    `${d.run.respondents} respondents`;
  const ids = new Set(d.themes.map((t) => t.theme_id));
  state.pickedThemes = new Set([...state.pickedThemes].filter((t) => ids.has(t)));
  if (!ids.has(state.active)) state.active = null;
  state.pickedSegments.clear();
  renderMap();
  renderThemes();
  renderSegments();
  renderEdits();
  renderUnit();
  highlight(state.active, false);
  setBusy(state.busy);
}

function themeById(id) {
  return state.data.themes.find((t) => t.theme_id === id);
}

function renderMap() {
  const u = state.data.units;
  const svg = $("#map");
  svg.replaceChildren();
  if (!u.x.length) return;
  const [x0, x1] = [Math.min(...u.x), Math.max(...u.x)];
  const [y0, y1] = [Math.min(...u.y), Math.max(...u.y)];
  const sx = (v) => PAD + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const sy = (v) => PAD + ((y1 - v) / (y1 - y0 || 1)) * (H - 2 * PAD);
  const hidden = new Set(state.data.themes.filter((t) => t.hidden).map((t) => t.theme_id));
  const frag = document.createDocumentFragment();
  // unclustered first, so themed points draw on top
  const order = u.theme_id.map((t, i) => i).sort((a, b) =>
    (u.theme_id[a] < 0 ? 0 : 1) - (u.theme_id[b] < 0 ? 0 : 1));
  for (const i of order) {
    const c = document.createElementNS(SVG_NS, "circle");
    c.setAttribute("cx", sx(u.x[i]).toFixed(1));
    c.setAttribute("cy", sy(u.y[i]).toFixed(1));
    c.setAttribute("r", u.x.length > 3000 ? "2.5" : "4");
    c.setAttribute("fill", colour(u.theme_id[i]));
    c.dataset.i = String(i);
    c.dataset.theme = String(u.theme_id[i]);
    if (hidden.has(u.theme_id[i])) c.classList.add("hid");
    frag.append(c);
  }
  svg.append(frag);
}

function tipText(i) {
  const u = state.data.units;
  const t = themeById(u.theme_id[i]);
  const name = t ? `${t.theme_id}: ${t.label}` : "unclustered";
  return `${name}\n\n${u.text[i]}\n\n— ${u.source[i]} ${u.locator[i]}`;
}

function setupMap() {
  const svg = $("#map");
  const tip = $("#tip");
  svg.addEventListener("mousemove", (ev) => {
    const c = ev.target.closest("circle");
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
    const c = ev.target.closest("circle");
    if (!c) { highlight(null, false); return; }
    const i = Number(c.dataset.i);
    state.unit = i;
    renderUnit();
    const theme = state.data.units.theme_id[i];
    highlight(theme >= 0 ? theme : null, true);
  });
}

function highlight(themeId, scroll) {
  state.active = themeId;
  for (const c of $$("#map circle")) {
    c.classList.toggle("dim", themeId !== null && Number(c.dataset.theme) !== themeId);
    c.classList.toggle("sel", state.unit !== null && Number(c.dataset.i) === state.unit);
  }
  for (const card of $$(".theme")) {
    const on = Number(card.dataset.theme) === themeId;
    card.classList.toggle("active", on);
    if (on && scroll) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}

function renderUnit() {
  const box = $("#unit-box");
  const u = state.data.units;
  if (state.unit === null || state.unit >= u.unit_id.length) {
    state.unit = null;
    box.hidden = true;
    return;
  }
  const i = state.unit;
  const t = themeById(u.theme_id[i]);
  $("#unit-text").textContent = u.text[i];
  $("#unit-source").textContent =
    `— ${u.source[i]} ${u.locator[i]} · now in ${t ? `${t.theme_id}: ${t.label}` : "unclustered"}`;
  const select = $("#unit-target");
  select.replaceChildren(...state.data.themes
    .filter((th) => th.theme_id !== u.theme_id[i])
    .map((th) => el("option", { value: String(th.theme_id), text: `${th.theme_id}: ${th.label}` })));
  box.hidden = false;
}

function facts(t) {
  const stab = t.stability === null || t.stability === undefined
    ? "stability: edited by hand" : `stability ${t.stability.toFixed(2)}`;
  return `${t.size} units · ${t.respondents} respondents · ${pct(t.share)} · ${stab}`;
}

function renderThemes() {
  const list = $("#themes");
  const showHidden = $("#show-hidden").checked;
  const cards = [];
  for (const t of state.data.themes) {
    if (t.hidden && !showHidden) continue;
    const card = $("#theme-card").content.firstElementChild.cloneNode(true);
    card.dataset.theme = String(t.theme_id);
    card.style.borderLeftColor = colour(t.theme_id);
    card.classList.toggle("is-hidden", t.hidden);
    $(".swatch", card).style.background = colour(t.theme_id);
    $(".tid", card).textContent = `#${t.theme_id}`;
    $(".label", card).textContent = t.label;
    $(".job", card).textContent = t.job;
    $(".facts", card).textContent = facts(t);
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
    $(".rename", card).addEventListener("click", () =>
      openEditor(card, t.label, (label) => postEdit({ op: "rename_theme", theme: t.theme_id, label })));
    $(".edit-job", card).addEventListener("click", () =>
      openEditor(card, t.job, (job) => postEdit({ op: "set_job", theme: t.theme_id, job })));
    $(".split", card).addEventListener("click", () => postEdit(
      { op: "split_theme", theme: t.theme_id, parts: Number($(".parts", card).value) || 2 }));
    const hide = $(".hide", card);
    hide.textContent = t.hidden ? "Show" : "Hide";
    hide.addEventListener("click", () =>
      postEdit({ op: t.hidden ? "show_theme" : "hide_theme", theme: t.theme_id }));
    cards.push(card);
  }
  list.replaceChildren(...cards);
  updateMergeButtons();
}

function openEditor(card, value, save) {
  const form = $(".editor", card);
  const input = $(".editor-input", card);
  input.value = value;
  form.hidden = false;
  input.focus();
  input.select();
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (v) save(v);
  };
  input.onkeydown = (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
    if (ev.key === "Escape") form.hidden = true;
  };
  $(".cancel", card).onclick = () => { form.hidden = true; };
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

function renderSegments() {
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
      el("span", { class: "seg-sub", text: themes ? `sets apart: ${themes}` : "" }));
    if (s.summary) nameCell.title = s.summary;
    const rename = el("button", { class: "act seg-rename", text: "Rename" });
    rename.addEventListener("click", () => renameSegment(nameCell, s));
    const row = el("tr", {}, el("td", {}, pick), nameCell,
      el("td", { class: "num", text: String(s.size) }), el("td", { class: "num", text: pct(s.share) }),
      ...CRITERIA.map((name) => verdictCell(s.criteria.find((c) => c.name === name) || {})),
      el("td", {}, rename));
    row.dataset.segment = String(s.segment_id);
    return row;
  });
  body.replaceChildren(...rows);
}

function renameSegment(cell, s) {
  const input = el("input", { type: "text", class: "seg-input" });
  input.value = s.name;
  const form = el("form", { class: "editor" }, input,
    el("button", { type: "submit", class: "act save", text: "Save" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const name = input.value.trim();
    if (name) postEdit({ op: "rename_segment", segment: s.segment_id, name });
  });
  cell.replaceChildren(form);
  input.focus();
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
  $("#show-hidden").addEventListener("change", () => { renderThemes(); highlight(state.active); });
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
  $("#unit-move").addEventListener("click", () => {
    const u = state.data.units;
    postEdit({ op: "move_unit", unit_id: u.unit_id[state.unit],
      theme: Number($("#unit-target").value) });
  });
  $("#unit-close").addEventListener("click", () => { state.unit = null; renderUnit(); highlight(state.active); });
  poll();
}

document.addEventListener("DOMContentLoaded", setup);
