/* Presenter mode's clicker: presentation remotes send arrow / page keys (some B or "." for a black
 * screen); each key presses one of the tour bar's buttons, so Streamlit does the stepping. Keys
 * are heard in this page and inside the map's frame (same origin), where Leaflet would otherwise
 * pan. Installed once per browser tab; `window.shahuPresenter` (keys, texts) is refreshed on every
 * run. Does nothing when the tour bar is not on screen. */
(function () {
  "use strict";
  const doc = window.parent && window.parent !== window ? window.parent.document : document;
  const host = doc.defaultView;
  host.shahuPresenter = window.shahuPresenter || host.shahuPresenter;
  if (host.shahuPresenterInstalled) return;
  host.shahuPresenterInstalled = true;

  const HINT_SEEN = "shahu.presenter.hint";
  const config = () => host.shahuPresenter || { keys: {} };
  const presenting = () => !!doc.querySelector(".st-key-tour_next button");
  const typing = (el) =>
    !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName || ""));

  function press(action) {
    const button = doc.querySelector(".st-key-tour_" + action + " button");
    if (button && !button.disabled) button.click();
  }

  function black() {
    let curtain = doc.getElementById("shahu-black");
    if (curtain) {
      curtain.remove();
      return;
    }
    curtain = doc.createElement("div");
    curtain.id = "shahu-black";
    curtain.setAttribute("role", "presentation");
    curtain.title = config().black || "";
    curtain.addEventListener("click", () => curtain.remove());
    doc.body.appendChild(curtain);
  }

  function hideHint() {
    const hint = doc.getElementById("shahu-keys-hint");
    if (hint) hint.remove();
  }

  function showHintOnce() {
    if (!presenting() || doc.getElementById("shahu-keys-hint")) return;
    let seen = false;
    try {
      seen = host.localStorage.getItem(HINT_SEEN) === "1";
      host.localStorage.setItem(HINT_SEEN, "1");
    } catch (e) {
      /* storage blocked: show it this once anyway */
    }
    if (seen) return;
    const hint = doc.createElement("div");
    hint.id = "shahu-keys-hint";
    hint.setAttribute("role", "status");
    hint.textContent = config().hint || "";
    hint.addEventListener("click", hideHint);
    doc.body.appendChild(hint);
    host.setTimeout(hideHint, 12000);
  }

  function onKey(event) {
    if (!presenting() || event.ctrlKey || event.metaKey || event.altKey) return;
    const action = config().keys[event.key];
    const curtain = doc.getElementById("shahu-black");
    if (curtain) {
      curtain.remove(); /* any key lifts the black screen, and does only that */
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (!action || (typing(event.target) && action !== "exit")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    hideHint();
    if (action === "black") black();
    else press(action);
  }

  function onKeyUp(event) {
    /* A focused button would treat the Space we already used as a click of its own. */
    if (presenting() && config().keys[event.key] && !typing(event.target)) event.preventDefault();
  }

  function listen(win) {
    try {
      if (!win || win.shahuKeys) return;
      win.shahuKeys = true;
      win.addEventListener("keydown", onKey, true);
      win.addEventListener("keyup", onKeyUp, true);
    } catch (e) {
      /* a frame from another origin: not ours to listen to */
    }
  }

  /* The map fills the stage: its frame runs to the bottom of the window, and the map inside
   * follows (st_folium draws it at a fixed pixel height). Outside presenter mode the page draws
   * the map afresh, in no stage container; the undo below is for a frame still on the stage. */
  const FIT_STYLE = "#map_div, #map_div2 { height: 100vh !important; }";
  function fitMap() {
    doc.querySelectorAll(".st-key-stage_map iframe").forEach((frame) => {
      let inner = null;
      try {
        inner = frame.contentDocument;
      } catch (e) {
        return;
      }
      if (!inner || !inner.head) return;
      let style = inner.getElementById("shahu-fit");
      const before = frame.style.height;
      if (presenting()) {
        const offset = frame.getBoundingClientRect().top;
        const height = Math.max(320, Math.floor(host.innerHeight - offset - 12));
        frame.style.setProperty("height", height + "px", "important");
        if (!style) {
          style = inner.createElement("style");
          style.id = "shahu-fit";
          style.textContent = FIT_STYLE;
          inner.head.appendChild(style);
        }
      } else if (style) {
        style.remove();
        frame.style.removeProperty("height");
      }
      if (frame.style.height !== before) frame.contentWindow.dispatchEvent(new Event("resize"));
    });
  }

  const frames = new WeakSet();
  function hookFrames() {
    doc.querySelectorAll("iframe").forEach((frame) => {
      if (!frames.has(frame)) {
        frames.add(frame);
        frame.addEventListener("load", () => {
          listen(frame.contentWindow);
          fitMap();
        });
      }
      listen(frame.contentWindow);
    });
    fitMap();
    if (presenting()) showHintOnce();
  }

  listen(host);
  host.addEventListener("resize", fitMap);
  hookFrames();
  new MutationObserver(hookFrames).observe(doc.body, { childList: true, subtree: true });
})();
