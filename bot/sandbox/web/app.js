// Đôn Đốc sandbox: a small Telegram-like client for the local stand-in. No build step.
"use strict";

const $ = (id) => document.getElementById(id);
// Telegram's limits on what a person sends, in UTF-16 code units (a JavaScript string's length).
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
// The page's words in DONDOC_LANGUAGE: the server puts them in index.html (bot/sandbox/web/server.py).
const TEXT = JSON.parse($("strings").textContent);
const LOCALE = TEXT.locale;

function say(key, params = {}) {
  return TEXT[key].replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

const state = {
  bot: null, personas: [], chats: new Map(), persona: null, current: null,
  replyTo: null, file: null, unread: new Map(), clockOffset: 0, tz: "Asia/Ho_Chi_Minh",
};

// ---------------------------------------------------------------- Telegram HTML, sanitized

const TAGS = {
  B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", BLOCKQUOTE: "blockquote",
};
const DROP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT"]);

// Rebuild the bot's HTML from scratch, keeping only Telegram's tags: nothing else survives.
function sanitize(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  doc.body.childNodes.forEach((n) => out.append(clean(n)));
  return out;
}

function clean(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  const frag = document.createDocumentFragment();
  if (node.nodeType !== Node.ELEMENT_NODE || DROP.has(node.tagName)) return frag;
  let el = null;
  const tag = node.tagName;
  if (TAGS[tag]) {
    el = document.createElement(TAGS[tag]);
  } else if (tag === "A") {
    const href = node.getAttribute("href") || "";
    if (/^tg:\/\/user\?id=\d+$/.test(href)) {
      el = document.createElement("span");
      el.className = "mention";
      el.title = href;
    } else if (/^https?:\/\//i.test(href)) {
      el = document.createElement("a");
      el.href = href;
      el.target = "_blank";
      el.rel = "noopener noreferrer";
    }
  } else if (tag === "TG-SPOILER" || (tag === "SPAN" && node.classList.contains("tg-spoiler"))) {
    el = document.createElement("span");
    el.className = "spoiler";
    el.addEventListener("click", () => el.classList.add("shown"));
  }
  node.childNodes.forEach((c) => (el || frag).append(clean(c)));
  return el || frag;
}

// ---------------------------------------------------------------- talking to the server

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

async function loadState() {
  const s = await api("/api/state");
  state.bot = s.bot;
  state.personas = s.personas;
  $("ward").textContent = s.ward;
  state.chats = new Map(s.chats.map((c) => [c.id, { ...c, messages: new Map(c.messages.map((m) => [m.message_id, m])) }]));
  setClock(s.clock);
  if (!state.persona) {
    const saved = Number(localStorage.getItem("dondoc.persona"));
    state.persona = state.personas.some((p) => p.id === saved) ? saved : state.personas[0].id;
    fillPersonas();
  }
  if (!visibleChats().some((c) => c.id === state.current)) state.current = visibleChats()[0].id;
  renderAll();
}

function onEvent(ev) {
  const chat = state.chats.get(ev.chat_id);
  if (ev.type === "clock") return setClock(ev.clock);
  if (!chat) return;
  if (ev.type === "message" || ev.type === "edit") {
    chat.messages.set(ev.message.message_id, ev.message);
    if (ev.type === "message" && ev.chat_id !== state.current) {
      state.unread.set(ev.chat_id, (state.unread.get(ev.chat_id) || 0) + 1);
    }
    if (ev.type === "message" && ev.chat_id === state.current) autoReply(ev.message);
  } else if (ev.type === "delete") {
    chat.messages.delete(ev.message_id);
  }
  renderChats();
  if (ev.chat_id === state.current) renderMessages();
}

// Live updates; the state is (re)loaded each time the stream (re)opens, so nothing is missed.
// While the stream is down (the sandbox was stopped) EventSource keeps retrying on its own;
// the banner says so instead of leaving a page that silently stopped updating.
function connect() {
  const source = new EventSource("/api/events");
  source.onmessage = (e) => onEvent(JSON.parse(e.data));
  source.onopen = () => {
    $("offline").hidden = true;
    loadState().catch((err) => toast(say("load_failed", { error: err.message }), true));
  };
  source.onerror = () => { $("offline").hidden = false; };
}

// ---------------------------------------------------------------- rendering

// As in Telegram: the groups the persona is a member of, and their own chat with the bot.
function visibleChats() {
  return [...state.chats.values()].filter((c) => c.members.includes(state.persona));
}

function chatTitle(chat) {
  return chat.type === "private" ? say("private", { bot: chat.title }) : chat.title;
}

function renderAll() {
  renderChats();
  renderMessages();
}

function renderChats() {
  const nav = $("chats");
  nav.replaceChildren();
  for (const chat of visibleChats()) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "chat-item" + (chat.id === state.current ? " active" : "");
    item.dataset.chat = chat.id;
    const last = [...chat.messages.values()].pop();
    const title = document.createElement("div");
    title.className = "chat-name";
    title.textContent = chatTitle(chat);
    const preview = document.createElement("div");
    preview.className = "chat-preview";
    preview.textContent = last ? plain(last).slice(0, 70) : say("no_messages");
    item.append(title, preview);
    const unread = state.unread.get(chat.id);
    if (unread) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = unread;
      item.append(badge);
    }
    item.addEventListener("click", () => openChat(chat.id));
    nav.append(item);
  }
}

function plain(m) {
  return m.text || m.caption || (m.document ? `📎 ${m.document.file_name || say("file")}` : m.photo ? say("photo") : "");
}

function senderName(user) {
  if (!user) return "";
  if (state.bot && user.id === state.bot.id) return state.bot.first_name;
  const p = state.personas.find((x) => x.id === user.id);
  return p ? p.name : [user.last_name, user.first_name].filter(Boolean).join(" ");
}

function time(ts) {
  return new Date(ts * 1000).toLocaleTimeString(LOCALE, { timeZone: state.tz, hour: "2-digit", minute: "2-digit" });
}

function renderMessages() {
  const chat = state.chats.get(state.current);
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  $("chat-title").textContent = chatTitle(chat);
  $("chat-sub").textContent = chat.type === "private" ? say("private_of", { name: senderName({ id: state.persona }) }) : say("group");
  box.replaceChildren(...[...chat.messages.values()].map(renderMessage));
  if (atBottom || box.dataset.chat !== String(chat.id)) box.scrollTop = box.scrollHeight;
  box.dataset.chat = chat.id;
}

function renderMessage(m) {
  const fromBot = state.bot && m.from && m.from.id === state.bot.id;
  const el = document.createElement("div");
  el.className = "msg " + (fromBot ? "bot" : m.from && m.from.id === state.persona ? "me" : "other");
  el.dataset.id = m.message_id;
  const who = document.createElement("div");
  who.className = "who";
  who.textContent = senderName(m.from);
  el.append(who);
  if (m.reply_to_message) {
    const quote = document.createElement("div");
    quote.className = "quote";
    quote.textContent = `${senderName(m.reply_to_message.from)}: ${plain(m.reply_to_message).slice(0, 90)}`;
    el.append(quote);
  }
  if (m.photo) el.append(image(m.photo[m.photo.length - 1].file_id));
  if (m.document) {
    if ((m.document.mime_type || "").startsWith("image/")) el.append(image(m.document.file_id));
    const link = document.createElement("a");
    link.className = "doc";
    link.href = `/api/files/${encodeURIComponent(m.document.file_id)}?download=1`;
    link.download = m.document.file_name || "";
    link.textContent = `📎 ${m.document.file_name || say("file")} (${size(m.document.file_size)})`;
    el.append(link);
  }
  const body = document.createElement("div");
  body.className = "body";
  if (m.html) body.append(sanitize(m.html));
  else body.textContent = m.text || m.caption || "";
  el.append(body);
  const markup = m.reply_markup || {};
  if (markup.inline_keyboard) el.append(keyboard(m, markup.inline_keyboard));
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = time(m.date) + (m.edit_date ? say("edited") : "");
  const reply = document.createElement("button");
  reply.type = "button";
  reply.className = "reply" + (markup.force_reply ? " force" : "");
  reply.textContent = say(markup.force_reply ? "reply_force" : "reply");
  reply.addEventListener("click", () => setReply(m));
  meta.append(reply);
  el.append(meta);
  return el;
}

function image(fileId) {
  const img = document.createElement("img");
  img.src = `/api/files/${encodeURIComponent(fileId)}`;
  img.alt = say("photo_alt");
  img.loading = "lazy";
  return img;
}

function size(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;
}

function keyboard(m, rows) {
  const kb = document.createElement("div");
  kb.className = "keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "kb-row";
    for (const b of row) {
      const btn = document.createElement(b.url ? "a" : "button");
      btn.className = "kb-btn";
      btn.textContent = b.text;
      if (b.url) { btn.href = b.url; btn.target = "_blank"; btn.rel = "noopener noreferrer"; }
      else { btn.type = "button"; btn.addEventListener("click", () => press(m, b.callback_data, btn)); }
      line.append(btn);
    }
    kb.append(line);
  }
  return kb;
}

// ---------------------------------------------------------------- actions

async function press(m, data, btn) {
  btn.disabled = true;
  try {
    const { answer } = await api("/api/press", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ chat_id: state.current, message_id: m.message_id, user_id: state.persona, data }),
    });
    if (answer && answer.text) (answer.show_alert ? alertBox : toast)(answer.text);
  } catch (err) {
    toast(err.message, true);
  } finally {
    btn.disabled = false;
  }
}

// The server's refusal (catalog sandbox.too_long), said before anything is sent.
function tooLong(length, limit) {
  return say("too_long", { size: length.toLocaleString(LOCALE), most: limit.toLocaleString(LOCALE) });
}

function countChars() {
  const length = $("text").value.trim().length;
  const limit = state.file ? MAX_CAPTION : MAX_TEXT;
  const count = $("count");
  count.hidden = length < limit * 0.9;
  count.textContent = say("count", { length: length.toLocaleString(LOCALE), limit: limit.toLocaleString(LOCALE) });
  count.classList.toggle("over", length > limit);
}

async function send(event) {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text && !state.file) return;
  const limit = state.file ? MAX_CAPTION : MAX_TEXT;
  if (text.length > limit) {
    toast(tooLong(text.length, limit), true, 10000);
    return;
  }
  const form = new FormData();
  form.set("chat_id", state.current);
  form.set("user_id", state.persona);
  form.set("text", text);
  if (state.replyTo) form.set("reply_to", state.replyTo.message_id);
  if (state.file) form.set("file", state.file);
  try {
    const { message } = await api("/api/send", { method: "POST", body: form });
    state.chats.get(state.current).messages.set(message.message_id, message);
    $("text").value = "";
    setReply(null);
    setFile(null);
    countChars();
    renderMessages();
  } catch (err) {
    toast(err.message, true);
  }
}

async function fastForward() {
  $("ff").disabled = true;
  try {
    const result = await api("/api/fast-forward", { method: "POST" });
    setClock(result.clock);
    alertBox(result.text);
  } catch (err) {
    toast(err.message, true);
  } finally {
    $("ff").disabled = false;
  }
}

// A ForceReply prompt addressed to the current persona: start replying to it, as Telegram does.
function autoReply(m) {
  const html = m.html || "";
  if (m.reply_markup && m.reply_markup.force_reply && html.includes(`tg://user?id=${state.persona}"`)) setReply(m);
}

function setReply(m) {
  state.replyTo = m;
  $("reply-bar").hidden = !m;
  if (m) {
    $("reply-text").textContent = `${senderName(m.from)}: ${plain(m).slice(0, 80)}`;
    $("text").focus();
  }
}

function setFile(file) {
  state.file = file;
  $("file-bar").hidden = !file;
  $("file-name").textContent = file ? file.name : "";
  if (!file) $("file").value = "";
  countChars();
}

function openChat(id) {
  document.body.classList.add("show-chat");  // a phone shows the chat instead of the list
  state.current = id;
  state.unread.delete(id);
  setReply(null);
  localStorage.setItem("dondoc.chat", id);
  renderAll();
}

function setPersona(id) {
  const wasPrivate = state.chats.get(state.current).type === "private";
  state.persona = id;
  localStorage.setItem("dondoc.persona", id);
  state.unread.delete(id);
  setReply(null);
  if (wasPrivate) state.current = id;
  // Not in this group: open the new persona's first chat rather than one they cannot see.
  if (!visibleChats().some((c) => c.id === state.current)) state.current = visibleChats()[0].id;
  renderAll();
}

function fillPersonas() {
  const select = $("persona");
  const groups = [[say("leaders"), true], [say("units"), false]];
  for (const [label, leader] of groups) {
    const group = document.createElement("optgroup");
    group.label = label;
    for (const p of state.personas.filter((x) => x.leader === leader)) {
      group.append(new Option(`${p.name} — ${p.role}`, p.id));
    }
    select.append(group);
  }
  select.value = state.persona;
}

// ---------------------------------------------------------------- clock, toasts, help

function setClock(clock) {
  state.tz = clock.tz;
  state.clockOffset = Date.parse(clock.now) - Date.now();
  tick();
}

function tick() {
  const now = new Date(Date.now() + state.clockOffset);
  $("clock").textContent = now.toLocaleString(LOCALE, {
    timeZone: state.tz, weekday: "long", day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit",
  });
}

let toastTimer = null;
function toast(text, error = false, ms = 4000) {
  const t = $("toast");
  t.textContent = text;
  t.className = error ? "error" : "";
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, ms);
}

function alertBox(text) {
  $("alert-text").textContent = text;
  $("alert").hidden = false;
  $("alert-ok").focus();
}

function init() {
  $("persona").addEventListener("change", (e) => setPersona(Number(e.target.value)));
  $("composer").addEventListener("submit", send);
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) send(e);
  });
  $("text").addEventListener("input", countChars);
  $("back").addEventListener("click", () => document.body.classList.remove("show-chat"));
  $("file").addEventListener("change", (e) => setFile(e.target.files[0] || null));
  $("file-cancel").addEventListener("click", () => setFile(null));
  $("reply-cancel").addEventListener("click", () => setReply(null));
  $("ff").addEventListener("click", fastForward);
  $("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
  $("help-open").addEventListener("click", () => { $("help").hidden = false; });
  $("help-close").addEventListener("click", () => {
    $("help").hidden = true;
    localStorage.setItem("dondoc.help", "seen");
  });
  // Trying a sample command closes the help as its button does, so it is seen too.
  document.querySelectorAll("code.try").forEach((c) => c.addEventListener("click", () => {
    $("text").value = c.textContent;
    $("help").hidden = true;
    localStorage.setItem("dondoc.help", "seen");
    $("text").focus();
  }));
  $("help").hidden = localStorage.getItem("dondoc.help") === "seen";
  const savedChat = Number(localStorage.getItem("dondoc.chat"));
  if (savedChat) state.current = savedChat;
  setInterval(tick, 1000);
  connect();
}

window.dondoc = { sanitize, state };
init();
