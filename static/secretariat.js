// Grade entry page: Enter / Tab move down the column of grades, Shift moves up, arrows too.
// Typing a grade clears the absence choice and the reverse; changed rows are counted.
// Loaded as a file (CSP: script-src 'self'), no inline script.
(function () {
  "use strict";
  var form = document.getElementById("saisie-form");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.note-input"));
  var counter = document.getElementById("dirty-count");
  var dirty = false;

  function rowOf(el) { return el.closest("tr"); }
  function selectOf(input) { return rowOf(input).querySelector("select.mark-select"); }
  function initialOf(row) { return row.querySelector("input[name^='initial-']").value; }
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
    if (counter) { counter.textContent = n ? n + " ligne(s) modifiée(s), non enregistrée(s)" : ""; }
  }

  function move(from, step) {
    var i = inputs.indexOf(from) + step;
    if (i >= 0 && i < inputs.length) {
      inputs[i].focus();
      inputs[i].select();
      return true;
    }
    return false;
  }

  inputs.forEach(function (input) {
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || (ev.key === "Tab" && !ev.altKey && !ev.ctrlKey)) {
        var moved = move(input, ev.shiftKey ? -1 : 1);
        if (moved || ev.key === "Enter") { ev.preventDefault(); }
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
  if (inputs.length && !document.querySelector(".row-error input.note-input")) {
    inputs[0].focus();
  } else if (document.querySelector(".row-error input.note-input")) {
    document.querySelector(".row-error input.note-input").focus();
  }
  refresh();
})();
