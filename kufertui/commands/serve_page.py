"""The page `kufertui serve` hands the browser: ours, in the UI language, and loading nothing from outside.

textual-serve's own page links a stylesheet of a third-party font service (every page load would send the
helpdesk's IP address there, and the server often has no internet) and speaks English. This page loads only
what textual-serve ships and serves under the secret prefix (its terminal script and stylesheet, and its own
copy of the Roboto Mono font), and says everything in the user's language. A Content-Security-Policy
header makes the browser refuse anything from another origin, should a script ever ask for it.
"""

from __future__ import annotations

from kufertui.i18n import t

# textual.js looks for `.textual-terminal` (data-session-websocket-url, data-font-size) and `#start`, and
# sets the body classes -first-byte (output arrived) and -closed (the app ended)
PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
  <head>
    <meta charset="utf-8">
    <meta name="referrer" content="no-referrer">
    <title>{{ application.name }}</title>
    <link rel="stylesheet" href="{{ config.static.url }}css/xterm.css">
    <script src="{{ config.static.url }}js/textual.js"></script>
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-style: italic;
      }
      body { background: #0c181f; margin: 0; }
      .dialog { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                z-index: 10; background: #0c181f; }
      .box { min-width: 320px; padding: 32px; font: 16px "Roboto Mono", monospace; text-align: center;
             color: rgba(255, 255, 255, 0.95); background: #12232d; }
      .box button { margin: 16px auto 0; padding: 12px 28px; border: none; display: block; cursor: pointer;
                    font: inherit; color: rgba(255, 255, 255, 0.95); background: #5e0ba7; }
      .box button:hover { background: #ac5af4; }
      body.-first-byte .intro { display: none; }
      #start { display: none; }
      #start.-delay { display: block; }
      .closed { display: none; }
      body.-closed .closed { display: flex; }
      .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
      body.-first-byte .textual-terminal { opacity: 1; }
    </style>
    <script>
      function restart() {
        const url = new URL(window.location.href);
        url.searchParams.delete("delay");
        window.location.href = url.pathname + "?" + url.searchParams.toString();
      }
    </script>
  </head>
  <body>
    <div class="dialog intro">
      <div class="box">
        <div>{{ texts.loading }}</div>
        <button type="button" id="start" onclick="restart()">{{ texts.start }}</button>
      </div>
    </div>
    <div class="dialog closed">
      <div class="box">
        <div>{{ texts.ended }}</div>
        <button type="button" onclick="restart()">{{ texts.restart }}</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal" data-session-websocket-url="{{ app_websocket_url }}"
         data-font-size="{{ font_size }}"></div>
  </body>
</html>
"""


def page_texts() -> dict[str, str]:
    """The page's words in the current UI language (jinja escapes them when the page is rendered)."""
    return {name: t(f"cli.serve-page.{name}") for name in ("loading", "start", "ended", "restart")}


def content_security_policy(port: int) -> str:
    """Only this server: the page's origin (by address or by name), its websocket, inline style and script
    of the page itself; nothing from another origin, no framing."""
    own = f"http://127.0.0.1:{port} http://localhost:{port}"
    sockets = f"ws://127.0.0.1:{port} ws://localhost:{port}"
    return (f"default-src 'self' {own}; script-src 'self' {own} 'unsafe-inline' 'unsafe-eval'; "
            f"style-src 'self' {own} 'unsafe-inline'; img-src 'self' {own} data: blob:; "
            f"font-src 'self' {own} data:; connect-src 'self' {own} {sockets}; worker-src 'self' {own} blob:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")
