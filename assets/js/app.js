// Progressive enhancement only: every page works without this file.
// Idle timeout: while the person is active on the page (typing a long answer, say) the session is
// kept alive; once the screen is left unattended for the server's idle timeout, the page goes to the
// login screen, where the server has already ended the session.
(function () {
  "use strict";
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle || !window.fetch) { return; }
  var lastActivity = Date.now();
  var lastPing = Date.now();
  ["keydown", "mousedown", "touchstart", "scroll"].forEach(function (ev) {
    window.addEventListener(ev, function () { lastActivity = Date.now(); }, { passive: true });
  });
  // Short timeouts (tests, shared screens) are checked and kept alive proportionally more often.
  var ping = Math.min(60000, idle * 500);
  window.setInterval(function () {
    var now = Date.now();
    if (now - lastActivity > idle * 1000) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
    } else if (lastActivity > lastPing && now - lastPing > ping) {
      lastPing = now;
      window.fetch("/session/keepalive", { credentials: "same-origin" });
    }
  }, Math.min(15000, idle * 250));
})();

// Live Markdown preview: a textarea with data-preview="ID" fills #ID with the server's sanitised
// rendering while the person types (the Preview button does the same without JavaScript).
(function () {
  "use strict";
  var token = document.querySelector("input[name=csrf_token]");
  if (!window.fetch || !token || !token.value) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-preview]"), function (area) {
    var target = document.getElementById(area.getAttribute("data-preview"));
    if (!target) { return; }
    var timer = null;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var body = new URLSearchParams();
        body.set("body", area.value);
        window.fetch("/markdown/preview", {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRF-Token": token.value, "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString()
        }).then(function (res) { return res.ok ? res.text() : null; })
          .then(function (html) { if (html !== null) { target.innerHTML = html; } });
      }, 300);
    });
  });
})();

// Voting without a page reload: the vote forms post as usual without JavaScript; with it, the
// request asks for JSON and the box updates in place.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  function sync(box, score, mine) {
    box.querySelector(".score-value").textContent = score;
    Array.prototype.forEach.call(box.querySelectorAll("form[data-vote]"), function (form) {
      var button = form.querySelector("button");
      var up = button.classList.contains("up");
      var on = (up && mine === 1) || (!up && mine === -1);
      button.classList.toggle("on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      form.querySelector("input[name=value]").value = on ? "clear" : (up ? "up" : "down");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-vote]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = form.closest("[data-vote-box]");
      window.fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)).toString()
      }).then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      }).then(function (r) {
        if (r.ok) { sync(box, r.data.score, r.data.vote); } else { window.alert(r.data.message); }
      });
    });
  });
})();

// Similar questions while the title is typed, so that people find existing answers first.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-similar]"), function (input) {
    var box = document.getElementById(input.getAttribute("data-similar"));
    if (!box) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (input.value.trim().length < 8) { box.textContent = ""; return; }
        window.fetch("/questions/similar?title=" + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (res) { return res.ok ? res.json() : { questions: [] }; })
          .then(function (data) {
            box.textContent = "";
            if (!data.questions.length) { return; }
            var p = document.createElement("p");
            p.className = "help";
            p.textContent = "These questions may already have your answer:";
            var ul = document.createElement("ul");
            data.questions.forEach(function (q) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = q.url;
              a.textContent = q.title + (q.resolved ? " ✓" : "");
              li.appendChild(a);
              ul.appendChild(li);
            });
            box.appendChild(p);
            box.appendChild(ul);
          });
      }, 350);
    });
  });
})();

// The header's admin menu closes on Escape or a click elsewhere, as menus do.
(function () {
  "use strict";
  var menus = document.querySelectorAll("details.nav-menu");
  if (!menus.length) { return; }
  function closeAll(except) {
    Array.prototype.forEach.call(menus, function (m) { if (m !== except) { m.open = false; } });
  }
  document.addEventListener("click", function (ev) { closeAll(ev.target.closest && ev.target.closest("details.nav-menu")); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") { return; }
    Array.prototype.forEach.call(menus, function (m) {
      if (m.open) { m.open = false; m.querySelector("summary").focus(); }
    });
  });
})();
