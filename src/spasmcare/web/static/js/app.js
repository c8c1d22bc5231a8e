/* spasmcare's own script: heat, cold and stretch timers, and the browser's time zone.
 * Every page works without it. No inline script anywhere (the Content-Security-Policy forbids it).
 */
(function () {
  "use strict";

  /* The browser's time zone, so the diary shows local times (read by the server, never sent elsewhere). */
  function rememberTimeZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && /^[A-Za-z0-9_+\-\/]+$/.test(zone)) {
        var secure = location.protocol === "https:" ? "; Secure" : "";
        document.cookie = "spasmcare_tz=" + zone + "; Path=/; Max-Age=31536000; SameSite=Strict" + secure;
      }
    } catch (e) {
      /* no Intl: the server shows UTC and says so */
    }
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(rest);
  }

  /* Vibrate (phones), only once the person has touched the page: browsers refuse it before. */
  function buzz(pattern) {
    var touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) {
      try { navigator.vibrate(pattern); } catch (e) { /* not allowed */ }
    }
  }

  /* A timer: `cycles` rounds of `on` seconds then `off` seconds (no pause after the last round). */
  function Timer(box) {
    this.box = box;
    this.on = parseInt(box.getAttribute("data-on"), 10) || 0;
    this.off = parseInt(box.getAttribute("data-off"), 10) || 0;
    this.cycles = parseInt(box.getAttribute("data-cycles"), 10) || 1;
    this.texts = {
      on: box.getAttribute("data-on-text") || "On.",
      off: box.getAttribute("data-off-text") || "Off.",
      done: box.getAttribute("data-done-text") || "Done."
    };
    this.display = box.querySelector("[data-display]");
    this.phaseLine = box.querySelector("[data-phase]");
    this.startButton = box.querySelector('[data-action="start"]');
    this.pauseButton = box.querySelector('[data-action="pause"]');
    this.resetButton = box.querySelector('[data-action="reset"]');
    this.select = box.querySelector("[data-on-select]");
    this.handle = null;
    this.reset();
    var self = this;
    this.startButton.addEventListener("click", function () { self.start(); });
    this.pauseButton.addEventListener("click", function () { self.pause(); });
    this.resetButton.addEventListener("click", function () { self.reset(); });
    if (this.select) {
      this.select.addEventListener("change", function () {
        self.on = parseInt(self.select.value, 10) || self.on;
        self.reset();
      });
    }
    var live = box.querySelector("[data-live]");
    if (live) { live.hidden = false; }
    var fallback = box.querySelector("[data-no-script]");
    if (fallback) { fallback.hidden = true; }
    if (box.hasAttribute("data-autostart")) { this.start(); }
  }

  Timer.prototype.phases = function () {
    var list = [];
    for (var i = 1; i <= this.cycles; i++) {
      list.push({ kind: "on", seconds: this.on, round: i });
      if (i < this.cycles && this.off > 0) {
        list.push({ kind: "off", seconds: this.off, round: i });
      }
    }
    return list;
  };

  Timer.prototype.reset = function () {
    this.stopTicking();
    this.plan = this.phases();
    this.index = 0;
    this.remaining = this.plan.length ? this.plan[0].seconds : 0;
    this.running = false;
    this.show();
    this.say("Ready when you are.");
    this.startButton.textContent = "Start";
    this.startButton.hidden = false;
    this.pauseButton.hidden = true;
  };

  Timer.prototype.say = function (text) {
    if (this.phaseLine.textContent !== text) {
      this.phaseLine.textContent = text;
    }
  };

  Timer.prototype.show = function () {
    this.display.textContent = format(this.remaining);
  };

  Timer.prototype.announcePhase = function () {
    var phase = this.plan[this.index];
    var prefix = "Round " + phase.round + " of " + this.cycles + ": ";
    this.say(prefix + (phase.kind === "on" ? this.texts.on : this.texts.off));
    buzz(200);
  };

  Timer.prototype.start = function () {
    if (this.running || this.index >= this.plan.length) { return; }
    this.running = true;
    this.endsAt = Date.now() + this.remaining * 1000;
    this.announcePhase();
    this.startButton.hidden = true;
    this.pauseButton.hidden = false;
    this.pauseButton.focus();
    var self = this;
    this.handle = window.setInterval(function () { self.tick(); }, 250);
  };

  Timer.prototype.pause = function () {
    if (!this.running) { return; }
    this.tick();
    this.running = false;
    this.stopTicking();
    this.say("Paused.");
    this.startButton.textContent = "Resume";
    this.startButton.hidden = false;
    this.pauseButton.hidden = true;
    this.startButton.focus();
  };

  Timer.prototype.stopTicking = function () {
    if (this.handle !== null) {
      window.clearInterval(this.handle);
      this.handle = null;
    }
  };

  Timer.prototype.tick = function () {
    if (!this.running) { return; }
    this.remaining = (this.endsAt - Date.now()) / 1000;
    if (this.remaining <= 0) {
      this.index += 1;
      if (this.index >= this.plan.length) {
        this.remaining = 0;
        this.running = false;
        this.stopTicking();
        this.show();
        this.say(this.texts.done);
        this.startButton.hidden = true;
        this.pauseButton.hidden = true;
        this.resetButton.focus();
        buzz([200, 100, 200]);
        return;
      }
      this.remaining = this.plan[this.index].seconds;
      this.endsAt = Date.now() + this.remaining * 1000;
      this.announcePhase();
    }
    this.show();
  };

  function setUpTimers(root) {
    var boxes = (root || document).querySelectorAll("[data-timer]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].getAttribute("data-ready")) {
        boxes[i].setAttribute("data-ready", "1");
        new Timer(boxes[i]);
      }
    }
  }

  /* After htmx swaps part of a page in, wire its timers and move focus to its heading. */
  function afterSwap(event) {
    var target = event.detail && event.detail.target ? event.detail.target : document;
    setUpTimers(target);
    var heading = target.querySelector ? target.querySelector("[data-focus]") : null;
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  /* Checklists: "Yes" and "Not sure" for one sign exclude each other, and "None of these" excludes
   * every other tick. Without this script the server refuses such a form with a message instead. */
  function setUpChecklists(root) {
    var forms = (root || document).querySelectorAll("form[data-checklist]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("change", onChecklistChange);
    }
  }

  function onChecklistChange(event) {
    var box = event.target;
    if (!box || box.type !== "checkbox" || !box.checked) { return; }
    var form = box.form;
    var answer = box.getAttribute("data-answer");
    var others = form.querySelectorAll("input[type=checkbox][data-answer]");
    for (var i = 0; i < others.length; i++) {
      var other = others[i];
      if (other === box || !other.checked) { continue; }
      var sameItem = other.getAttribute("data-item") === box.getAttribute("data-item");
      var otherAnswer = other.getAttribute("data-answer");
      if (answer === "none" || otherAnswer === "none" || sameItem) {
        other.checked = false;
      }
    }
  }

  /* Keep the emergency and learn pages for use without a connection (see /sw.js). */
  function registerServiceWorker() {
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* not allowed here */ });
    }
  }

  function init() {
    rememberTimeZone();
    registerServiceWorker();
    setUpTimers(document);
    setUpChecklists(document);
    document.body.addEventListener("htmx:afterSwap", afterSwap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
