// quizgen live quiz: polls a small version number and swaps in fresh panels.
// Every form also works without this file (plain POST and redirect).
"use strict";

(() => {
  const token = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // countdowns: [data-remaining-ms] elements count down from when they appeared
  const clocks = () => {
    for (const el of document.querySelectorAll("[data-remaining-ms]")) {
      if (!el.dataset.endsAt) {
        el.dataset.endsAt = String(Date.now() + Number(el.dataset.remainingMs));
      }
      const left = Math.max(0, Number(el.dataset.endsAt) - Date.now());
      const s = Math.ceil(left / 1000);
      const clock = el.querySelector(".clock");
      if (clock) clock.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
      if (left === 0 && !el.classList.contains("up")) {
        el.classList.add("up");
        const label = el.querySelector(".label");
        if (label && el.dataset.up) label.textContent = el.dataset.up;
        for (const b of document.querySelectorAll("form[data-answer] button")) b.disabled = true;
        // the teacher chose "reveal when time is up": the projector does it
        const host = document.getElementById("live-host");
        if (host && host.dataset.autoReveal === "1" && !host.dataset.revealing) {
          host.dataset.revealing = "1";
          setTimeout(() => document.getElementById("reveal")?.click(), 700);
        }
      }
    }
  };
  setInterval(clocks, 250);

  // a deadline: <time datetime="…Z" data-local> shows UTC; here it becomes the
  // reader's own date, time and zone
  const localTimes = () => {
    let zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (err) {
      return;
    }
    for (const el of document.querySelectorAll("time[data-local]")) {
      const at = new Date(el.getAttribute("datetime"));
      if (Number.isNaN(at.getTime())) continue;
      const text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        weekday: "short", year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", hour12: false,
      }).format(at);
      el.textContent = zone ? `${text} (${zone})` : text;
      el.dataset.zone = zone;
    }
  };
  localTimes();
  // setTimeout takes at most 2^31 - 1 ms (about 24 days)
  const later = (fn, ms) => setTimeout(fn, Math.min(Math.max(0, ms), 2147483647));

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // ---------------------------------------------------------------- student
  const play = document.getElementById("live-play");
  if (play) {
    const panel = document.getElementById("panel");
    const status = document.getElementById("live-status");
    let rev = play.dataset.rev;
    const pollMs = Number(play.dataset.pollMs) || 1000;
    let refreshTimer = null;

    let lastHtml = null;
    const setPanel = (html) => {
      if (html !== lastHtml) {
        lastHtml = html;
        // keep what the student is typing when the same question comes back
        const typing = panel.querySelector("#answer-text");
        const typed = typing ? typing.value : "";
        const focused = typing !== null && document.activeElement === typing;
        const before = panel.querySelector("[data-question]")?.dataset.question;
        panel.innerHTML = html;
        const again = panel.querySelector("#answer-text");
        const after = panel.querySelector("[data-question]")?.dataset.question;
        if (again && typed && before === after) {
          again.value = typed;
          if (focused) again.focus({ preventScroll: true });
        }
        const inner = panel.querySelector("[data-rev]");
        if (inner) rev = inner.dataset.rev;
        clocks();
        localTimes();
        // a text field gets the focus; an option never does (it would look chosen)
        const first = panel.querySelector("form[data-answer] input[type=text], form[data-answer] textarea");
        if (first && document.activeElement === document.body) first.focus({ preventScroll: true });
      }
    };
    const refresh = async () => {
      const r = await fetch(play.dataset.panelUrl, { credentials: "same-origin", cache: "no-store" });
      if (r.ok) setPanel(await r.text());
      // no longer in the session (the teacher removed them): the page leads to the join form
      else if (r.status === 403) location.reload();
      scheduleRefresh();
    };
    // self-paced: fetch the panel again when the deadline passes
    const scheduleRefresh = () => {
      clearTimeout(refreshTimer);
      const el = panel.querySelector("[data-refresh-ms]");
      if (el) refreshTimer = later(refresh, Math.max(1000, Number(el.dataset.refreshMs) + 300));
    };
    scheduleRefresh();

    (async () => {
      for (;;) {
        try {
          const r = await fetch(`${play.dataset.versionUrl}?since=${encodeURIComponent(rev)}`, {
            credentials: "same-origin", cache: "no-store",
          });
          if (r.status === 200) {
            const data = await r.json();
            if (String(data.v) !== String(rev)) {
              rev = String(data.v);
              await refresh();
            }
          }
          status.textContent = "";
        } catch (err) {
          status.textContent = play.dataset.lost || "…";
        }
        await sleep(pollMs);
      }
    })();

    panel.addEventListener("submit", async (event) => {
      const form = event.target.closest("form[data-answer]");
      if (!form) return;
      event.preventDefault();
      const data = new FormData(form);
      const body = { question_id: data.get("question_id") };
      const by = event.submitter;
      if (by && by.name === "choice") body.choice = Number(by.value);
      if (by && by.name === "skip") body.skip = true;
      if (data.has("text") && !body.skip) body.text = data.get("text");
      for (const b of form.querySelectorAll("button")) b.disabled = true;
      try {
        const r = await fetch(play.dataset.answerUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
          body: JSON.stringify(body),
        });
        const result = await r.json();
        if (result.html) {
          setPanel(result.html);
          scheduleRefresh();
        } else await refresh();
        status.textContent = result.message || result.error || "";
      } catch (err) {
        for (const b of form.querySelectorAll("button")) b.disabled = false;
        status.textContent = play.dataset.lost || "…";
      }
    });
  }

  // ---------------------------------------------------------------- teacher
  const host = document.getElementById("live-host");
  if (host) {
    const stats = document.getElementById("stats");
    const rev = host.dataset.rev;
    const pollMs = Number(host.dataset.pollMs) || 1000;
    // homework: when the deadline passes, the page shows results, not controls
    if (host.dataset.reloadMs) later(() => location.reload(), Number(host.dataset.reloadMs) + 500);
    (async () => {
      for (;;) {
        await sleep(pollMs);
        try {
          const v = await fetch(`${host.dataset.versionUrl}?since=${encodeURIComponent(rev)}`, {
            credentials: "same-origin", cache: "no-store",
          });
          if (v.status === 200) {
            const data = await v.json();
            if (String(data.v) !== String(rev)) { location.reload(); return; }
          }
          const r = await fetch(host.dataset.statsUrl, { credentials: "same-origin", cache: "no-store" });
          if (r.ok) {
            const html = await r.text();
            if (stats.dataset.last !== html) {
              stats.dataset.last = html;
              if (stats.innerHTML.trim() !== html.trim()) { stats.innerHTML = html; clocks(); localTimes(); }
            }
          }
        } catch (err) {
          // the next round tries again
        }
      }
    })();
  }

  // teacher's keys: R reveals, N opens the next (or the first) question
  if (host) {
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (event.target.closest("input, textarea, select, [contenteditable]")) return;
      const key = event.key.toLowerCase();
      const button = key === "r" ? document.getElementById("reveal")
        : key === "n" ? (document.getElementById("next") || document.getElementById("open-first"))
        : null;
      if (button) { event.preventDefault(); button.click(); }
    });
  }

  for (const input of document.querySelectorAll("input[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
})();
