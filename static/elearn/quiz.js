/* elearn quiz autosave: every answer is sent as soon as it changes; without a connection it waits in the page
   (and in localStorage, so a reload keeps it) and is sent when the connection returns. Each question says
   "Belum tersimpan" until the server has confirmed it. The quiz works without this script, page by page. */
(function () {
  "use strict";

  var form = document.querySelector("[data-attempt-form]");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var text = {
    id: {
      unsaved: "Belum tersimpan",
      saving: "Menyimpan…",
      saved: "Tersimpan",
      offline: "Anda sedang offline. Jawaban disimpan di perangkat ini dan dikirim saat koneksi kembali.",
      online: "Koneksi kembali; jawaban sedang dikirim.",
      conflict: "Jawaban ini diubah di tab atau perangkat lain. Muat ulang halaman untuk melihatnya.",
      refused: "Jawaban ini tidak dapat disimpan. Muat ulang halaman.",
      waitOnline: "Anda sedang offline. Tunggu koneksi kembali sebelum pindah halaman; jawaban Anda aman di perangkat ini.",
      left: "sisa waktu",
      over: "waktu habis"
    },
    en: {
      unsaved: "Not saved yet",
      saving: "Saving…",
      saved: "Saved",
      offline: "You are offline. Your answers are kept on this device and sent when the connection returns.",
      online: "Back online; sending your answers.",
      conflict: "This answer was changed in another tab or device. Reload the page to see it.",
      refused: "This answer could not be saved. Reload the page.",
      waitOnline: "You are offline. Wait for the connection before changing pages; your answers are safe on this device.",
      left: "time left",
      over: "time is up"
    }
  }[lang];

  var attemptId = form.getAttribute("data-attempt");
  var storageKey = "elearn-attempt-" + attemptId;
  var revisionInput = form.querySelector("[data-revision]");
  var tokenInput = form.querySelector("input[name=token]");
  var offlineStatus = document.querySelector("[data-offline-status]");
  var pending = readStored();
  var sending = false;

  function readStored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  function store() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storageKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      /* private mode or full storage: answers still wait in memory */
    }
  }

  function fieldsetOf(questionId) {
    return form.querySelector('[data-question="' + questionId + '"]');
  }

  function setStatus(questionId, message, kind) {
    var fieldset = fieldsetOf(questionId);
    var status = fieldset && fieldset.querySelector("[data-save-status]");
    if (status) {
      status.textContent = message;
      status.className = "save-status" + (kind ? " save-" + kind : "");
    }
  }

  function valuesOf(fieldset) {
    var values = [];
    var inputs = fieldset.querySelectorAll("input[name^=q], select[name^=q], textarea[name^=q]");
    Array.prototype.forEach.call(inputs, function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) {
        return;
      }
      values.push(input.value);
    });
    return values;
  }

  function restore(fieldset, values) {
    var inputs = fieldset.querySelectorAll("input[name^=q], select[name^=q], textarea[name^=q]");
    var selects = 0;
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = values.indexOf(input.value) !== -1;
      } else if (input.tagName === "SELECT") {
        input.value = values[selects] !== undefined ? values[selects] : "";
        selects += 1;
      } else {
        input.value = values.length ? values[0] : "";
      }
    });
  }

  function showOffline(offline) {
    if (!offlineStatus) {
      return;
    }
    offlineStatus.hidden = !offline && !Object.keys(pending).length;
    offlineStatus.textContent = offline ? text.offline : text.online;
  }

  function queue(fieldset) {
    var questionId = fieldset.getAttribute("data-question");
    pending[questionId] = { values: valuesOf(fieldset), stamp: Date.now() };
    store();
    setStatus(questionId, text.unsaved, "unsaved");
    send();
  }

  function send() {
    var ids = Object.keys(pending);
    if (sending || !ids.length) {
      return;
    }
    if (navigator.onLine === false) {
      showOffline(true);
      return;
    }
    sending = true;
    var sent = {};
    var body = new URLSearchParams();
    body.append("token", tokenInput.value);
    body.append("rev", revisionInput.value);
    ids.forEach(function (questionId) {
      sent[questionId] = pending[questionId].stamp;
      body.append("shown", questionId);
      pending[questionId].values.forEach(function (value) {
        body.append("q" + questionId, value);
      });
      setStatus(questionId, text.saving, "saving");
    });
    window
      .fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (answer) {
        sending = false;
        if (answer.status === 409 && answer.data.result) {
          pending = {};
          store();
          window.location.assign(answer.data.result);
          return;
        }
        if (answer.status !== 200) {
          ids.forEach(function (questionId) {
            setStatus(questionId, text.refused, "conflict");
          });
          return;
        }
        revisionInput.value = answer.data.revision;
        answer.data.saved.forEach(function (questionId) {
          var key = String(questionId);
          if (pending[key] && pending[key].stamp === sent[key]) {
            delete pending[key];
            setStatus(key, text.saved, "saved");
          }
        });
        answer.data.conflicts.forEach(function (questionId) {
          delete pending[String(questionId)];
          setStatus(String(questionId), text.conflict, "conflict");
        });
        store();
        showOffline(false);
        send();
      })
      .catch(function () {
        sending = false;
        ids.forEach(function (questionId) {
          if (pending[questionId]) {
            setStatus(questionId, text.unsaved, "unsaved");
          }
        });
        showOffline(true);
      });
  }

  Object.keys(pending).forEach(function (questionId) {
    var fieldset = fieldsetOf(questionId);
    if (fieldset) {
      restore(fieldset, pending[questionId].values);
      setStatus(questionId, text.unsaved, "unsaved");
    }
  });

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("[data-question]");
    if (fieldset) {
      queue(fieldset);
    }
  });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      if (offlineStatus) {
        offlineStatus.hidden = false;
        offlineStatus.textContent = text.waitOnline;
      }
      return;
    }
    pending = {};
    store();
  });
  window.addEventListener("online", function () {
    showOffline(false);
    send();
  });
  window.addEventListener("offline", function () {
    showOffline(true);
  });
  send();

  var timer = document.querySelector("[data-deadline]");
  var countdown = timer && timer.querySelector("[data-countdown]");
  if (countdown) {
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      countdown.textContent = left
        ? "(" + text.left + " " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + ")"
        : "(" + text.over + ")";
      if (left) {
        window.setTimeout(tick, 1000);
      }
    };
    tick();
  }
})();
