// KSR Portal – the public survey page. Hides the questions the answers given skip over and the
// follow-ups of branches not chosen. The server applies the same rules (surveys/engine.py), so
// this is only a convenience: without JavaScript every question stays visible, with notes on
// where to jump.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function logicOf(el) {
    try {
      var logic = JSON.parse(el.getAttribute("data-logic") || "{}");
      return logic && typeof logic === "object" ? logic : {};
    } catch (e) {
      return {};
    }
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  // The main answer of a question, as engine.main_answer reads it (choice questions only branch).
  function answerOf(el) {
    var name = "q" + el.getAttribute("data-question");
    var kind = el.getAttribute("data-kind");
    var inputs = el.querySelectorAll("input[name='" + name + "']");
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) { chosen.push(inputs[i].value.trim()); }
    }
    if (kind === "choice_multi") { return chosen; }
    return chosen.length ? chosen[chosen.length - 1] : "";
  }

  // engine.branch_of: for a list, the first chosen option that has a logic entry.
  function branchOf(logic, answer) {
    if (Array.isArray(answer)) {
      for (var i = 0; i < answer.length; i++) {
        if (has(logic, answer[i])) { return answer[i]; }
      }
      return null;
    }
    return answer && has(logic, answer) ? answer : null;
  }

  ready(function () {
    var form = document.getElementById("survey-form");
    if (!form) { return; }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }

    var questions = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    questions.sort(function (a, b) {
      return Number(a.getAttribute("data-question")) - Number(b.getAttribute("data-question"));
    });
    var status = document.getElementById("survey-skip-status");
    var lastSkipped = null;

    function update(announce) {
      var skipTo = null;
      var skipped = [];
      questions.forEach(function (el) {
        var n = Number(el.getAttribute("data-question"));
        if (skipTo !== null && n < skipTo) {
          el.hidden = true;
          skipped.push(n);
          return;
        }
        skipTo = null;
        el.hidden = false;
        var logic = logicOf(el);
        var key = branchOf(logic, answerOf(el));
        var entry = key !== null ? logic[key] : null;
        var target = entry && entry.goto !== null && entry.goto !== undefined ? Number(entry.goto) : null;
        if (target !== null && target > n) { skipTo = target; }
        var blocks = el.querySelectorAll("[data-followup-when]");
        for (var i = 0; i < blocks.length; i++) {
          blocks[i].hidden = blocks[i].getAttribute("data-followup-when") !== key;
        }
      });
      var text = skipped.join(", ");
      if (announce && status && text !== lastSkipped) {
        status.textContent = text
          ? (status.getAttribute("data-skipped") || "%s").replace("%s", text)
          : "";
      }
      lastSkipped = text;
    }

    form.addEventListener("change", function () { update(true); });
    update(false);
  });
})();
