// Irreversible actions ask first (the form's data-confirm).
document.addEventListener("submit", function (event) {
  var ask = event.target.dataset && event.target.dataset.confirm;
  if (ask && !window.confirm(ask)) event.preventDefault();
});
// The inbox stays live through server-sent events: the list reloads its leads when they
// change, a lead's page appends the thread lines the server pushes.
(function () {
  var board = document.getElementById("board");
  if (!board || !window.EventSource) return;
  var source = new EventSource(board.dataset.events);
  source.addEventListener("leads", function () {
    var here = window.location.pathname + window.location.search;
    htmx.ajax("GET", here, {target: "#board", select: "#board", swap: "outerHTML"});
  });
})();
(function () {
  var thread = document.getElementById("thread");
  if (!thread || !window.EventSource) return;
  var source = new EventSource(thread.dataset.events + "?after=" + thread.dataset.seen);
  source.addEventListener("lines", function (event) {
    thread.insertAdjacentHTML("beforeend", event.data);  // rendered and escaped by the server
    thread.dataset.seen = event.lastEventId;
    var last = thread.lastElementChild;
    if (last) last.scrollIntoView({block: "nearest"});
  });
  source.addEventListener("status", function (event) {
    var status = document.getElementById("status");
    if (status) status.textContent = event.data;
  });
})();
