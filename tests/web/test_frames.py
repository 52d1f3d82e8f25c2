"""A page filled from its cached frame is exactly the page Jinja renders in full."""

from __future__ import annotations

import yaml
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.services import accounts, clients, questionnaires
from assess.web import pages
from assess.web.database import catalog, db
from assess.web.frames import Frame, Placeholders
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, page_form, start


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


def _german_only() -> str:
    """The mini questionnaire with its German texts only."""
    def strip(node: object) -> object:
        if isinstance(node, dict):
            if set(node) == {"de", "en"}:
                return {"de": node["de"]}
            return {k: strip(v) for k, v in node.items()}
        return [strip(v) for v in node] if isinstance(node, list) else node
    data = strip(yaml.safe_load((FIXTURES / "mini.yaml").read_text(encoding="utf-8")))
    assert isinstance(data, dict)
    return yaml.safe_dump({**data, "id": "nur-deutsch", "languages": ["de"]}, allow_unicode=True)


def test_a_page_frame_follows_the_interface_language(app: Flask) -> None:
    """A German-only questionnaire: an English visitor first must not leave English buttons for a German one."""
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Nord")
        questionnaires.import_questionnaire(session, catalog, workspace.id or 0, _german_only(), "de.yaml", None)
        org = clients.create_organisation(session, workspace.id or 0, name="Kunde", industry="retail", size="1-49")
        assessment = clients.create_assessment(session, catalog, workspace.id or 0, org.id or 0,
                                               questionnaire_id="nur-deutsch")
        tokens = [clients.invite(session, assessment, role="it").token for _ in range(2)]
        session.commit()
    pages = []
    for token, language in zip(tokens, ("en", "de"), strict=True):
        browser = app.test_client()
        browser.get(f"/lang/{language}")
        notice = browser.get(f"/r/{token}/privacy")
        browser.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
        pages.append(browser.get(f"/r/{token}/page/1").get_data(as_text=True))
    assert 'lang="en"' in pages[0] and "Save and next" in pages[0]
    assert 'lang="de"' in pages[1] and "Save and next" not in pages[1] and "Weiß nicht" in pages[1]
