// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-done");
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });

  // A label on lines of about `width` characters (plotly breaks lines at <br>; its labels are already escaped).
  function wrap(text, width) {
    if (typeof text !== "string") return text;
    var rows = [""];
    text.replace(/<br>/g, " ").split(" ").forEach(function (word) {
      var last = rows[rows.length - 1];
      if (last && last.length + 1 + word.length > width) rows.push(word);
      else rows[rows.length - 1] = last ? last + " " + word : word;
    });
    return rows.join("<br>");
  }

  // On a narrow screen the print-width margins leave no room for the plot: wrap the category labels
  // shorter, give them a share of the width instead of a fixed margin, use a smaller type.
  function fitToWidth(fig, width) {
    if (width >= 600) return fig;
    var layout = fig.layout, chars = Math.max(10, Math.floor(width / 24));
    layout.font = Object.assign({}, layout.font, { size: 11 });
    fig.data.forEach(function (trace) {
      if (trace.theta) trace.theta = trace.theta.map(function (t) { return wrap(t, 12); });
      if (Array.isArray(trace.y) && typeof trace.y[0] === "string") trace.y = trace.y.map(function (t) { return wrap(t, chars); });
    });
    var lines = 1, categories = {};
    fig.data.forEach(function (trace) {
      if (!Array.isArray(trace.y) || typeof trace.y[0] !== "string") return;
      trace.y.forEach(function (t) {
        if (typeof t !== "string") return;  // the gaps between line segments
        categories[t] = true;
        lines = Math.max(lines, t.split("<br>").length);
      });
    });
    var rows = Object.keys(categories).length;
    if (rows && lines > 1) {  // room for every wrapped label: wrapped labels must not run into each other
      layout.height = Math.max(layout.height || 0, rows * (lines * 14 + 8) + (layout.margin.t || 0) + (layout.margin.b || 0));
    }
    var margin = Object.assign({}, layout.margin);
    if (layout.polar) { margin.l = margin.r = Math.min(margin.l || 0, 70); }
    else if (margin.l > width * 0.4) { margin.l = Math.round(width * 0.4); }
    layout.margin = margin;
    if (layout.yaxis) layout.yaxis = Object.assign({}, layout.yaxis, { automargin: true });
    if (layout.xaxis && layout.xaxis.tickvals && layout.xaxis.tickvals.length > 3) {
      var ticks = layout.xaxis.tickvals;  // fewer ticks: "0 25 50 75 100" squashed to "0 25 50 75 10"
      layout.xaxis = Object.assign({}, layout.xaxis, { tickvals: [ticks[0], ticks[Math.floor(ticks.length / 2)], ticks[ticks.length - 1]] });
    }
    return fig;
  }

  function draw(el) {
    var data = document.getElementById(el.getAttribute("data-chart"));
    if (!data || el.getAttribute("data-drawn")) return;
    var fig = fitToWidth(JSON.parse(data.textContent), el.clientWidth || window.innerWidth);
    window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false, displayModeBar: false })
      .then(function () { el.setAttribute("data-drawn", "1"); });
  }

  function drawCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var closed = el.closest("details:not([open])");
      if (!closed) { draw(el); return; }
      // In a closed disclosure the chart has no width yet: draw it when it is opened.
      closed.addEventListener("toggle", function () { if (closed.open) draw(el); });
    });
  }
  window.addEventListener("load", drawCharts);

  // Tables on a phone: each row a block, each cell labelled with its column's header (app.css stacks
  // table.data.stacked below 600 px; without JavaScript the table scrolls inside its panel instead).
  var tables = [];
  document.querySelectorAll("table.data").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1].cells : null;
    if (!heads || table.querySelector("[rowspan]")) return;
    var names = [];
    for (var h = 0; h < heads.length; h++) {
      var spoken = heads[h].querySelector(".sr-only");  // a short visible header: its words for the label
      for (var span = 0; span < (heads[h].colSpan || 1); span++) names.push((spoken || heads[h]).textContent.trim());
    }
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("tr"), function (row) { row.setAttribute("role", "row"); });
    Array.prototype.forEach.call(heads, function (cell) { cell.setAttribute("role", "columnheader"); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var header = cell.tagName === "TH" && cell.getAttribute("scope") === "row";
          cell.setAttribute("role", header ? "rowheader" : "cell");
          if (column > 0 && names[column]) cell.setAttribute("data-label", names[column]);
          column += cell.colSpan || 1;
        });
      });
    });
    tables.push(table);
  });
  // Stacked only where the table does not fit (a matrix of small numbers stays a table): measured unstacked.
  function fitTables() {
    tables.forEach(function (table) {
      table.classList.remove("stacked");
      if (window.innerWidth < 600 && table.scrollWidth > table.clientWidth + 1) table.classList.add("stacked");
    });
  }
  fitTables();
  var refit = null;
  window.addEventListener("resize", function () { clearTimeout(refit); refit = setTimeout(fitTables, 150); });

  // A survey page: each answer is saved as it is chosen (a comment or reason shortly after typing stops),
  // through the page's own form post; the buttons still save the page as without JavaScript. Leaving with
  // input that is not yet saved asks first.
  var survey = document.querySelector("form[data-autosave]");
  if (survey && window.fetch && window.FormData) {
    // One save at a time, in order: two saves in flight could be stored in the wrong order (the server runs
    // requests in parallel), leaving an older answer stored while the page shows the newer one.
    var edits = 0, savedEdits = 0, submitting = false, timer = null, inflight = false, again = false;
    var waiting = null;  // a button pressed while a save was in flight: pressed again once it is stored
    var settled = function () {
      inflight = false;
      if (!waiting) return false;
      var button = waiting;
      waiting = null;
      again = false;
      submitting = true;  // the page's post saves everything; no save may follow it (it would move the page back)
      survey.requestSubmit(button === true ? undefined : button);
      return true;
    };
    var state = document.getElementById("save-state"), count = document.getElementById("answered-count");
    var progress = document.querySelector(".progress progress");
    var show = function (key) { if (state) state.textContent = survey.getAttribute("data-" + key) || ""; };
    var save = function (keepalive) {
      clearTimeout(timer);
      timer = null;
      if (submitting || savedEdits === edits) return;
      if (inflight) { again = true; return; }
      inflight = true;
      var upTo = edits, body = new FormData(survey);
      body.set("nav", "autosave");
      show("saving");
      fetch(survey.getAttribute("action") || window.location.href, {
        method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
        headers: { Accept: "application/json" }
      }).then(function (r) {
        return r.json().then(function (reply) { return r.ok && reply.saved ? reply : null; }, function () { return null; });
      }).then(function (reply) {
        if (reply) {  // first: the page's own post must compare against what is stored now
          Object.keys(reply.states).forEach(function (name) {
            var field = survey.querySelector('input[type=hidden][name="' + name + '"]');
            if (field) field.value = reply.states[name];
          });
        }
        if (settled()) return;
        if (!reply) { again = false; show("unsaved"); return; }
        savedEdits = Math.max(savedEdits, upTo);
        if (count && count.getAttribute("data-template")) count.textContent = count.getAttribute("data-template").replace("{n}", reply.answered);
        if (progress) progress.value = reply.answered;
        if (again || savedEdits !== edits) { again = false; save(); } else { show("saved"); }
      }, function () { if (!settled()) { again = false; show("offline"); } });
    };
    survey.addEventListener("change", function (event) {
      edits++;
      if (event.target.type === "radio") save(); else { clearTimeout(timer); timer = setTimeout(save, 300); }
    });
    survey.addEventListener("input", function (event) {
      if (event.target.type === "radio") return;
      edits++;
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
    survey.addEventListener("submit", function (event) {
      if (inflight && survey.requestSubmit) {  // the page's post must not race the save still on its way
        event.preventDefault();
        waiting = event.submitter || true;
        return;
      }
      submitting = true;
    });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(true); });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || savedEdits === edits) return;
      save(true);
      event.preventDefault();
      event.returnValue = "";  // the browser's own "leave the page?" question
    });
  }

  // A report being printed: ask for its state often (the page's own refresh is the fallback) and fetch
  // the file the moment it is there.
  var printing = document.querySelector("[data-report-state]");
  if (printing && window.fetch) {
    var url = printing.getAttribute("data-report-state");
    var ask = function () {
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          if (state.state === "ready") { window.location.replace(printing.getAttribute("data-report-file")); }
          else if (state.state === "failed") { window.location.reload(); }
          else { setTimeout(ask, 300); }
        }, function () { setTimeout(ask, 2000); });
    };
    setTimeout(ask, 300);
  }
})();
