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
  window.setInterval(function () {
    var now = Date.now();
    if (now - lastActivity > idle * 1000) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
    } else if (lastActivity > lastPing && now - lastPing > 60000) {
      lastPing = now;
      window.fetch("/session/keepalive", { credentials: "same-origin" });
    }
  }, 15000);
})();
