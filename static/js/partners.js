// Partner pickers: fill each input's <datalist> from the autocomplete as the user types.
// Without this script the same input accepts a name or a SIRET, checked by the server.
(function () {
  "use strict";
  var timers = new WeakMap();
  var lastQuery = new WeakMap();

  function fill(input, results) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (partner) {
      var option = document.createElement("option");
      option.value = partner.value;
      option.label = partner.type + (partner.siret ? " · SIRET " + partner.siret : "");
      list.appendChild(option);
    });
  }

  function lookup(input) {
    var query = input.value.trim();
    if (query.length < 2 || /\(n°\s*\d+\)$/.test(query) || lastQuery.get(input) === query) { return; }
    lastQuery.set(input, query);
    var url = input.getAttribute("data-autocomplete-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) { fill(input, data.results); } })
      .catch(function () { /* the plain input still works */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-autocomplete-url]")) { return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { lookup(input); }, 150));
  });
})();
