// quizgen: the start form of a live session. Sends the browser's time zone with
// the homework deadline and offers "in 20 minutes". Without this file the
// server reads the deadline in its own zone, which the form names.
"use strict";

(() => {
  const form = document.getElementById("live-start");
  if (!form) return;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (err) {
    zone = "";
  }
  const field = form.querySelector("#live-tz");
  const shown = form.querySelector("#live-tz-name");
  if (zone && field) {
    field.value = zone;
    if (shown) shown.textContent = zone;
  }
  const input = form.querySelector("#live-deadline");
  const pad = (n) => String(n).padStart(2, "0");
  const local = (t) =>
    `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
  for (const button of form.querySelectorAll("button[data-deadline-in]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const minutes = Number(button.dataset.deadlineIn);
      // rounded up to the next minute, so "in 20 minutes" is never 19
      input.value = local(new Date(Date.now() + minutes * 60000 + 59999));
    });
  }
})();
