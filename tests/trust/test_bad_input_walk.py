"""Every form and every id-taking route, fed what a browser never sends, answers 4xx and never 5xx (issue 11, item 6).

The walk signs in, follows the links of the workspace and of a respondent's
survey, and submits each form it finds once per field and bad value (a NUL byte,
a 5,000-digit number, an id past the database's integer range, a line break in a
redirect target). Both workspaces use uploaded questionnaires with the same id and
version. It runs on SQLite and, in the PostgreSQL pass, on PostgreSQL, which is
the database that refused such input with a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.services import accounts, clients, questionnaires
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, start
from tests.web.workspace_data import PASSWORD, login

BAD_VALUES = ("a\x00b", "9" * 5000, "99999999999", "\r\nX-Injected: 1")
BIG_ID = 99_999_999_999
SAME_Q = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: same-q")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser would send as it is
    mutable: list[str] = field(default_factory=list)  # names of fields a user (or a forger) fills in


class _Forms(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base, self.forms, self.links = base, [], set()
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._submit_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.add(urljoin(self.base, a["href"]))
        elif tag == "form":
            self._form = Form(urljoin(self.base, a.get("action") or self.base), a.get("method", "get").lower())
            self._submit_seen = False
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind, name = a.get("type", "text"), a["name"]
            if kind == "submit":
                if not self._submit_seen:
                    self._form.fields.append((name, a.get("value", "")))
                    self._submit_seen = True
                return
            if kind not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.append((name, a.get("value", "")))
            if kind != "file" and name not in self._form.mutable:
                self._form.mutable.append(name)
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit" and not self._submit_seen:
            self._form.fields.append((a["name"], a.get("value", "")))
            self._submit_seen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields.append((a["name"], ""))
            self._form.mutable.append(a["name"])
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.mutable.append(a["name"])
        elif tag == "option" and self._select is not None and not any(n == self._select for n, _ in self._form.fields):
            self._form.fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _parse(url: str, html: str) -> _Forms:
    parser = _Forms(url)
    parser.feed(html)
    return parser


def _seed(app: Flask) -> tuple[dict[str, int], str]:
    """Two workspaces with clashing uploaded questionnaires; Alpha's ids, and an invited respondent's token."""
    catalog = app.extensions["assess.catalog"]
    ids: dict[str, int] = {}
    token = ""
    with Session(app.extensions["assess.engine"]) as session:
        for name in ("Beta", "Alpha"):
            workspace = accounts.create_workspace(session, name)
            assert workspace.id is not None
            accounts.create_user(session, email=f"{name.lower()}@example.com", password=PASSWORD,
                                 workspace_id=workspace.id, is_admin=True)
            questionnaires.import_questionnaire(session, catalog, workspace.id,
                                                SAME_Q.replace("Online-Buchung?", f"{name}-Buchung?"), "same-q.yaml", None)
            org = clients.create_organisation(session, workspace.id, name=f"{name} GmbH", industry="retail", size="50-249")
            first = clients.create_assessment(session, catalog, workspace.id, org.id or 0, questionnaire_id="same-q")
            follow = clients.create_assessment(session, catalog, workspace.id, org.id or 0, questionnaire_id="mini",
                                               previous_id=first.id)
            invitation = clients.invite(session, first, role="executive", name="Erika")
            clients.invite(session, follow, role="it")
            ids = {"organisation": org.id or 0, "assessment": first.id or 0, "respondent": invitation.respondent.id or 0}
            token = invitation.token
        session.commit()
    return ids, token


def _crawl(client: FlaskClient, starts: list[str], prefixes: tuple[str, ...], limit: int = 60) -> Iterator[tuple[str, _Forms]]:
    """Every page reachable from `starts` under `prefixes` (GET only; never a link that changes something)."""
    seen: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if path in seen or not path.startswith(prefixes) or path.endswith((".pdf", ".csv", ".xlsx", ".json", ".js")):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code == 200 and response.mimetype == "text/html":
            parsed = _parse(f"http://localhost{path}", response.get_data(as_text=True))
            yield path, parsed
            queue += sorted(parsed.links)


def _submit_bad_values(client: FlaskClient, page: str, form: Form, problems: list[str]) -> int:
    """Submit `form` once per mutable field and bad value (a fresh page, so a fresh CSRF token, each time)."""
    sent = 0
    for name in form.mutable:
        if name == "csrf_token":
            continue
        for bad in BAD_VALUES:
            html = client.get(page).get_data(as_text=True)
            current = next((f for f in _parse(f"http://localhost{page}", html).forms if f.action == form.action), None)
            if current is None:
                break  # the page no longer has this form (e.g. the thing it acted on is gone)
            data = [(k, bad if k == name else v) for k, v in current.fields if k != name] + [(name, bad)]
            response = client.open(urlsplit(current.action).path, method=current.method.upper(), data=dict(data))
            sent += 1
            if response.status_code >= 500:
                problems.append(f"{response.status_code}: {current.method.upper()} {current.action} {name}={bad[:12]!r}")
    return sent


def test_no_form_and_no_id_route_answers_5xx(app: Flask) -> None:
    ids, token = _seed(app)
    problems: list[str] = []
    consultant = app.test_client()
    login(consultant, "alpha@example.com")
    submitted = 0
    for page, parsed in _crawl(consultant, ["/w/", "/w/settings/questionnaires", "/w/settings/tokens",
                                            "/w/settings/team", f"/w/assessment/{ids['assessment']}/workshop/1"],
                               ("/w/",)):
        for form in parsed.forms:
            if form.method == "post" and "/logout" not in form.action:
                submitted += _submit_bad_values(consultant, page, form, problems)
    respondent = app.test_client()
    notice = respondent.get(f"/r/{token}/privacy")
    respondent.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    self_assessor = app.test_client()
    own = start(self_assessor)
    for client, starts in ((respondent, [f"/r/{token}/page/1", f"/r/{token}/review"]),
                           (self_assessor, [f"/r/{own}/page/1", "/start"])):
        for page, parsed in _crawl(client, starts, ("/r/", "/start")):
            for form in parsed.forms:
                if form.method == "post":
                    submitted += _submit_bad_values(client, page, form, problems)
    anonymous = app.test_client()
    page = anonymous.get("/login")
    for form in _parse("http://localhost/login", page.get_data(as_text=True)).forms:
        submitted += _submit_bad_values(anonymous, "/login", form, problems)
    assert submitted > 80  # the walk found the forms: if this drops, forms were lost or the parser broke
    assert problems == []

    # Ids past the database's integer range, in every route that takes one and in forms and query strings.
    for rule in app.url_map.iter_rules():
        int_args = [a for a in rule.arguments if a.endswith("_id") or a == "number"]
        if not int_args:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", str(BIG_ID)).replace(f"<{arg}>", "csv" if arg == "fmt" else str(BIG_ID))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            client = consultant if url.startswith("/w/") else respondent
            response = client.open(url, method=method, data={"csrf_token": csrf_of(consultant.get("/w/").data)})
            assert response.status_code in (404, 405, 401), (method, url, response.status_code)
    csrf = csrf_of(consultant.get(f"/w/org/{ids['organisation']}").data)
    response = consultant.post(f"/w/org/{ids['organisation']}/assessments", data={
        "csrf_token": csrf, "questionnaire": "mini@1.0", "previous_id": str(BIG_ID)})
    assert response.status_code == 404
    for target in ("/w/\r\nX-Injected: 1", "/w/\nX", "//evil.example/", "/\\evil.example", "/w/\x00"):
        response = consultant.get("/lang/en", query_string={"next": target})
        assert response.status_code == 302 and response.headers["Location"] == "/", target
    response = consultant.get("/lang/en?next=/w/%0D%0AX-Injected:%201")  # the review's request: decoded, refused
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "X-Injected" not in response.headers
