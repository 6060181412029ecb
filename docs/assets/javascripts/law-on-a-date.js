/* The "Law on a date" page (macros/law_on_a_date.py): works out, from the
 * law data (window.LAW_DATA, generated from provisions.yml into
 * law-data.js), what applied to an offence committed on one date and what
 * the date of conviction changes. Loaded on that page only. No network, no
 * third-party code: it runs from the file system too.
 *
 * Rules it applies, all from the data: an offence's maxima are those of the
 * period holding the date of the offence (committed_from <= date <
 * committed_before); a conviction rule, and an order made on conviction,
 * go by the date of conviction. A value the data does not confirm
 * ("unverified") is shown as not confirmed, never guessed. */
(function () {
  "use strict";
  var data = window.LAW_DATA;
  var tool = document.getElementById("law-date-tool");
  if (!data || !tool) return;
  var form = document.getElementById("law-date-form");
  var offenceInput = document.getElementById("law-date-offence");
  var convictionInput = document.getElementById("law-date-conviction");
  var summary = document.getElementById("law-date-summary");
  var result = document.getElementById("law-date-result");
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var NOT_CONFIRMED = "Not confirmed in the data: check the text for this date";
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function isDate(value) {
    if (typeof value !== "string" || !ISO.test(value)) return false;
    var d = new Date(value + "T00:00:00Z");
    return !isNaN(d) && d.toISOString().slice(0, 10) === value;
  }
  function long(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function dayBefore(iso) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* Whether a provision was in force on `day`: {state: yes|no|unknown, text}. */
  function inForce(row, day) {
    var from = row.from, to = row.to, where = row.where ? " (" + row.where + ")" : "";
    if (from === "unverified" || !from) return {state: "unknown", text: "Commencement not confirmed in the data: check legislation.gov.uk for this date"};
    if (from === "not in force") return {state: "no", text: "Not in force" + (isDate(row.checked) ? " (checked " + long(row.checked) + ")" : "")};
    if (day < from) return {state: "no", text: "Not yet in force: in force from " + long(from)};
    if (isDate(to) && day >= to) return {state: "no", text: "No longer in force: in force from " + long(from) + " until " + long(dayBefore(to)) + where};
    if (to === "unverified") return {state: "unknown", text: "In force from " + long(from) + "; when it ended is not confirmed" + where};
    return {state: "yes", text: "In force (from " + long(from) + ")" + where};
  }

  /* The period of maxima that holds `day`, or {missing} before the first,
   * or {unknown} where a boundary near it is not confirmed. */
  function periodOn(row, day) {
    var uncertain = false;
    for (var i = 0; i < row.periods.length; i++) {
      var p = row.periods[i];
      var lo = p.from, hi = p.before;
      if (isDate(lo) && day < lo) continue;
      if (isDate(hi) && day >= hi) continue;
      if (!isDate(lo) || (hi && !isDate(hi))) { uncertain = true; continue; }
      return {period: p};
    }
    if (uncertain) return {unknown: true};
    return {missing: true};
  }

  function value(text) {
    return text === "unverified" ? NOT_CONFIRMED : text;
  }

  function maxima(row, day) {
    var found = periodOn(row, day);
    if (found.unknown) return [NOT_CONFIRMED, NOT_CONFIRMED];
    if (found.missing) return ["The offence did not exist on that date", "The offence did not exist on that date"];
    var p = found.period;
    var ind = p.ind ? value(p.ind) : (row.mode === "summary only" ? "Not triable on indictment" : "Not recorded");
    var sum = p.sum ? value(p.sum) : (row.mode === "indictable only" ? "Not triable summarily" : "Not recorded");
    return [ind, sum];
  }

  function rulesOn(conviction) {
    return data.rules.map(function (rule) {
      if (!conviction) return {rule: rule, text: "Give the date of conviction to see which applies."};
      var found = null;
      rule.periods.forEach(function (p) {
        if (isDate(p.from) && p.from <= conviction && (!p.before || conviction < p.before)) found = p;
      });
      if (found) return {rule: rule, text: found.rule + (found.by ? " (" + found.by + ")" : "")};
      var first = rule.periods[0];
      if (!(isDate(first.from) && conviction < first.from)) return {rule: rule, text: NOT_CONFIRMED};
      return {rule: rule, text: rule.before_first
        ? rule.before_first + " (convictions before " + long(first.from) + ")"
        : "Did not apply: it applies to convictions on or after " + long(first.from)};
    });
  }

  function staticLinks(id) {
    var heading = document.getElementById(id);
    var list = heading && heading.nextElementSibling;
    var find = function (cls) {
      var a = list && list.querySelector("a." + cls);
      return a ? a.getAttribute("href") : null;
    };
    return {guide: find("law-guide"), entry: find("law-entry"), periods: heading ? "#" + id : null};
  }

  function link(href, text) {
    return el("a", {href: href}, [text]);
  }

  function orderText(row, conviction, offenceDay) {
    if (row.order === "on conviction") {
      if (!conviction) return {state: "unknown", text: "Goes by the date of conviction: give it to see whether this order applies"};
      var status = inForce(row, conviction);
      if (status.state === "yes") {
        if (isDate(row.decided_before) && conviction >= row.decided_before) {
          return {state: "no", text: "Not for a conviction on that date: it applies to convictions before " + long(row.decided_before)};
        }
        if (isDate(row.decided_from) && conviction < row.decided_from) {
          return {state: "no", text: "Not for a conviction on that date: it applies to convictions on or after " + long(row.decided_from)};
        }
        return {state: "yes", text: "Available on a conviction on " + long(conviction)};
      }
      return {state: status.state, text: status.text.replace("In force", "For a conviction on " + long(conviction) + ": in force")};
    }
    var words = row.order === "on acquittal" ? "the acquittal" : "the court's decision on the application";
    var day = conviction || offenceDay;
    var base = inForce(row, day);
    return {state: base.state, text: "Goes by the date of " + words + ". On " + long(day) +
      (conviction ? " (the date of conviction given)" : " (the date of the offence)") + ": " + base.text};
  }

  function render(offence, conviction) {
    var rows = data.rows, inForceCount = 0, unknown = 0;
    var table = el("table", {"data-reflow": ""});
    var caption = "The law for an offence committed on " + long(offence) +
      (conviction ? ", with conviction on " + long(conviction) : ", no date of conviction given") +
      " (law data as at " + long(data.as_at) + ")";
    table.appendChild(el("caption", {}, [caption]));
    var heads = ["Provision", "In force on the date of the offence", "Mode of trial", "Maximum on indictment",
      "Maximum on summary conviction", "Alternative verdicts or order", "Read"];
    table.appendChild(el("thead", {}, [el("tr", {}, heads.map(function (h) { return el("th", {scope: "col"}, [h]); }))]));
    var body = el("tbody");
    rows.forEach(function (row) {
      var links = staticLinks(row.id);
      var pit = row.dated ? row.url + "/" + (row.kind === "order" && row.order === "on conviction" && conviction ? conviction : offence) : row.url;
      var read = el("td", {"data-label": heads[6]}, []);
      var parts = [link(pit, row.dated ? "Text on " + long(pit.slice(-10)) : "Text")];
      if (links.guide) parts.push(link(links.guide, "Guidance"));
      if (links.entry) parts.push(link(links.entry, "Provisions and cases"));
      if (links.periods) parts.push(el("a", {href: links.periods, "class": "law-date__here"}, ["Every period"]));
      parts.forEach(function (a, i) { if (i) read.appendChild(document.createTextNode(" · ")); read.appendChild(a); });
      var cells;
      var first = el("td", {"data-label": heads[0]}, [el("strong", {}, [row.cite]), " " + row.name]);
      if (row.kind === "offence") {
        var status = inForce(row, offence);
        var max = status.state === "no" ? ["Not an offence in force on that date", "Not an offence in force on that date"] : maxima(row, offence);
        if (status.state === "yes") inForceCount++;
        if (status.state === "unknown") unknown++;
        cells = [first, el("td", {"data-label": heads[1], "data-state": status.state}, [status.text]),
          el("td", {"data-label": heads[2]}, [row.mode === "unverified" ? NOT_CONFIRMED : row.mode]),
          el("td", {"data-label": heads[3]}, [max[0]]), el("td", {"data-label": heads[4]}, [max[1]]),
          el("td", {"data-label": heads[5]}, [row.alt || "None recorded"]), read];
      } else {
        var order = orderText(row, conviction, offence);
        cells = [first, el("td", {"data-label": heads[1], "data-state": order.state}, [order.text]),
          el("td", {"data-label": heads[2]}, ["An order, not an offence"]), el("td", {"data-label": heads[3]}, ["Not applicable"]),
          el("td", {"data-label": heads[4]}, ["Not applicable"]),
          el("td", {"data-label": heads[5]}, [row.order === "on conviction" ? "Order on conviction" : row.order === "on acquittal" ? "Order on acquittal" : "Protective order on application"]), read];
      }
      body.appendChild(el("tr", {"data-cite": row.cite, "data-kind": row.kind}, cells));
    });
    table.appendChild(body);

    var ruleList = el("ul", {"class": "law-date__rules"});
    rulesOn(conviction).forEach(function (r) {
      ruleList.appendChild(el("li", {"data-rule": r.rule.id}, [el("strong", {}, [r.rule.title + ": "]), r.text]));
    });
    result.setAttribute("data-answer", offence + "/" + conviction);
    var address = location.href;
    result.replaceChildren(
      el("h2", {id: "law-date-answer", tabindex: "-1"}, ["The law on " + long(offence)]),
      el("p", {"class": "law-date__dates"}, ["Date of the offence: " + long(offence) + ". Date of conviction: " +
        (conviction ? long(conviction) : "not given") + ". Law data as at " + long(data.as_at) + "."]),
      el("p", {"class": "law-date__address"}, ["Address of this answer: ", el("a", {href: address, "class": "print-bare"}, [address])]),
      el("div", {"class": "md-typeset__scrollwrap"}, [el("div", {"class": "md-typeset__table"}, [table])]),
      el("h3", {}, ["What the date of conviction changes"]),
      ruleList
    );
    summary.textContent = "On " + long(offence) + ": " + inForceCount + " of " +
      rows.filter(function (r) { return r.kind === "offence"; }).length + " offences in force" +
      (unknown ? ", " + unknown + " not confirmed" : "") + (conviction ? "; convicted " + long(conviction) : "") + ". The table below gives each.";
  }

  function problem(text) {
    result.replaceChildren();
    result.setAttribute("data-answer", "problem");
    summary.textContent = text;
  }

  function show(offence, conviction, moveFocus) {
    if (!isDate(offence)) return problem("Give the date of the offence as a full date.");
    if (conviction && !isDate(conviction)) return problem("Give the date of conviction as a full date, or leave it empty.");
    if (conviction && conviction < offence) return problem("The date of conviction is before the date of the offence: check both dates.");
    render(offence, conviction || "");
    if (moveFocus) document.getElementById("law-date-answer").focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var offence = offenceInput.value, conviction = convictionInput.value;
    var query = "?offence=" + encodeURIComponent(offence) + (conviction ? "&conviction=" + encodeURIComponent(conviction) : "");
    try { history.replaceState(null, "", query + location.hash); } catch (e) { /* a file:// page may refuse: the answer still shows */ }
    show(offence, conviction, true);
  });

  tool.hidden = false;
  var params = new URLSearchParams(location.search);
  var givenOffence = params.get("offence"), givenConviction = params.get("conviction");
  if (givenOffence) {
    offenceInput.value = givenOffence;
    if (givenConviction) convictionInput.value = givenConviction;
    show(givenOffence, givenConviction || "", false);
  }
  document.documentElement.setAttribute("data-law-date", "ready");
})();
