// The timeline: incidents per day as bars; dragging across it selects a range of days,
// which filters the map and the list (a click without a drag clears the selection).

const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const HEIGHT = 96;
const MARGIN = { left: 34, right: 10, top: 8, bottom: 20 };

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const toDay = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
const toIso = (day) => new Date(day * DAY).toISOString().slice(0, 10);

export function createTimeline(element, onBrush) {
  let counts = new Map();
  let selection = null; // [firstDay, lastDay] as day numbers
  let scale = null;

  function render(newCounts = counts) {
    counts = newCounts;
    element.replaceChildren();
    const width = Math.max(200, element.clientWidth);
    const root = svg("svg", { width, height: HEIGHT, role: "img" });
    element.append(root);
    const days = [...counts.keys()].map(toDay).sort((a, b) => a - b);
    if (!days.length) {
      root.append(svg("text", { x: width / 2, y: HEIGHT / 2, "text-anchor": "middle", class: "empty" }, "no dated incidents"));
      scale = null;
      return;
    }
    const first = days[0];
    const last = days[days.length - 1] + 1;
    const plot = width - MARGIN.left - MARGIN.right;
    const x = (day) => MARGIN.left + ((day - first) / (last - first)) * plot;
    const top = Math.max(...counts.values());
    const y = (n) => HEIGHT - MARGIN.bottom - (n / top) * (HEIGHT - MARGIN.top - MARGIN.bottom);
    scale = { first, last, x, day: (px) => first + ((px - MARGIN.left) / plot) * (last - first) };
    root.append(svg("text", { x: MARGIN.left - 4, y: MARGIN.top + 8, "text-anchor": "end", class: "axis" }, String(top)));
    for (const [iso, n] of counts) {
      const day = toDay(iso);
      const inside = !selection || (day >= selection[0] && day <= selection[1]);
      const slot = x(day + 1) - x(day);
      const barWidth = Math.min(24, Math.max(1.5, slot - 0.5));
      root.append(svg("rect", {
        x: x(day) + (slot - barWidth) / 2, y: y(n), width: barWidth, height: HEIGHT - MARGIN.bottom - y(n),
        class: inside ? "bar" : "bar out",
      }, undefined));
    }
    const ticks = [...new Set(Array.from({ length: 6 }, (_, i) => Math.round(first + ((last - 1 - first) * i) / 5)))];
    ticks.forEach((day, i) => {
      const anchor = ticks.length === 1 ? "middle" : i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle";
      const at = ticks.length === 1 ? x(day + 0.5) : anchor === "end" ? x(day + 1) : x(day);
      root.append(svg("text", { x: at, y: HEIGHT - 5, "text-anchor": anchor, class: "axis" }, toIso(day)));
    });
    root.append(svg("line", { x1: MARGIN.left, x2: width - MARGIN.right, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom, class: "base" }));
    if (selection) {
      const left = x(selection[0]);
      root.append(svg("rect", { x: left, y: MARGIN.top, width: x(selection[1] + 1) - left, height: HEIGHT - MARGIN.top - MARGIN.bottom, class: "brush" }));
    }
    const overlay = svg("rect", { x: MARGIN.left, y: 0, width: plot, height: HEIGHT, class: "overlay" });
    root.append(overlay);
    brushOn(overlay, root);
  }

  function brushOn(overlay, root) {
    let start = null;
    let band = null;
    const px = (event) => event.clientX - root.getBoundingClientRect().left;
    overlay.addEventListener("pointerdown", (event) => {
      start = px(event);
      overlay.setPointerCapture(event.pointerId);
      band = svg("rect", { x: start, y: MARGIN.top, width: 0, height: HEIGHT - MARGIN.top - MARGIN.bottom, class: "brush" });
      root.insertBefore(band, overlay);
    });
    overlay.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const now = px(event);
      band.setAttribute("x", Math.min(start, now));
      band.setAttribute("width", Math.abs(now - start));
    });
    overlay.addEventListener("pointerup", (event) => {
      if (start === null || !scale) return;
      const end = px(event);
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      start = null;
      if (b - a < 3) selection = null;
      else selection = [Math.max(scale.first, Math.floor(scale.day(a))), Math.min(scale.last - 1, Math.ceil(scale.day(b)) - 1)];
      if (selection && selection[1] < selection[0]) selection = null;
      render();
      onBrush(selection ? [toIso(selection[0]), toIso(selection[1])] : null);
    });
  }

  function clearSelection() {
    selection = null;
  }

  let width = 0;
  new ResizeObserver(() => {
    if (element.clientWidth !== width) {
      width = element.clientWidth;
      render();
    }
  }).observe(element);
  return { render, clearSelection };
}
