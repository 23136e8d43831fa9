// The map: country outlines shipped with the page (Natural Earth, from the world-atlas npm
// package) or the user's tile server, and incident markers clustered, coloured by type and
// sized by fatalities. Leaflet (L) and topojson-client (topojson) are loaded by index.html.

import { h } from "./dom.js";
import { radiusFor, typeColour } from "./types.js";

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML; // Leaflet renders attributions as HTML: give it escaped text
}

async function addBaseLayer(map, config) {
  if (config.tile_url) {
    L.tileLayer(config.tile_url, {
      attribution: escapeText(config.tile_attribution ?? ""),
      maxZoom: 18,
    }).addTo(map);
    return;
  }
  const response = await fetch("vendor/countries.json");
  const topology = await response.json();
  const countries = topojson.feature(topology, topology.objects.countries);
  L.geoJSON(countries, {
    interactive: false,
    style: { color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
  }).addTo(map);
  map.attributionControl.addAttribution("Natural Earth");
}

function tooltip(incident) {
  const place = [incident.location_name, incident.country].filter(Boolean).join(", ");
  return h("div", { class: "tip" },
    h("strong", {}, incident.type), " ", incident.date_start ?? "",
    h("div", { dir: "auto" }, place),
    incident.fatalities != null ? h("div", {}, `killed: ${incident.fatalities}`) : null);
}

function legend(types) {
  return h("div", { class: "legend" },
    types.map((type) => h("div", {}, h("i", { class: "swatch", style: `background:${typeColour(type)}` }), type)));
}

export async function createMap(element, config, onSelect) {
  const map = L.map(element, { minZoom: 2, maxZoom: config.tile_url ? 18 : 8, worldCopyJump: true }).setView([31, 40], 4);
  await addBaseLayer(map, config);
  const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true });
  map.addLayer(cluster);
  const legendControl = L.control({ position: "bottomright" });
  let legendElement = h("div");
  legendControl.onAdd = () => legendElement;
  legendControl.addTo(map);
  const markers = new Map();

  function show(incidents, { fit = false } = {}) {
    cluster.clearLayers();
    markers.clear();
    const layers = [];
    for (const incident of incidents) {
      if (incident.lat == null || incident.lon == null) continue;
      const marker = L.circleMarker([incident.lat, incident.lon], {
        radius: radiusFor(incident.fatalities),
        color: "#222", weight: 1, fillColor: typeColour(incident.type), fillOpacity: 0.85,
      });
      marker.bindTooltip(tooltip(incident));
      marker.on("click", () => onSelect(incident.id));
      markers.set(incident.id, marker);
      layers.push(marker);
    }
    cluster.addLayers(layers);
    const types = [...new Set(incidents.map((i) => i.type))].sort();
    const fresh = legend(types);
    legendElement.replaceWith(fresh);
    legendElement = fresh;
    if (fit && layers.length) map.fitBounds(cluster.getBounds().pad(0.3), { maxZoom: 7 });
    return layers.length;
  }

  function focus(id) {
    const marker = markers.get(id);
    if (marker) cluster.zoomToShowLayer(marker, () => marker.openTooltip());
  }

  return { show, focus, invalidate: () => map.invalidateSize() };
}
