// The role picker's list (an anywidget view): roles grouped under their account, favourites and
// recently used roles on top, matches highlighted, driven from the keyboard.
//
// Every keystroke filters in the page, not in the kernel: the whole catalog is in the model
// (ids and names only) and at most `limit` rows are in the DOM, so a keystroke redraws in a
// few milliseconds at thousands of roles, whatever the kernel is doing. The kernel hears the
// query, the selection and which loading accounts are in view (`wanted`, loaded first), and
// two events: pick and favourite. Every value is set as text, never as HTML.

const SECTION_PINNED = "Favourites and recent";

function prepare(accounts) {
  const groups = [];
  const byKey = new Map();
  for (const [id, name, email, roles] of accounts) {
    const hay = `${name} ${id} ${email}`.toLowerCase();
    const group = { id, name: name || id, email, hay, roles: null };
    if (Array.isArray(roles)) {
      group.roles = roles.map((role) => {
        const entry = { name: role, key: `${id}/${role}`, hay: `${hay} ${role.toLowerCase()}`, group };
        byKey.set(entry.key, entry);
        return entry;
      });
    }
    groups.push(group);
  }
  return { groups, byKey };
}

function matches(hay, words) {
  for (const word of words) {
    if (!hay.includes(word)) return false;
  }
  return true;
}

// `text` with every occurrence of the query's words wrapped in <mark>, as DOM nodes.
function highlighted(doc, text, words) {
  const out = doc.createDocumentFragment();
  if (!words.length || !text) {
    out.append(text || "");
    return out;
  }
  const lower = text.toLowerCase();
  const marks = [];
  for (const word of words) {
    let at = lower.indexOf(word);
    while (at !== -1) {
      marks.push([at, at + word.length]);
      at = lower.indexOf(word, at + 1);
    }
  }
  if (!marks.length) {
    out.append(text);
    return out;
  }
  marks.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  let [start, end] = marks[0];
  const flush = () => {
    if (start > pos) out.append(text.slice(pos, start));
    const mark = doc.createElement("mark");
    mark.textContent = text.slice(start, end);
    out.append(mark);
    pos = end;
  };
  for (const [s, e] of marks.slice(1)) {
    if (s <= end) {
      end = Math.max(end, e);
    } else {
      flush();
      [start, end] = [s, e];
    }
  }
  flush();
  if (pos < text.length) out.append(text.slice(pos));
  return out;
}

function plural(n, one, many) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function render({ model, el }) {
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "ipyawssso-rolelist";
  const search = doc.createElement("input");
  search.type = "search";
  search.className = "ipyawssso-rolelist-search";
  search.placeholder = model.get("placeholder");
  search.setAttribute("aria-label", "Search accounts and roles");
  search.autocomplete = "off";
  search.spellcheck = false;
  const count = doc.createElement("div");
  count.className = "ipyawssso-count";
  count.setAttribute("aria-live", "polite");
  const list = doc.createElement("div");
  list.className = "ipyawssso-rolelist-list";
  list.setAttribute("role", "tree");
  list.setAttribute("aria-label", "Accounts and roles");
  list.tabIndex = 0;
  list.style.setProperty("--ipyawssso-rows", String(model.get("rows")));
  root.append(search, count, list);
  el.append(root);

  let data = prepare(model.get("accounts"));
  let pinned = model.get("pinned") || {};
  let flat = []; // what is drawn, in order: {kind, id, key?, group, role?}
  let active = null; // the id of the active row
  let chosen = false; // the person moved to the active row (else the first role is active)
  const toggled = new Map(); // account id -> expanded, for the groups the person toggled
  let lastWanted = "";

  const words = () => search.value.toLowerCase().split(/\s+/).filter(Boolean);

  function expanded(group, searching) {
    if (toggled.has(group.id)) return toggled.get(group.id);
    return searching || data.groups.length <= 10;
  }

  function build() {
    const ws = words();
    const searching = ws.length > 0;
    const limit = model.get("limit");
    const rows = [];
    const seen = new Set();
    for (const kind of ["favourites", "recent"]) {
      for (const key of pinned[kind] || []) {
        const role = data.byKey.get(key);
        if (!role || seen.has(key) || (searching && !matches(role.hay, ws))) continue;
        seen.add(key);
        rows.push({ kind: "pinned", id: `p:${key}`, key, role, group: role.group, star: kind === "favourites" });
      }
    }
    if (rows.length) {
      rows.unshift({ kind: "section", id: "s:pinned", text: SECTION_PINNED });
      rows.push({ kind: "section", id: "s:all", text: "All accounts" });
    }
    const favourites = new Set(pinned.favourites || []);
    let matchesTotal = 0;
    let accountsShown = 0;
    let loadingShown = 0;
    let hidden = 0;
    for (const group of data.groups) {
      let roles = null;
      if (group.roles === null) {
        if (searching && !matches(group.hay, ws)) continue;
        loadingShown += 1;
      } else {
        roles = searching ? group.roles.filter((r) => matches(r.hay, ws)) : group.roles;
        if (!roles.length) continue;
        matchesTotal += roles.length;
      }
      accountsShown += 1;
      if (rows.length >= limit) {
        hidden += roles ? roles.length : 1;
        continue;
      }
      const open = expanded(group, searching);
      rows.push({ kind: "account", id: `a:${group.id}`, group, open, size: roles ? roles.length : null });
      if (!open) continue;
      if (roles === null) {
        rows.push({ kind: "loading", id: `l:${group.id}`, group });
        continue;
      }
      for (const role of roles) {
        if (rows.length >= limit) {
          hidden += 1;
          continue;
        }
        rows.push({ kind: "role", id: `r:${role.key}`, key: role.key, role, group, star: favourites.has(role.key) });
      }
    }
    return { rows, ws, matchesTotal, accountsShown, loadingShown, hidden };
  }

  function countText(result) {
    const total = data.groups.length;
    if (!total) return "";
    let text;
    if (result.ws.length) {
      text = `${plural(result.matchesTotal, "match", "matches")} in ${plural(result.accountsShown - result.loadingShown, "account", "accounts")}`;
      if (result.loadingShown) text += `; ${plural(result.loadingShown, "account", "accounts")} still loading match by name`;
    } else {
      const roles = data.groups.reduce((n, g) => n + (g.roles ? g.roles.length : 0), 0);
      const loading = data.groups.filter((g) => g.roles === null).length;
      text = `${plural(roles, "role", "roles")} in ${plural(total, "account", "accounts")}`;
      if (loading) text += `; ${plural(loading, "account", "accounts")} loading`;
    }
    if (result.hidden) text += `; ${plural(result.hidden, "more row", "more rows")} below, type to narrow`;
    return text;
  }

  function rowNode(row, ws) {
    const node = doc.createElement("div");
    node.id = `${model.model_id || "rl"}-${row.id}`;
    node.dataset.row = row.id;
    node.className = `ipyawssso-rolelist-${row.kind}`;
    if (row.kind === "section") {
      node.textContent = row.text;
      node.setAttribute("role", "presentation");
      return node;
    }
    node.setAttribute("role", "treeitem");
    if (row.kind === "account") {
      node.setAttribute("aria-expanded", String(row.open));
      const chevron = doc.createElement("span");
      chevron.className = "ipyawssso-rolelist-chevron";
      chevron.textContent = row.open ? "▾" : "▸";
      const name = doc.createElement("span");
      name.className = "ipyawssso-rolelist-account-name";
      name.append(highlighted(doc, row.group.name, ws));
      const id = doc.createElement("span");
      id.className = "ipyawssso-rolelist-account-id";
      id.append(highlighted(doc, row.group.id, ws));
      const extra = doc.createElement("span");
      extra.className = "ipyawssso-rolelist-account-extra";
      if (row.group.email) extra.append(highlighted(doc, row.group.email, ws));
      const size = doc.createElement("span");
      size.className = "ipyawssso-rolelist-size";
      size.textContent = row.size === null ? "loading roles…" : plural(row.size, "role", "roles");
      node.append(chevron, name, id, extra, size);
      return node;
    }
    if (row.kind === "loading") {
      node.textContent = "loading roles…";
      node.setAttribute("aria-disabled", "true");
      return node;
    }
    const star = doc.createElement("button");
    star.type = "button";
    star.tabIndex = -1;
    star.className = "ipyawssso-rolelist-star";
    star.textContent = row.star ? "★" : "☆";
    star.title = row.star ? "Remove from favourites (*)" : "Add to favourites (*)";
    star.setAttribute("aria-pressed", String(!!row.star));
    const name = doc.createElement("span");
    name.className = "ipyawssso-rolelist-role-name";
    name.append(highlighted(doc, row.role.name, ws));
    node.append(star, name);
    if (row.kind === "pinned") {
      const where = doc.createElement("span");
      where.className = "ipyawssso-rolelist-where";
      where.append(highlighted(doc, `${row.group.name} · ${row.group.id}`, ws));
      node.append(where);
    }
    return node;
  }

  function selectable(row) {
    return row && row.kind !== "section" && row.kind !== "loading";
  }

  function draw() {
    const result = build();
    flat = result.rows;
    const ws = result.ws;
    const fragment = doc.createDocumentFragment();
    for (const row of flat) fragment.append(rowNode(row, ws));
    list.replaceChildren(fragment);
    count.textContent = countText(result);
    const kept = flat.find((row) => row.id === active && selectable(row));
    // Until the person moves, the active row is the first role: one that loads after an
    // account name was made active takes its place.
    if (!kept || (!chosen && kept.kind === "account")) {
      const selected = model.get("selected");
      const first =
        flat.find((row) => (row.kind === "role" || row.kind === "pinned") && row.key === selected) ||
        flat.find((row) => row.kind === "role" || row.kind === "pinned") ||
        flat.find(selectable);
      active = first ? first.id : null;
    }
    markActive(false);
    announceWanted();
  }

  function activeRow() {
    return flat.find((row) => row.id === active) || null;
  }

  function markActive(scroll) {
    for (const node of list.querySelectorAll("[aria-selected]")) node.removeAttribute("aria-selected");
    const row = activeRow();
    const node = row ? list.querySelector(`[data-row="${CSS.escape(row.id)}"]`) : null;
    if (node) {
      node.setAttribute("aria-selected", "true");
      list.setAttribute("aria-activedescendant", node.id);
      if (scroll) node.scrollIntoView({ block: "nearest" });
    } else {
      list.removeAttribute("aria-activedescendant");
    }
    const key = row && (row.kind === "role" || row.kind === "pinned") ? row.key : "";
    if (model.get("selected") !== key) {
      model.set("selected", key);
      model.save_changes();
      // ipywidgets holds a state update back until the kernel has answered the previous one,
      // and a kernel whose cell waits (a blocking %aws_sso login) may never answer: the
      // selection also travels as a message, which is never held back.
      model.send({ event: "select", key: key });
    }
  }

  // Accounts whose roles are not loaded yet and that the person can see or opened: load first.
  function announceWanted() {
    const visible = model.get("rows");
    const ids = [];
    flat.forEach((row, index) => {
      if (row.group && row.group.roles === null && !ids.includes(row.group.id)) {
        if (index < visible || row.id === active || (row.kind === "account" && toggled.get(row.group.id))) {
          ids.push(row.group.id);
        }
      }
    });
    const text = ids.join(",");
    if (text !== lastWanted) {
      lastWanted = text;
      model.set("wanted", ids);
      model.save_changes();
    }
  }

  function move(delta) {
    const rows = flat.filter(selectable);
    if (!rows.length) return;
    let index = rows.findIndex((row) => row.id === active);
    index = index === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, index + delta));
    active = rows[index].id;
    chosen = true;
    markActive(true);
    announceWanted();
  }

  function toggle(row, open) {
    if (!row || row.kind !== "account") return;
    chosen = true;
    toggled.set(row.group.id, open === undefined ? !row.open : open);
    draw();
    markActive(true);
  }

  function pick(row) {
    if (row && (row.kind === "role" || row.kind === "pinned")) {
      model.send({ event: "pick", key: row.key });
    }
  }

  function favourite(row) {
    if (row && (row.kind === "role" || row.kind === "pinned")) {
      model.send({ event: "favourite", key: row.key });
    }
  }

  search.addEventListener("input", () => {
    model.set("query", search.value);
    model.save_changes();
    active = null; // the first match becomes the active row
    chosen = false;
    draw();
  });
  search.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      list.focus();
      markActive(true);
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      pick(activeRow());
    } else if (event.key === "Escape" && search.value) {
      event.preventDefault();
      search.value = "";
      search.dispatchEvent(new Event("input"));
    }
  });
  list.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const row = activeRow();
    const rows = flat.filter(selectable);
    switch (event.key) {
      case "ArrowDown":
        move(1);
        break;
      case "ArrowUp":
        if (rows.length && rows[0].id === active) {
          search.focus();
        } else {
          move(-1);
        }
        break;
      case "PageDown":
        move(model.get("rows"));
        break;
      case "PageUp":
        move(-model.get("rows"));
        break;
      case "Home":
        move(-flat.length);
        break;
      case "End":
        move(flat.length);
        break;
      case "ArrowRight":
        if (row && row.kind === "account") {
          if (row.open) move(1);
          else toggle(row, true);
        }
        break;
      case "ArrowLeft":
        if (row && row.kind === "account" && row.open) {
          toggle(row, false);
        } else if (row && row.kind === "role") {
          active = `a:${row.group.id}`;
          chosen = true;
          markActive(true);
        }
        break;
      case "Enter":
      case " ":
        if (row && row.kind === "account") toggle(row);
        else if (event.key === "Enter") pick(row);
        break;
      case "*":
        favourite(row);
        break;
      case "Escape":
        search.focus();
        break;
      default:
        // Typing in the list types into the search box (the key lands there).
        if (event.key.length === 1) search.focus();
        return;
    }
    event.preventDefault();
  });
  list.addEventListener("click", (event) => {
    const node = event.target.closest("[data-row]");
    if (!node) return;
    const row = flat.find((r) => r.id === node.dataset.row);
    if (!selectable(row)) return;
    active = row.id;
    chosen = true;
    if (event.target.closest(".ipyawssso-rolelist-star")) {
      favourite(row);
    } else if (row.kind === "account") {
      toggle(row);
      return;
    }
    markActive(false);
    announceWanted();
  });
  list.addEventListener("dblclick", (event) => {
    const node = event.target.closest("[data-row]");
    const row = node && flat.find((r) => r.id === node.dataset.row);
    pick(row);
  });

  const onAccounts = () => {
    data = prepare(model.get("accounts"));
    draw();
  };
  const onPinned = () => {
    pinned = model.get("pinned") || {};
    draw();
  };
  const onQuery = () => {
    if (search.value !== model.get("query")) {
      search.value = model.get("query");
      active = null;
      draw();
    }
  };
  const onSelected = () => {
    const key = model.get("selected");
    const row = activeRow();
    if (key && (!row || row.key !== key)) {
      const role = data.byKey.get(key);
      if (role) toggled.set(role.group.id, true);
      active = `r:${key}`;
      draw();
    }
  };
  model.on("change:accounts", onAccounts);
  model.on("change:pinned", onPinned);
  model.on("change:query", onQuery);
  model.on("change:selected", onSelected);
  model.on("change:limit", draw);
  search.value = model.get("query");
  draw();
  return () => {
    model.off("change:accounts", onAccounts);
    model.off("change:pinned", onPinned);
    model.off("change:query", onQuery);
    model.off("change:selected", onSelected);
    model.off("change:limit", draw);
  };
}

export default { render };
