// Colours of PLOVER event types: violent types warm, protest blue, verbal and cooperative muted.

const COLOURS = {
  ASSAULT: "#d62728", FIGHT: "#8c2d04", PROTEST: "#1f77b4", COERCE: "#ff7f0e",
  MOBILIZE: "#9467bd", THREATEN: "#e377c2", DISAPPROVE: "#7f7f7f", DEMAND: "#bcbd22",
  REJECT: "#8c564b", INVESTIGATE: "#17becf", AID: "#2ca02c", AGREE: "#98df8a",
  CONSULT: "#aec7e8", SUPPORT: "#74c476", SANCTION: "#c49c94", CONCEDE: "#dbdb8d",
  RETREAT: "#c7c7c7", COOPERATE: "#9edae5",
};

export function typeColour(type) {
  if (COLOURS[type]) return COLOURS[type];
  let hash = 0;
  for (const c of String(type)) hash = (hash * 31 + c.codePointAt(0)) % 360;
  return `hsl(${hash}, 45%, 50%)`;
}

/** Marker radius in pixels: grows with the square root of the fatalities. */
export function radiusFor(fatalities) {
  return Math.min(28, 6 + 3 * Math.sqrt(Math.max(0, fatalities ?? 0)));
}
