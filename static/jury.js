/* Jury pages: small progressive enhancements (the pages work without JavaScript).
   Loaded as a file: the CSP allows script-src 'self' only, no inline script. */
(function () {
  "use strict";

  // Filters of the jury table apply as soon as a checkbox or the decision changes.
  var filters = document.getElementById("jury-filters");
  if (filters) {
    filters.querySelectorAll("input[type=checkbox], select").forEach(function (el) {
      el.addEventListener("change", function () { filters.submit(); });
    });
  }

  // The table's filters and sort, carried once by the table (data-kept), follow the links to the
  // students: their page walks the same list (previous / next) and leads back to it.
  var table = document.getElementById("jury-table");
  var kept = table && table.getAttribute("data-kept");
  if (kept) {
    table.querySelectorAll("tbody th a").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href") + kept);
    });
  }

  // Forms carrying data-confirm ask before posting (deliberation).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Decision form: the override fields matter only when "different decision" is chosen.
  var form = document.getElementById("decision-form");
  if (form) {
    var radios = form.querySelectorAll("input[name=choice]");
    var override = document.getElementById("override-fields");
    var reason = form.querySelector("textarea[name=reason]");
    var sync = function () {
      var checked = form.querySelector("input[name=choice]:checked");
      var accepting = !checked || checked.value === "accepter";
      form.classList.toggle("accepting", accepting);
      if (reason) { reason.required = !accepting; }
    };
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    if (override) {
      // Touching an override field selects "different decision".
      override.addEventListener("change", function () {
        var other = form.querySelector("input[name=choice][value=modifier]");
        if (other && !other.checked) { other.checked = true; sync(); }
      });
    }
    sync();
  }
})();
