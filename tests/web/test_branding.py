"""A consultancy's name, colour and logo on its reports; checked uploads; self-assessments keep the product's look."""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

import pdfplumber
import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, PngImagePlugin
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from assess.db.models import AuditEntry, Brand, Organisation
from assess.services import branding, reports
from tests.web.conftest import csrf_of
from tests.web.workspace_data import Seeded, login, seed_workspace


def _png(width: int = 600, height: int = 200, colour: tuple[int, int, int] = (180, 20, 60), **chunks: str) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _noisy_png(width: int, height: int) -> bytes:
    """A PNG that does not compress: about width × height × 3 bytes."""
    rnd = random.Random(3)
    image = Image.frombytes("RGB", (width, height), bytes(rnd.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge image (a decompression bomb's start)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")


# -- the checks ---------------------------------------------------------------------------------------------------

def test_a_logo_is_re_encoded_as_a_small_png_without_the_uploads_metadata() -> None:
    upload = _png(3000, 1000, Comment="secret note from the designer") + b"trailing bytes"
    cleaned = branding.clean_logo(upload)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "PNG" and image.size == (1200, 400)  # scaled into the box, proportions kept
        assert "Comment" not in image.info
    assert b"secret note" not in cleaned and b"trailing" not in cleaned
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 100), (0, 90, 0)).save(jpeg, format="JPEG", exif=b"Exif\x00\x00MM\x00*")
    assert branding.clean_logo(jpeg.getvalue()).startswith(b"\x89PNG")


@pytest.mark.parametrize(("upload", "says"), [
    (b"GIF89a" + b"\0" * 40, "PNG or JPEG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "could not be read"),
    (_png()[:60], "could not be read"),  # cut off
    (_png_header_claiming(20_000, 20_000), "too many pixels"),
    (b"\x89PNG" + b"\0" * (branding.MAX_LOGO_BYTES + 1), "larger than 2 MB"),
], ids=["gif", "svg", "truncated", "bomb", "too large"])
def test_what_is_not_a_logo_is_refused_with_a_reason(upload: bytes, says: str) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(branding.BrandError) as refused:
        branding.clean_logo(gif.getvalue() if upload.startswith(b"GIF") else upload)
    assert says in refused.value.message % refused.value.params()


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_cut_off_logo_is_refused_even_where_pillow_accepts_truncated_images(
        kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it for the whole process
    out = io.BytesIO()
    Image.new("RGB", (600, 200), (180, 20, 60)).save(out, format=kind)
    whole = out.getvalue()
    assert branding.clean_logo(whole).startswith(b"\x89PNG")
    with pytest.raises(branding.BrandError, match="could not be read"):
        branding.clean_logo(whole[: len(whole) // 2])


def test_a_colour_must_be_hex_and_dark_enough_for_headings_on_white() -> None:
    assert branding.clean_colour(" #1F5F8B ") == "#1f5f8b"
    assert branding.clean_colour("") == ""
    for bad in ("red", "#12345", "#1f5f8b; } body { display: none", "#GGGGGG"):
        with pytest.raises(branding.BrandError, match="RRGGBB"):
            branding.clean_colour(bad)
    with pytest.raises(branding.BrandError) as light:
        branding.clean_colour("#ffd700")  # gold: 1.4 : 1 on white
    assert light.value.params()["ratio"] == pytest.approx(1.4, abs=0.05)
    assert branding.contrast_with_white("#000000") == pytest.approx(21.0)


# -- the settings page ----------------------------------------------------------------------------------------------

def _post_brand(client: FlaskClient, **fields: Any) -> Any:
    csrf = csrf_of(client.get("/w/settings/team").data)
    data = {"csrf_token": csrf, "brand_name": "", "colour": "", **fields}
    files = {key: FileStorage(stream, filename=name) for key, value in data.items() if isinstance(value, tuple)
             for stream, name in [value]}
    boundary, body = encode_multipart(MultiDict({**{k: v for k, v in data.items() if k not in files}, **files}))
    # the body as bytes: the test client would spool a large one to a temporary file it never closes
    return client.post("/w/settings/brand", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _brand(app: Flask, seeded: Seeded) -> Brand | None:
    with Session(app.extensions["assess.engine"]) as session:
        return session.get(Brand, seeded.workspace_id)


def test_an_admin_sets_name_colour_and_a_large_logo(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    logo = _noisy_png(700, 500)
    assert len(logo) > app.config["MAX_CONTENT_LENGTH"]  # larger than any other form may be
    response = _post_brand(client, brand_name="Nordlicht Beratung", colour="#7A1F3D",
                           logo=(io.BytesIO(logo), "logo.png"))
    assert response.status_code == 302
    stored = _brand(app, seeded)
    assert stored is not None and (stored.name, stored.colour) == ("Nordlicht Beratung", "#7a1f3d")
    assert stored.logo is not None and stored.logo.startswith(b"\x89PNG")
    shown = client.get("/w/settings/brand/logo.png")
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data == stored.logo
    page = client.get("/w/settings/team").get_data(as_text=True)
    assert 'value="Nordlicht Beratung"' in page and 'value="#7a1f3d"' in page
    with Session(app.extensions["assess.engine"]) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.workspace_id == seeded.workspace_id)).all()
    assert "set_brand" in actions
    assert _post_brand(client, brand_name="Nordlicht Beratung", remove_logo="1").status_code == 302
    brand = _brand(app, seeded)
    assert brand is not None and brand.logo is None
    assert client.get("/w/settings/brand/logo.png").status_code == 404


def test_a_refused_setting_says_why_in_german_and_stores_nothing(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    assert _post_brand(client, brand_name="Vorher", colour="#1f5f8b").status_code == 302
    client.get("/lang/de")
    response = _post_brand(client, brand_name="Nachher", colour="#ffff00", logo=(io.BytesIO(_png()), "logo.png"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "zu hell" in page and "1,1 : 1" in page
    refused_logo = _post_brand(client, brand_name="Nachher", logo=(io.BytesIO(b"GIF89a" + b"\0" * 50), "x.gif"))
    assert refused_logo.status_code == 400 and "PNG- oder JPEG" in refused_logo.get_data(as_text=True)
    brand = _brand(app, seeded)
    assert brand is not None and (brand.name, brand.colour, brand.logo) == ("Vorher", "#1f5f8b", None)


def test_only_an_admin_sets_the_brand(app: Flask, client: FlaskClient) -> None:
    from assess.services import accounts

    seeded = seed_workspace(app, "Alpha")
    with Session(app.extensions["assess.engine"]) as session:
        accounts.create_user(session, email="member@alpha.example", password="a long password 1",
                             workspace_id=seeded.workspace_id)
        session.commit()
    login(client, "member@alpha.example", "a long password 1")
    csrf = csrf_of(client.get("/w/").data)
    response = client.post("/w/settings/brand", data={"csrf_token": csrf, "brand_name": "Mine"})
    assert response.status_code == 403 and _brand(app, seeded) is None


# -- the reports ----------------------------------------------------------------------------------------------------

def _report(app: Flask, seeded: Seeded, lang: str = "de") -> dict[str, Any]:
    from assess.db.models import Assessment

    with Session(app.extensions["assess.engine"]) as session:
        assessment = session.get(Assessment, seeded.assessment_id)
        assert assessment is not None
        organisation = session.get(Organisation, assessment.organisation_id)
        assert organisation is not None
        return reports.assessment_report(session, app.extensions["assess.catalog"], assessment, organisation, lang)


def _set_brand(app: Flask, seeded: Seeded, **fields: Any) -> None:
    with Session(app.extensions["assess.engine"]) as session:
        session.add(Brand(workspace_id=seeded.workspace_id, **fields))
        session.commit()


def test_the_pdf_and_docx_carry_the_consultancys_name_colour_and_logo(app: Flask) -> None:
    from docx.shared import Cm

    from assess.reporting.pdf import render_pdf
    from assess.reporting.word import build_docx

    alpha, beta = seed_workspace(app, "Alpha"), seed_workspace(app, "Beta")
    logo = branding.clean_logo(_png(900, 300))
    _set_brand(app, beta, name="Nordlicht Beratung", colour="#7a1f3d", logo=logo)
    context = _report(app, beta)
    with pdfplumber.open(io.BytesIO(render_pdf(context))) as pdf:
        cover = pdf.pages[0]
        assert "Erstellt von Nordlicht Beratung" in cover.extract_text()
        assert len(cover.images) == 1 and cover.images[0]["x0"] > cover.width / 2  # the logo, top right
        second = pdf.pages[1]
        assert "Nordlicht Beratung · Vertraulich" in second.extract_text()  # the footer
        heading = [c for c in second.chars if c["text"] == "A" and c["size"] > 14]  # "Auf einen Blick"
        assert heading and all(_rgb(c["non_stroking_color"]) == (0x7A, 0x1F, 0x3D) for c in heading)
    doc = Document(io.BytesIO(build_docx(context)))
    assert doc.styles["Heading 1"].font.color.rgb == branding_rgb("#7a1f3d")
    assert "Nordlicht Beratung" in doc.sections[1].footer.paragraphs[0].text
    assert any("Erstellt von Nordlicht Beratung" in p.text for p in doc.paragraphs)
    assert doc.inline_shapes[0].height == Cm(2.0)  # the logo first, on the cover
    assert logo in [part.blob for part in doc.part.package.parts if part.partname.startswith("/word/media/")]
    # Another workspace's reports, and a self-assessment's, keep the product's look.
    assert _report(app, alpha)["brand"] is None


def test_a_self_assessment_keeps_the_products_look(app: Flask) -> None:
    """A self-assessing executive's organisation belongs to no workspace: no consultancy's brand, whatever is set."""
    seeded = seed_workspace(app, "Alpha")
    _set_brand(app, seeded, name="Nordlicht Beratung", colour="#7a1f3d")
    with Session(app.extensions["assess.engine"]) as session:
        own = Organisation(name="Selbst GmbH", industry="retail", size="50-249", workspace_id=None)
        session.add(own)
        session.flush()
        assert branding.report_brand(session, own) is None
        theirs = session.exec(select(Organisation).where(Organisation.workspace_id == seeded.workspace_id)).first()
        assert theirs is not None and branding.report_brand(session, theirs) is not None


def test_a_colour_edited_into_the_database_never_reaches_the_reports_css(app: Flask) -> None:
    seeded = seed_workspace(app, "Alpha")
    _set_brand(app, seeded, name="X", colour="red;}*{")
    brand = _report(app, seeded)["brand"]
    assert brand is not None and brand["colour"] is None


def _rgb(colour: Any) -> tuple[int, ...]:
    return tuple(round(float(v) * 255) for v in colour)


def branding_rgb(colour: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())
