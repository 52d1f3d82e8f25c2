"""A consultancy's look on its reports: its name, its primary colour and its logo.

Set per workspace by an admin; the reports of the workspace's assessments (PDF and DOCX, also the
ones its invited respondents download) show them on the cover and in the footer, and the colour
in headings and rules. Self-assessments keep the product's look. A logo is checked (PNG or JPEG,
size, pixel count) and re-encoded as PNG with Pillow before it is stored, so what reaches the
renderers is always a small, clean image without the upload's metadata.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlmodel import Session

from assess.db.models import Brand, Organisation, utcnow
from assess.domain.text import is_storable
from assess.reporting.labels import N_
from assess.services.audit import Actor, record

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 40_000_000  # checked before decoding: a small file must not unpack into gigabytes
LOGO_BOX = (1200, 400)  # px; a logo is scaled down to fit, which prints sharply at up to 6 × 2 cm
MIN_CONTRAST = 4.5  # WCAG AA for the colour's text (headings) on white
MAX_NAME = 120
_COLOUR = re.compile(r"#[0-9a-f]{6}")
TOO_MANY_PIXELS = N_("The logo has too many pixels: please upload one of at most 8000 × 5000.")


@dataclass(frozen=True, slots=True)
class BrandError(ValueError):
    """Why a brand setting was refused: a message id and its values, translated where it is shown."""

    message: str
    values: tuple[tuple[str, Any], ...] = ()

    def params(self) -> dict[str, Any]:
        return dict(self.values)


def clean_logo(data: bytes) -> bytes:
    """The uploaded logo as a PNG no larger than LOGO_BOX, without metadata; BrandError if it is not a logo."""
    if len(data) > MAX_LOGO_BYTES:
        raise BrandError(N_("The logo is larger than %(mb)d MB: please upload a smaller file."),
                         (("mb", MAX_LOGO_BYTES // (1024 * 1024)),))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in ("PNG", "JPEG"):
                raise BrandError(N_("The logo must be a PNG or JPEG image."))
            if width * height > MAX_LOGO_PIXELS:
                raise BrandError(TOO_MANY_PIXELS)
            _check_complete(kind, data)
            probe.load()
            image = probe.convert("RGBA")
    except BrandError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, for headers far beyond ours
        raise BrandError(TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise BrandError(N_("The logo could not be read as an image: please upload a PNG or JPEG file.")) from None
    image.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)  # a new file: no EXIF, no text chunks, no trailing data
    return out.getvalue()


def _check_complete(kind: str, data: bytes) -> None:
    """Refuse a cut-off file: WeasyPrint switches Pillow to decoding truncated images for the whole process, so
    load() alone would accept one (padded with grey)."""
    if kind == "PNG":
        with Image.open(io.BytesIO(data)) as again:
            again.verify()  # every chunk's checksum, up to IEND; raises on a cut
    elif b"\xff\xd9" not in data[-4096:]:  # a JPEG ends with its EOI marker (some writers append a little after it)
        raise OSError("the JPEG has no end")


def clean_colour(text: str) -> str:
    """A colour "#rrggbb" dark enough for headings on white; "" for the product's; BrandError otherwise."""
    colour = text.strip().lower()
    if not colour:
        return ""
    if not _COLOUR.fullmatch(colour):
        raise BrandError(N_("Please give the colour as #RRGGBB, for example #1f5f8b."))
    if contrast_with_white(colour) < MIN_CONTRAST:
        raise BrandError(N_("This colour is too light for text on white (contrast %(ratio)s : 1, at least 4.5 : 1 is "
                            "needed): please choose a darker shade."), (("ratio", round(contrast_with_white(colour), 1)),))
    return colour


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of `colour` ("#rrggbb") against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def tint(colour: str, share: float = 0.1) -> str:
    """`colour` mixed into white (`share` of the colour): the light fill of table headers and boxes."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in (r, g, b))


def brand_of(session: Session, workspace_id: int) -> Brand | None:
    return session.get(Brand, workspace_id)


def save_brand(session: Session, actor: Actor, *, name: str, colour: str, logo: bytes | None = None,
               remove_logo: bool = False) -> Brand:
    """Set the actor's workspace's brand (a new `logo` is cleaned first); BrandError and nothing stored if any part is
    refused."""
    name = " ".join(name.split())
    if len(name) > MAX_NAME or not is_storable(name):
        raise BrandError(N_("Please give a name of at most %(max)d characters."), (("max", MAX_NAME),))
    colour = clean_colour(colour)
    cleaned = clean_logo(logo) if logo else None
    brand = session.get(Brand, actor.workspace_id) or Brand(workspace_id=actor.workspace_id)
    brand.name, brand.colour, brand.updated_at = name, colour, utcnow()
    if cleaned is not None:
        brand.logo = cleaned
    elif remove_logo:
        brand.logo = None
    session.add(brand)
    session.flush()
    record(session, actor, "set_brand", "workspace", actor.workspace_id)
    return brand


def report_brand(session: Session, organisation: Organisation) -> dict[str, Any] | None:
    """What a report of `organisation`'s assessments shows of its consultancy (None: a self-assessment, or no brand)."""
    if organisation.workspace_id is None:
        return None
    brand = session.get(Brand, organisation.workspace_id)
    if brand is None or not (brand.name or brand.colour or brand.logo):
        return None
    colour = brand.colour if _COLOUR.fullmatch(brand.colour) else None  # it goes into the reports' CSS: checked again
    return {
        "name": brand.name,
        "colour": colour,
        "colour_light": tint(colour) if colour else None,
        "logo": base64.b64encode(brand.logo).decode("ascii") if brand.logo else None,  # a PNG (clean_logo)
    }
