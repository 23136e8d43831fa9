// Building the DOM from data that may be hostile (scraped text): text only ever goes in
// through text nodes, never through innerHTML; links only for http(s) URLs.

const RTL_LANGUAGES = new Set(["ar", "arz", "apc", "acm", "fa", "ur", "he", "ps", "ckb", "sd", "ug", "yi", "dv"]);

/** An element with attributes (strings, set as-is), listeners (on*) and children (text or nodes). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Writing direction for a language code: rtl, ltr, or auto when unknown. */
export function direction(language) {
  if (!language) return "auto";
  return RTL_LANGUAGES.has(String(language).toLowerCase().split(/[-_]/)[0]) ? "rtl" : "ltr";
}

/** A link when the URL is http(s); plain text otherwise (no javascript: or data: links). */
export function safeLink(url, label) {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    return h("span", { dir: "auto" }, label ?? url ?? "");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return h("span", { dir: "auto" }, label ?? url);
  return h("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer", dir: "auto" }, label ?? url);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}
