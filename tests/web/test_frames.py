"""A page filled from its cached frame is exactly the page Jinja renders in full."""

from __future__ import annotations

from flask import Flask, render_template
from flask.testing import FlaskClient

from assess.web import pages
from assess.web.database import catalog, db
from assess.web.frames import Frame, Placeholders
from tests.web.conftest import page_form, start


def test_frame_fill_equals_full_render(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "4",
                                             "c-ch.booking": 'Zeile 1\n<b>"Übergabe" & Co</b>', "q-ch.chat": "na",
                                             "r-ch.chat": "Kein Chat"})
    with app.test_request_context(f"/r/{token}/page/1"):
        page = pages.load_page(db(), catalog(), token, 1, "de")
        static = pages._static_context(page)
        full = render_template("survey/page.html", v=pages._values(page), **static)
        frame = Frame.build(lambda p: render_template("survey/page.html", v=p, **static))
        assert frame.fill(pages._values(page)) == full
        for question in ("ch.booking", "ch.chat"):  # every per-respondent value is a slot
            assert {f"radios:{question}", f"state:{question}", f"comment:{question}"} <= set(frame.slots)
        assert {"csrf", "rid", "resume_url"} <= set(frame.slots)
        assert "&lt;b&gt;&#34;Übergabe&#34; &amp; Co&lt;/b&gt;" in full


def test_placeholders_survive_escaping() -> None:
    placeholders = Placeholders()
    assert str(placeholders["x"]).isalnum() and placeholders["x"] is placeholders["x"]
    frame = Frame.build(lambda p: f"<a href='/?n={p['a']}'>{p['b']}</a>{p['a']}")
    assert frame.fill({"a": "1", "b": "2"}) == "<a href='/?n=1'>2</a>1"


def test_text_that_looks_like_a_placeholder_is_only_text() -> None:
    """A question text may contain anything, also what the placeholders of an earlier frame looked like."""
    frame = Frame.build(lambda p: f"<p>QQslot999QQ QQslot0QQ {p['a']}</p>")
    assert frame.fill({"a": "x"}) == "<p>QQslot999QQ QQslot0QQ x</p>"
