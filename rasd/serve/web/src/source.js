// A source document with its evidence: the text split into paragraphs (at line breaks) and
// segments (sentences, embedded posts), each with its own writing direction, so Arabic reads
// right-to-left and English left-to-right in one view; every evidence span is a <mark>
// followed by the name of the field it supports. Offsets from the API count Unicode code
// points, so the text is handled as an array of code points, never as UTF-16 indices.

import { direction, h, safeLink } from "./dom.js";

/** Cut points of the text: span and segment edges, and the edges of each run of line breaks. */
function cutPoints(chars, spans, segments) {
  const cuts = new Set([0, chars.length]);
  for (const item of [...spans, ...segments]) {
    cuts.add(item.start);
    cuts.add(item.end);
  }
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "\n" && (i === 0 || chars[i - 1] !== "\n")) cuts.add(i);
    if (chars[i] === "\n" && (i + 1 === chars.length || chars[i + 1] !== "\n")) cuts.add(i + 1);
  }
  return [...cuts].filter((c) => c >= 0 && c <= chars.length).sort((a, b) => a - b);
}

function spansOf(doc, highlighted) {
  const n = Array.from(doc.text).length;
  const spans = [];
  doc.events.forEach((event, e) => {
    event.spans.forEach((span, s) => {
      if (span.start < span.end && span.end <= n) {
        spans.push({ ...span, key: `${e}-${s}`, mine: highlighted.has(event.id), type: event.type });
      }
    });
  });
  return spans;
}

/** The document text as paragraphs of directed segments with the evidence marked. */
export function documentText(doc, highlighted) {
  const chars = Array.from(doc.text);
  const spans = spansOf(doc, highlighted);
  const segments = [...doc.segments].sort((a, b) => a.start - b.start);
  const container = h("div", { class: "doc-text" });
  let paragraph = null;
  let run = null; // the segment element being filled
  let runSegment;
  const cuts = cutPoints(chars, spans, segments);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = chars.slice(a, b).join("");
    if (piece.startsWith("\n")) {
      paragraph = null;
      continue;
    }
    const segment = segments.find((g) => g.start <= a && b <= g.end) ?? null;
    const language = segment ? segment.language : doc.language;
    if (!paragraph) {
      paragraph = h("p", { dir: direction(language) });
      container.append(paragraph);
      run = null;
    }
    if (!run || runSegment !== segment) {
      run = h("span", { class: `seg ${segment ? `kind-${segment.kind}` : "gap"}`, dir: segment ? direction(language) : "auto" });
      runSegment = segment;
      paragraph.append(run);
    }
    const covering = spans.filter((s) => s.start <= a && b <= s.end);
    if (!covering.length) {
      run.append(piece);
      continue;
    }
    const mine = covering.some((s) => s.mine);
    const fields = [...new Set(covering.map((s) => s.field ?? "evidence"))];
    run.append(h("mark", {
      class: mine ? "ev mine" : "ev other",
      title: `${fields.join(", ")} (${[...new Set(covering.map((s) => s.type))].join(", ")})`,
      dataset: { field: fields.join(" "), span: covering.map((s) => s.key).join(" ") },
    }, piece));
    const ending = covering.filter((s) => s.end === b);
    if (ending.length) {
      run.append(h("span", { class: mine ? "field mine" : "field", dir: "ltr" },
        [...new Set(ending.map((s) => s.field ?? "evidence"))].join(", ")));
    }
  }
  return container;
}

/** The evidence of the highlighted events, field by field; clicking one scrolls to it. */
function evidenceList(doc, highlighted, textElement) {
  const rows = [];
  const seen = new Set();
  doc.events.forEach((event, e) => {
    if (!highlighted.has(event.id)) return;
    event.spans.forEach((span, s) => {
      const key = `${e}-${s}`;
      const same = `${span.start}:${span.end}:${span.field}`;
      if (seen.has(same)) return;
      seen.add(same);
      rows.push(h("li", {},
        h("button", {
          type: "button", class: "evidence",
          onclick: () => {
            const mark = [...textElement.querySelectorAll("mark")].find((m) => m.dataset.span.split(" ").includes(key));
            mark?.scrollIntoView({ block: "center", behavior: "smooth" });
          },
        }, h("span", { class: "field mine", dir: "ltr" }, span.field ?? "evidence"), " ", h("bdi", {}, span.text))));
    });
  });
  if (!rows.length) return null;
  return h("details", { class: "evidence-box", open: rows.length <= 8 },
    h("summary", {}, `Evidence of this incident: ${rows.length} span${rows.length === 1 ? "" : "s"} (click one to find it)`),
    h("ul", { class: "evidence-list" }, rows));
}

export function renderDocument(doc, highlighted) {
  const text = documentText(doc, highlighted);
  const meta = [doc.source, doc.published, doc.language].filter(Boolean).join(" · ");
  return h("article", { class: "document", lang: doc.language ?? "" },
    h("h4", { dir: "auto" }, doc.title ?? doc.input_id ?? doc.id),
    h("p", { class: "meta" }, meta, doc.url ? [" · ", safeLink(doc.url, "original")] : null),
    evidenceList(doc, highlighted, text),
    text);
}
