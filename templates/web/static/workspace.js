// quizgen authoring workspace: select a passage to quote it, pick a cloze term,
// and see the checker's verdict while typing. Every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";

  // ---- the text: a selection inside one paragraph opens a claim form
  const text = document.querySelector(".ws-text[data-claim-url]");
  const bar = document.getElementById("selection-bar");
  if (text && bar) {
    const shown = document.getElementById("selection-text");
    const go = document.getElementById("selection-go");
    const paragraphOf = (node) => {
      const el = node && (node.nodeType === 1 ? node : node.parentElement);
      return el ? el.closest(".ws-para .text") : null;
    };
    const update = () => {
      const sel = window.getSelection();
      const quote = sel ? sel.toString().trim() : "";
      const start = sel && sel.rangeCount ? paragraphOf(sel.anchorNode) : null;
      const end = sel && sel.rangeCount ? paragraphOf(sel.focusNode) : null;
      if (!quote || !start || start !== end) {
        bar.hidden = true;
        return;
      }
      const n = start.closest(".ws-para").dataset.paragraph;
      const url = new URL(text.dataset.claimUrl, window.location.href);
      url.searchParams.set("quote", quote);
      url.searchParams.set("paragraph", n);
      go.href = url.pathname + url.search;
      shown.textContent = `${n}: “${quote}”`;
      bar.hidden = false;
    };
    document.addEventListener("selectionchange", () => {
      clearTimeout(update.pending);
      update.pending = setTimeout(update, 120);
    });
    // Enter on a selection opens the form from the keyboard
    document.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !bar.hidden && event.target === document.body) {
        go.click();
      }
    });
  }

  // ---- the claim form
  const form = document.getElementById("claim-form");
  if (!form) return;

  // the cloze term: words selected in a statement
  const pick = document.getElementById("cloze-pick");
  let chosen = null; // {lang, text}
  for (const lang of ["en", "zh"]) {
    const box = document.getElementById(`statement.${lang}`);
    if (!box) continue;
    const remember = () => {
      const words = box.value.slice(box.selectionStart, box.selectionEnd).trim();
      if (words) chosen = { lang, text: words };
    };
    box.addEventListener("select", remember);
    box.addEventListener("keyup", remember);
    box.addEventListener("mouseup", remember);
  }
  if (pick) {
    pick.hidden = false;
    pick.addEventListener("click", () => {
      if (!chosen) return;
      const target = document.getElementById(`cloze.${chosen.lang}`);
      target.value = chosen.text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  }

  // the checker's verdict as the teacher types (the same check as Save)
  const status = document.getElementById("live-check");
  const showProblems = (result) => {
    for (const old of form.querySelectorAll(".field-error.live")) old.remove();
    for (const p of form.querySelectorAll(".field.invalid")) p.classList.remove("invalid");
    for (const [name, messages] of Object.entries(result.fields || {})) {
      const field = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (!field) continue;
      field.classList.add("invalid");
      for (const old of field.querySelectorAll(".field-error")) old.remove();
      const span = document.createElement("span");
      span.className = "field-error live";
      span.textContent = messages.join(" ");
      field.appendChild(span);
    }
    if (status) status.textContent = result.summary || "";
    // the questions the claim gives, rendered (and escaped) by the server
    const preview = document.getElementById("preview");
    if (preview && result.preview) preview.innerHTML = result.preview;
    for (const [key, items] of Object.entries(result.drafts || {})) {
      const list = form.querySelector(`ul[data-drafts="${CSS.escape(key)}"]`);
      if (!list) continue;
      list.replaceChildren(
        ...items.map((text) => {
          const li = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "draft";
          button.dataset.target = list.dataset.target;
          button.dataset.value = text;
          button.textContent = text;
          li.appendChild(button);
          return li;
        }),
      );
    }
  };

  // a draft fills its field (a wrong option: the first empty one of its language)
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button.draft");
    if (!button) return;
    let target = null;
    const wrong = button.dataset.target.match(/^wrong:(en|zh)$/);
    if (wrong) {
      for (let i = 0; i < 3 && !target; i++) {
        const box = document.getElementById(`facts[0].wrong[${i}].${wrong[1]}`);
        if (box && !box.value.trim()) target = box;
      }
    } else {
      target = document.getElementById(button.dataset.target);
    }
    if (!target) return;
    target.value = button.dataset.value;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  });
  let pending = null;
  form.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const data = new FormData(form);
      data.set("action", "check");
      try {
        const response = await fetch(form.getAttribute("action"), {
          method: "POST",
          headers: { Accept: "application/json", "X-CSRFToken": token },
          body: data,
          credentials: "same-origin",
        });
        showProblems(await response.json());
      } catch (err) {
        // the buttons still check on the server
      }
    }, 500);
  });
});
