// Batch of relevés: polls the status URL and shows "12 / 150", then the download links.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("batch-bar");
  var count = document.getElementById("batch-count");
  var state = document.getElementById("batch-state");
  var error = document.getElementById("batch-error");
  var links = document.getElementById("batch-links");
  var waiting = document.getElementById("batch-waiting");

  function show(s) {
    bar.max = s.total;
    bar.value = s.done;
    count.textContent = s.done + " / " + s.total;
    if (waiting) { waiting.textContent = s.waiting || ""; waiting.hidden = !s.waiting; }
    if (s.state === "done") {
      state.textContent = "terminé" + (s.seconds ? " en " + String(s.seconds).replace(".", ",") + " s" : "");
      document.getElementById("batch-zip").href = s.zip_url;
      document.getElementById("batch-pdf").href = s.pdf_url;
      links.hidden = false;
    } else if (s.state === "error") {
      state.textContent = "échec";
      error.textContent = s.error;
      error.hidden = false;
    } else {
      state.textContent = "en cours…";
    }
    return s.state === "running";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) { if (show(s)) { window.setTimeout(poll, 700); } })
      .catch(function () { state.textContent = "connexion perdue, nouvel essai…"; window.setTimeout(poll, 3000); });
  }
  poll();
}());
