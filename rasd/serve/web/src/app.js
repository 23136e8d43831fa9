// rasd's page: filters -> incidents (API) -> map, timeline and list; an incident -> its
// sources; a source -> its text with the evidence highlighted. Filters live in the URL hash.

import { allIncidents, getJSON } from "./api.js";
import { clear, h } from "./dom.js";
import { incidentDetails, listItem, sourceItem } from "./incident.js";
import { createMap } from "./map.js";
import { renderDocument } from "./source.js";
import { createTimeline } from "./timeline.js";

const LIST_MAX = 500;
const $ = (id) => document.getElementById(id);
const form = $("filters");
const state = { incidents: [], truncated: false, brush: null, highlighted: new Set() };
let map;
let timeline;

function status(message, error = false) {
  $("status").textContent = message;
  $("status").classList.toggle("error", error);
}

function filters() {
  const data = new FormData(form);
  return Object.fromEntries([...data].filter(([, value]) => String(value).trim() !== ""));
}

function setOptions(select, values) {
  const keep = select.value;
  select.replaceChildren(h("option", { value: "" }, "all"), ...values.map((v) => h("option", { value: v }, v)));
  select.value = values.includes(keep) ? keep : "";
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const element of form.elements) {
    if (!element.name || !params.has(element.name)) continue;
    const value = params.get(element.name);
    if (element.tagName === "SELECT" && ![...element.options].some((o) => o.value === value)) {
      element.append(h("option", { value }, value));
    }
    element.value = value;
  }
}

function visible() {
  if (!state.brush) return state.incidents;
  const [first, last] = state.brush;
  return state.incidents.filter((i) => i.date_start && i.date_start >= first && i.date_start <= last);
}

function showIncidents({ fit = false } = {}) {
  const shown = visible();
  const onMap = map.show(shown, { fit });
  const list = clear($("incidents"));
  const sorted = [...shown].sort((a, b) => (b.date_start ?? "").localeCompare(a.date_start ?? ""));
  list.append(...sorted.slice(0, LIST_MAX).map((incident) => listItem(incident, pick)));
  if (sorted.length > LIST_MAX) list.append(h("li", { class: "more" }, `… and ${sorted.length - LIST_MAX} more: narrow the filters`));
  const brushed = state.brush ? ` from ${state.brush[0]} to ${state.brush[1]} (timeline selection)` : "";
  $("list-title").textContent = `Incidents (${shown.length})`;
  status(`${shown.length} incident${shown.length === 1 ? "" : "s"}${brushed}, ${onMap} on the map` +
    (state.truncated ? "; only the first ones were loaded, narrow the filters" : ""));
}

async function load() {
  const current = filters();
  if (current.since && current.until && current.since > current.until) {
    status("“From” is after “To”.", true);
    return;
  }
  history.replaceState(null, "", `#${new URLSearchParams(current)}`);
  status("Loading…");
  document.body.dataset.busy = "loading";
  const { items, truncated } = await allIncidents(current).finally(() => delete document.body.dataset.busy);
  Object.assign(state, { incidents: items, truncated, brush: null });
  timeline.clearSelection();
  const perDay = new Map();
  for (const incident of items) {
    if (incident.date_start) perDay.set(incident.date_start, (perDay.get(incident.date_start) ?? 0) + 1);
  }
  timeline.render(perDay);
  showList();
  showIncidents({ fit: true });
}

function showList() {
  $("incident-view").hidden = true;
  $("list-view").hidden = false;
}

async function select(id) {
  const detail = await getJSON(`incidents/${encodeURIComponent(id)}`);
  state.highlighted = new Set(detail.events.map((e) => e.id));
  $("incident").replaceChildren(incidentDetails(detail));
  $("sources").replaceChildren(...detail.sources.map((source) => sourceItem(source, guard(openSource))));
  $("document").replaceChildren(h("p", { class: "hint" }, "Choose a source to read it with the evidence highlighted."));
  $("list-view").hidden = true;
  $("incident-view").hidden = false;
  $("panel").scrollTop = 0;
  map.focus(id);
}

async function openSource(documentId, button) {
  for (const other of $("sources").querySelectorAll("button")) other.classList.toggle("active", other === button);
  const doc = await getJSON(`documents/${encodeURIComponent(documentId)}`);
  $("document").replaceChildren(renderDocument(doc, state.highlighted));
}

function guard(task) {
  return (...args) => task(...args).catch((error) => status(`Error: ${error?.message ?? error}`, true));
}

const pick = guard(select);

async function start() {
  const [config, stats] = await Promise.all([getJSON("page-config.json"), getJSON("stats")]);
  setOptions($("f-country"), Object.keys(stats.by_country));
  setOptions($("f-type"), Object.keys(stats.by_type));
  readHash();
  map = await createMap($("map"), config, pick);
  timeline = createTimeline($("timeline"), (range) => {
    state.brush = range;
    showIncidents();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    guard(load)();
  });
  form.addEventListener("reset", () => setTimeout(guard(load)));
  $("back").addEventListener("click", showList);
  await load();
}

guard(start)();
