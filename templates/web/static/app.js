// quizgen web: small enhancements; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";

  // the bank picker opens the chosen bank at once
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }

  // the short link selects itself for copying
  for (const input of document.querySelectorAll("input[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }

  // the builder counts the questions its choices allow, as they change
  const form = document.getElementById("builder");
  const out = document.getElementById("available");
  if (form && out && form.dataset.countUrl) {
    let pending = null;
    const update = async () => {
      const data = new FormData(form);
      const body = {
        topics: data.getAll("topics"),
        kinds: data.getAll("kinds"),
        difficulty: data.getAll("difficulty"),
        lang: data.get("lang"),
        count: data.get("count"),
        seed: data.get("seed"),
        versions: data.get("versions"),
        open_blanks: data.get("open_blanks") === "1",
      };
      try {
        const response = await fetch(form.dataset.countUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify(body),
          credentials: "same-origin",
        });
        const result = await response.json();
        out.textContent = result.message || result.error || "";
      } catch (err) {
        // keep the last count; the Count button still works
      }
    };
    form.addEventListener("change", () => {
      clearTimeout(pending);
      pending = setTimeout(update, 150);
    });
  }
});
