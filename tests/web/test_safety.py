"""Forged, tampered and repeated requests: a 4xx and nothing stored, or nothing lost."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import page_form, start, stored


@pytest.mark.parametrize(
    "extra",
    [
        {"q-ch.nope": "3"},            # unknown question
        {"q-ch.booking": "6"},         # level outside 1-5
        {"q-ch.booking": "0"},
        {"q-proc.handover": "2"},      # a question from another page
        {"c-ch.booking": "x" * 2001},  # comment longer than allowed
    ],
)
def test_tampered_post_is_400_and_stores_nothing(app: Flask, client: FlaskClient, extra: dict[str, str]) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    response = client.post(f"/r/{token}/page/1", data={**form, "q-ch.chat": "2", **extra})
    assert response.status_code == 400
    assert stored(app) == {}


def test_na_where_not_allowed_is_400(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "na",
                                                       "r-ch.booking": "x"})
    assert response.status_code == 400 and stored(app) == {}


def test_missing_csrf_is_400(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    del form["csrf_token"]
    response = client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "3"})
    assert response.status_code == 400 and stored(app) == {}


def test_form_of_another_respondent_is_400(app: Flask, client: FlaskClient) -> None:
    mine, theirs = start(client), start(client, organisation="Other")
    form = page_form(client, mine, 1)
    response = client.post(f"/r/{theirs}/page/1", data={**form, "q-ch.booking": "3"})
    assert response.status_code == 400 and stored(app) == {}


def test_wrong_token_is_a_plain_404(client: FlaskClient) -> None:
    start(client)
    for url in ("/r/not-a-token", "/r/not-a-token/page/1", "/r/not-a-token/result", "/r/x/review"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Traceback" not in response.get_data(as_text=True)


def test_page_number_out_of_range_is_404(client: FlaskClient) -> None:
    token = start(client)
    assert client.get(f"/r/{token}/page/9").status_code == 404
    assert client.get(f"/r/{token}/page/0").status_code == 404


def test_comments_are_stored_as_given_and_escaped(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    evil = '<script>alert(1)</script><img src="file:///etc/passwd">'
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "3", "c-ch.booking": evil})
    assert stored(app)["ch.booking"][1] == evil
    for url in (f"/r/{token}/page/1", f"/r/{token}/result"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_two_tabs_never_lose_an_answer(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    tab_a = page_form(client, token, 1)
    tab_b = page_form(client, token, 1)  # both rendered before either saves
    client.post(f"/r/{token}/page/1", data={**tab_a, "q-ch.booking": "4", "c-ch.booking": "from A"})
    client.post(f"/r/{token}/page/1", data={**tab_b, "q-ch.chat": "2"})
    assert stored(app) == {"ch.booking": ("4", "from A", ""), "ch.chat": ("2", "", "")}
    # The later write of the same question wins.
    tab_c = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**tab_c, "q-ch.booking": "4", "q-ch.chat": "5"})
    client.post(f"/r/{token}/page/1", data={**tab_b, "q-ch.booking": "1", "q-ch.chat": "2"})  # stale tab, both changed
    assert stored(app)["ch.booking"][0] == "1"


def test_double_submit_stores_each_answer_once(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = {**page_form(client, token, 1), "q-ch.booking": "2", "nav": "next"}
    first = client.post(f"/r/{token}/page/1", data=form)
    second = client.post(f"/r/{token}/page/1", data=form)
    assert first.status_code == second.status_code == 302
    assert stored(app) == {"ch.booking": ("2", "", "")}


def test_oversized_request_is_413(client: FlaskClient) -> None:
    token = start(client)
    response = client.post(f"/r/{token}/page/1", data={"c-ch.booking": "x" * 300_000})
    assert response.status_code == 413


def test_a_comment_with_line_breaks_that_fits_the_field_is_kept(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    comment = ("x" * 99 + "\r\n") * 20  # 2,000 characters as the textarea counts them, 2,020 as sent
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "3",
                                                       "c-ch.booking": comment})
    assert response.status_code == 302
    assert stored(app)["ch.booking"][1] == comment.replace("\r\n", "\n")
