/* autoalliances site: filter and sort the tables marked data-filter.
   Plain JavaScript, no library. Without it every table is complete and in
   its documented order; the filter box and the sort buttons are added here,
   so a page without JavaScript shows no control that does nothing. */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var given = cell.getAttribute("data-sort");
    return given !== null ? given : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var numeric = a !== "" && b !== "" && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    if (numeric) { return x - y; }
    if (a === b) { return 0; }
    if (a === "") { return 1; }
    if (b === "") { return -1; }
    return a < b ? -1 : 1;
  }

  function setUp(table, n) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var what = table.getAttribute("data-filter") || "rows";

    var box = document.createElement("div");
    box.className = "filter";
    var label = document.createElement("label");
    var id = "_filter-" + n;
    label.setAttribute("for", id);
    label.textContent = "Filter " + what + " ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("autocomplete", "off");
    var status = document.createElement("span");
    status.className = "count";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    table.parentNode.insertBefore(box, table);

    function count(shown) {
      status.textContent = " " + shown + " of " + rows.length + " " + what + " shown";
    }

    input.addEventListener("input", function () {
      var wanted = words(input.value);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = wanted.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count(shown);
    });
    count(rows.length);

    var head = table.tHead && table.tHead.rows[0];
    if (!head) { return; }
    Array.prototype.forEach.call(head.cells, function (th, index) {
      if (th.hasAttribute("data-nosort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var order = current === "ascending" ? "descending" : current === "descending" ? "none" : "ascending";
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        var sorted = original.slice();
        if (order !== "none") {
          th.setAttribute("aria-sort", order);
          sorted.sort(function (a, b) {
            var c = compare(sortValue(a, index), sortValue(b, index));
            if (c === 0) { return original.indexOf(a) - original.indexOf(b); }
            return order === "ascending" ? c : -c;
          });
        }
        sorted.forEach(function (row) { body.appendChild(row); });
        rows = sorted;
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-filter]"), setUp);
  Array.prototype.forEach.call(document.querySelectorAll(".js-tip"), function (tip) { tip.hidden = false; });
})();
