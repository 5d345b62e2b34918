// Polls the progress of each background job shown on the page once a second; when one is
// done, reloads the page, which then finds the stored result. A failure is shown in place
// (reloading would start the job again). A page may show several jobs (the dashboard waits
// for each indicator computed in the background), and include this script once per job.
(function () {
  "use strict";
  if (window.civicaJobPolling) return;
  window.civicaJobPolling = true;
  function watch(box) {
    var bar = box.querySelector("[data-job-bar]");
    var state = box.querySelector("[data-job-state]");
    var step = box.querySelector("[data-job-step]");
    var error = box.querySelector("[data-job-error]");
    function poll() {
      fetch(box.getAttribute("data-job-status"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          state.textContent = job.status_label;
          step.textContent = job.step || "";
          if (job.percent !== null) { bar.value = job.percent; bar.textContent = job.percent + " %"; }
          if (job.status === "done") { window.location.reload(); return; }
          if (job.status === "failed") {
            error.textContent = job.error;
            error.hidden = false;
            bar.hidden = true;
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 1000);
  }
  function start() { document.querySelectorAll("[data-job-status]").forEach(watch); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
