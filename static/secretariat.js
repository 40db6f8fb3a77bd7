// Secretariat pages. Loaded as a file (CSP: script-src 'self'), no inline script.
//
// Grade entry: arriving in a grade cell (click, Tab, Enter) selects its content, so what is typed
// replaces the grade instead of being glued to it ("14,5" into "12,75" gives 14,5). Enter / Tab
// move down the column of grades, Shift moves up, arrows too; Enter on the last row and
// Ctrl+Enter anywhere save. Typing a grade clears the absence choice and the reverse; changed
// rows are counted.
(function () {
  "use strict";
  var form = document.getElementById("saisie-form");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.note-input:not([disabled])"));
  var counter = document.getElementById("dirty-count");
  var dirty = false;

  function rowOf(el) { return el.closest("tr"); }
  function selectOf(input) { return rowOf(input).querySelector("select.mark-select"); }
  function initialOf(row) {
    var initial = row.querySelector("input[name^='initial-']");
    return initial ? initial.value : "";
  }
  function currentOf(row) {
    var sel = row.querySelector("select.mark-select");
    return (sel && sel.value) || row.querySelector("input.note-input").value.trim();
  }
  function norm(text) {
    var t = text.trim().replace(",", ".");
    return /^\d+(\.\d+)?$/.test(t) ? String(parseFloat(t)) : t.toUpperCase();
  }

  function refresh() {
    var n = 0;
    inputs.forEach(function (input) {
      var row = rowOf(input);
      var changed = currentOf(row) !== "" && norm(currentOf(row)) !== norm(initialOf(row));
      row.classList.toggle("row-changed", changed);
      if (changed) { n += 1; }
    });
    dirty = n > 0;
    if (counter) {
      counter.textContent = n === 0 ? "" : n === 1 ? "1 ligne modifiée, non enregistrée"
        : n + " lignes modifiées, non enregistrées";
    }
  }

  function save() {
    dirty = false;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function move(from, step) {
    var i = inputs.indexOf(from) + step;
    if (i >= 0 && i < inputs.length) {
      inputs[i].focus();  // the focus handler selects the content
      return true;
    }
    return false;
  }

  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      save();
    }
  });

  inputs.forEach(function (input) {
    var selectOnMouseUp = false;
    input.addEventListener("focus", function () {
      input.select();
      selectOnMouseUp = true;
    });
    // A click places the caret on mouseup, after focus: keep the whole content selected.
    input.addEventListener("mouseup", function (ev) {
      if (selectOnMouseUp) {
        ev.preventDefault();
        selectOnMouseUp = false;
      }
    });
    input.addEventListener("blur", function () { selectOnMouseUp = false; });
    input.addEventListener("keydown", function (ev) {
      selectOnMouseUp = false;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      if (ev.key === "Enter") {
        ev.preventDefault();
        if (!move(input, ev.shiftKey ? -1 : 1) && !ev.shiftKey) { save(); }
      } else if (ev.key === "Tab") {
        if (move(input, ev.shiftKey ? -1 : 1)) { ev.preventDefault(); }
      } else if (ev.key === "ArrowDown") {
        if (move(input, 1)) { ev.preventDefault(); }
      } else if (ev.key === "ArrowUp") {
        if (move(input, -1)) { ev.preventDefault(); }
      }
    });
    input.addEventListener("input", function () {
      var sel = selectOf(input);
      var text = input.value.trim().toUpperCase();
      if (sel && text !== "") {
        sel.value = (text === "ABI" || text === "ABJ" || text === "ABS") ? text : "";
        if (sel.value) { input.value = ""; }
      }
      refresh();
    });
  });
  Array.prototype.forEach.call(form.querySelectorAll("select.mark-select"), function (sel) {
    sel.addEventListener("change", function () {
      if (sel.value) { rowOf(sel).querySelector("input.note-input").value = ""; }
      refresh();
    });
  });
  window.addEventListener("beforeunload", function (ev) {
    if (dirty) { ev.preventDefault(); ev.returnValue = ""; }
  });
  form.addEventListener("submit", function () { dirty = false; });
  var firstError = document.querySelector(".row-error input.note-input:not([disabled])");
  if (firstError) {
    firstError.focus();
  } else if (inputs.length) {
    inputs[0].focus();
  }
  refresh();
})();

// Absence declaration: the student field completes from the server's search (name or number)
// into its <datalist>; choosing « NOM Prénom (numéro) » sends a value the server reads back.
(function () {
  "use strict";
  var input = document.querySelector("input[data-search][list]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var url = input.getAttribute("data-search");
  var timer = null;
  var last = "";

  function fill(results) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.label;
      list.appendChild(option);
    });
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2 || q === last || /\(\w+\)$/.test(q)) { return; }
    last = q;
    fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === q) { fill(data.results || []); } })
      .catch(function () { /* the server still finds a number or a unique name on submit */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
})();
