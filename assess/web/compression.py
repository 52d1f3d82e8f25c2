"""Compressed static assets (Flask-Compress): the chart bundle goes out at 366 kB instead of 1.2 MB.

Only scripts, style sheets and SVG: never HTML or JSON. A page that holds a secret (the CSRF token, a
personal link) and reflects what a URL carries (the language links' `next`) would, compressed, leak
that secret byte by byte to whoever can make a browser load chosen URLs and watch the sizes (BREACH).
"""

from __future__ import annotations

from flask import Flask, request
from flask.wrappers import Response as FlaskResponse
from flask_compress import Compress
from flask_compress.flask_compress import DictCache

MIMETYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"]


ASSET_ENDPOINTS = frozenset({"static", "results.plotly_js"})  # the files; nothing else is ever compressed


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])  # every browser has them
    app.config.setdefault("COMPRESS_STREAMS", False)  # see _whole
    app.config["COMPRESS_REGISTER"] = False  # applied to the asset endpoints only (below): pages pay nothing
    # Each file compressed once per process, as well as brotli can in a quarter second (the bundle: 1.2 MB → 366 kB;
    # quality 11 would take 5 s for 9 % less), keyed by path alone: a query string cannot fill the memory.
    app.config.setdefault("COMPRESS_BR_LEVEL", 9)
    if not app.debug:  # while developing, an edited file is sent as it is now
        app.config.setdefault("COMPRESS_CACHE_BACKEND", DictCache)
        app.config.setdefault("COMPRESS_CACHE_KEY", lambda request: request.path)
    compress = Compress(app)

    @app.after_request
    def _compress_assets(response: FlaskResponse) -> FlaskResponse:
        if request.endpoint not in ASSET_ENDPOINTS:
            return response
        return compress.after_request(_whole(response))


def _whole(response: FlaskResponse) -> FlaskResponse:
    """A file (send_file streams it) read into the response before it is compressed, so Flask-Compress compresses
    it as a whole and the file is closed when the response is (compressing the stream would drop its close())."""
    if response.is_streamed and response.mimetype in MIMETYPES and request.headers.get("Accept-Encoding"):
        response.direct_passthrough = False
        response.make_sequence()
    return response
