// Calls to the rasd HTTP API, on the page's own origin (paths are relative to the page).

export class ApiError extends Error {}

export async function getJSON(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.append(key, value);
  }
  const search = query.toString();
  const url = search ? `${path}?${search}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(body?.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/** Every incident matching the filters, page by page, up to `cap`. */
export async function allIncidents(filters, cap = 10000) {
  const items = [];
  let cursor = null;
  do {
    const page = await getJSON("incidents", { ...filters, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < cap);
  return { items, truncated: Boolean(cursor) };
}
