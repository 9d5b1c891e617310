// A lead's page stays live: thread lines pushed by the server (server-sent events).
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
