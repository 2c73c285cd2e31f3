// Browser recording with MediaRecorder, sent in parts as it goes (a dropped connection loses
// nothing: unsent parts are retried, and the server says which part it expects next);
// number keys tag the moment; transcript buttons play the audio from a segment's time.
(function () {
  "use strict";

  function csrfHeaders() {
    var raw = document.body.getAttribute("hx-headers") || "{}";
    try { return JSON.parse(raw); } catch (e) { return {}; }
  }

  function post(url, body, extra) {
    var headers = Object.assign({}, csrfHeaders(), extra || {});
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { return r.text().then(function (t) { throw new Error(r.status + " " + t.slice(0, 200)); }); }
        return r.json();
      });
  }

  function setupPlayback() {
    var player = document.getElementById("player");
    if (!player) { return; }
    document.querySelectorAll(".play-from").forEach(function (button) {
      button.addEventListener("click", function () {
        player.currentTime = parseFloat(button.dataset.start || "0");
        player.play();
      });
    });
  }

  function setupRecorder() {
    var box = document.getElementById("recorder");
    if (!box) { return; }
    var recordingId = box.dataset.recording;
    var base = "/recordings/" + recordingId;
    var start = document.getElementById("record-start");
    var stop = document.getElementById("record-stop");
    var state = document.getElementById("record-state");
    var kinds = Array.prototype.map.call(document.querySelectorAll("#tag-kinds [data-kind]"),
      function (el) { return el.dataset.kind; });
    var recorder = null, token = null, queue = [], nextIndex = 0, sending = false, began = 0;
    var stopped = false;

    function say(text) { state.textContent = text; }

    function pump() {
      if (sending || !queue.length) {
        if (stopped && !sending && !queue.length && token) { finish(); }
        return;
      }
      sending = true;
      var blob = queue[0];
      post(base + "/audio/uploads/" + token + "/parts/" + nextIndex, blob,
           { "Content-Type": "application/octet-stream" })
        .then(function (reply) {
          queue.shift();
          nextIndex = reply.parts;
          sending = false;
          pump();
        })
        .catch(function () {
          sending = false;
          say("Connection lost: keeping the recording and trying again…");
          setTimeout(function () {
            fetch(base + "/audio/uploads/" + token, { credentials: "same-origin" })
              .then(function (r) { return r.json(); })
              .then(function (reply) {
                // Parts the server already has are dropped from the queue.
                while (reply.parts > nextIndex && queue.length) { queue.shift(); nextIndex++; }
              })
              .catch(function () { return null; })
              .then(pump);
          }, 3000);
        });
    }

    function finish() {
      var done = token;
      token = null;
      say("Saving…");
      post(base + "/audio/uploads/" + done + "/finish", null)
        .then(function (reply) { window.location = reply.next; })
        .catch(function (e) { say("Could not save: " + e.message); });
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var form = new FormData();
        form.append("filename", "recording.webm");
        return post(base + "/audio/uploads", form).then(function (reply) {
          token = reply.token;
          recorder = new MediaRecorder(stream);
          recorder.addEventListener("dataavailable", function (event) {
            if (event.data && event.data.size) { queue.push(event.data); pump(); }
          });
          recorder.addEventListener("stop", function () {
            stream.getTracks().forEach(function (t) { t.stop(); });
            stopped = true;
            pump();
          });
          recorder.start(5000);
          began = Date.now();
          start.disabled = true;
          stop.disabled = false;
          say("Recording. Press 1–" + kinds.length + " to tag a moment.");
        });
      }).catch(function (e) { say("Recording could not start: " + e.message); });
    });

    stop.addEventListener("click", function () {
      if (recorder) { recorder.stop(); }
      stop.disabled = true;
    });

    document.addEventListener("keydown", function (event) {
      if (!recorder || recorder.state !== "recording") { return; }
      var index = parseInt(event.key, 10);
      if (!(index >= 1 && index <= kinds.length)) { return; }
      var form = new FormData();
      form.append("kind", kinds[index - 1]);
      form.append("time", ((Date.now() - began) / 1000).toFixed(1));
      post(base + "/tags", form, { "Accept": "application/json" })
        .then(function (tag) { say("Tagged " + tag.kind + " at " + tag.time + "."); })
        .catch(function () { say("The tag could not be saved."); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPlayback();
    setupRecorder();
  });
}());
