// interview-kit web app: the only script. It follows a round's progress while its kits
// are written, then reloads the page. Everything else works without it.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.dataset.state !== "generating") {
    return;
  }
  var bar = box.querySelector("progress");
  var count = box.querySelector(".count");
  var url = "/api/v1/rounds/" + encodeURIComponent(box.dataset.round);
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var round = data.round;
        bar.max = round.planned;
        bar.value = round.written;
        bar.textContent = round.written + " / " + round.planned;
        count.textContent = round.written + " / " + round.planned;
        if (round.state !== "generating") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 500);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
