// An incident in the list, and the incident's details: what, when, where, who, how many,
// and the reports (sources) it was fused from.

import { direction, h } from "./dom.js";
import { typeColour } from "./types.js";

const range = (low, high) => (low == null ? null : high != null && high !== low ? `${low}–${high}` : String(low));

function swatch(type) {
  const dot = h("i", { class: "swatch" });
  dot.style.background = typeColour(type);
  return dot;
}

export function listItem(incident, onSelect) {
  const place = [incident.location_name, incident.country].filter(Boolean).join(", ");
  return h("li", { dataset: { id: incident.id } },
    h("button", { type: "button", class: "incident", onclick: () => onSelect(incident.id) },
      swatch(incident.type),
      h("span", { class: "type" }, incident.type),
      h("span", { class: "date" }, incident.date_start ?? "undated"),
      h("bdi", { class: "place" }, place || "no place"),
      incident.fatalities != null ? h("span", { class: "killed" }, `${range(incident.fatalities, incident.fatalities_max)} killed`) : null,
      h("span", { class: "reports" }, `${incident.n_documents} report${incident.n_documents === 1 ? "" : "s"}`)));
}

function row(label, ...value) {
  const present = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
  return present.length ? [h("dt", {}, label), h("dd", {}, present)] : [];
}

function actor(name, sector, country) {
  if (!name) return null;
  const extra = [sector, country].filter(Boolean).join(", ");
  return [h("bdi", {}, name), extra ? ` (${extra})` : ""];
}

export function incidentDetails(detail) {
  const i = detail.incident;
  const when = i.date_end && i.date_end !== i.date_start ? `${i.date_start} – ${i.date_end}` : i.date_start;
  return h("div", { class: "incident-details" },
    h("h2", {}, swatch(i.type), i.type, i.mode ? ` · ${i.mode}` : ""),
    h("dl", {},
      row("ACLED", [i.acled_event_type, i.acled_sub_event_type].filter(Boolean).join(" / ")),
      row("When", when, i.date_precision && i.date_precision !== "day" ? ` (${i.date_precision})` : ""),
      row("Where", h("bdi", {}, [i.location_name, i.admin1, i.country].filter(Boolean).join(", "))),
      row("Actor 1", actor(i.actor1_name, i.actor1_sector, i.actor1_country)),
      row("Actor 2", actor(i.actor2_name, i.actor2_sector, i.actor2_country)),
      row("Killed", range(i.fatalities, i.fatalities_max)),
      row("Injured", i.injured),
      row("Weapon", i.weapon),
      row("Reports", `${detail.events.length} event${detail.events.length === 1 ? "" : "s"} in ${detail.sources.length} source${detail.sources.length === 1 ? "" : "s"}`)));
}

export function sourceItem(source, onOpen) {
  return h("li", {},
    h("button", {
      type: "button", class: "source", dataset: { document: source.document_id, language: source.language ?? "" },
      onclick: (event) => onOpen(source.document_id, event.currentTarget),
    },
    h("span", { class: "lang", dir: "ltr" }, source.language ?? "?"),
    h("span", { class: "domain" }, source.source),
    source.published ? h("span", { class: "date" }, source.published) : null,
    h("span", { class: "title", dir: direction(source.language) }, source.title ?? source.input_id ?? "(no title)")));
}
