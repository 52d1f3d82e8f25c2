"""The board report as an editable Word document (python-docx), from the same report context as the PDF.

Consultants edit the report before they hand it over: the DOCX has the PDF's sections in the same
order and words (the same message catalog), headings as Word's own heading styles (so Word's
contents and navigation pane work; the full report carries a contents field Word fills in), tables as
Word tables and the charts as PNG images drawn by the same Chromium as the PDF's. It is cached in the
shared cache by its content like the PDF and deleted with its assessment.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from assess.reporting.catalogs import translations
from assess.reporting.charts import PRINT_WIDTH, charts_for, print_figure
from assess.reporting.labels import level_name, role_label
from assess.reporting.numbers import number, percent
from assess.reporting.stored import built_once, cache_generations, cache_tags, report_key
from assess.reporting.templates import language_name, long_date

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BRAND = "1F5F8B"  # the product's colour (reports/report.css --brand)
MUTED = "5B6670"
TEXT_WIDTH = Cm(17.4)  # A4 less 18 mm margins: the PDF's text width
CHART_SCALE = 2  # PNG pixels per CSS pixel: sharp when printed


def docx_key(context: Mapping[str, Any]) -> str:
    """The shared cache's key of the DOCX of `context`: its content and this module's code."""
    return report_key("report-docx", _fingerprint(), context)


def render_docx(context: dict[str, Any]) -> bytes:
    """The report of `context` as DOCX bytes (built once per content, shared by all workers)."""
    return built_once(docx_key(context), context, lambda: build_docx(context))


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def chart_pngs(context: dict[str, Any]) -> dict[str, bytes]:
    """The report's charts as PNG, through the same figures and Chromium as the PDF's SVGs."""
    from assess.reporting.svg import figure_png, start_server

    start_server()
    gettext = translations(context["lang"]).gettext
    tags, expect = cache_tags(context), cache_generations(context)
    return {name: figure_png(print_figure(name, context, gettext), PRINT_WIDTH, None, CHART_SCALE, tags, expect)
            for name in charts_for(context)}


def build_docx(context: dict[str, Any], charts: Mapping[str, bytes] | None = None) -> bytes:
    """Build the DOCX of `context`; `charts` (name → PNG) are drawn when not given."""
    charts = chart_pngs(context) if charts is None else charts
    writer = _Writer(context, charts)
    writer.write()
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


class _Writer:
    """Writes the report's sections into one Word document, in the PDF's order (assess/reporting/compose.py)."""

    def __init__(self, context: dict[str, Any], charts: Mapping[str, bytes]) -> None:
        self.r = context
        self.lang: str = context["lang"]
        self.charts = charts
        catalog = translations(self.lang)
        self._: Callable[..., str] = catalog.gettext
        self.n: Callable[[str, str, int], str] = catalog.ngettext
        brand = context.get("brand") or {}
        self.brand_name: str = brand.get("name") or ""
        self.colour = (brand.get("colour") or "#" + BRAND).lstrip("#").upper()  # checked #rrggbb (services.branding)
        self.light = (brand.get("colour_light") or "#E8F0F6").lstrip("#").upper()
        self.logo = base64.b64decode(brand["logo"]) if brand.get("logo") else None
        self.doc: DocumentObject = Document()
        self._styles()

    # -- the document's frame -------------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(9.5)
        normal.paragraph_format.space_after = Pt(4)
        for name, size in (("Title", 24), ("Heading 1", 17), ("Heading 2", 12), ("Heading 3", 10.5)):
            style = styles[name]
            style.font.name = "DejaVu Sans"
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(self.colour if name != "Heading 3" else "1B1F23")
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.0)
        section.left_margin = section.right_margin = Cm(1.8)
        # Word's language for spelling and hyphenation
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "de-DE" if self.lang == "de" else "en-GB")
        rpr.append(lang)
        core = self.doc.core_properties
        meta = self.r["meta"]
        core.title = meta["title"]
        core.author = meta["organisation"] or "assess"
        core.subject = self._("Digital readiness report")
        core.language = self.lang
        core.created = dt.datetime.combine(dt.date.fromisoformat(meta["date"]), dt.time(), dt.UTC)

    def _running(self) -> None:
        """From the second section on: the organisation and title above, the confidentiality note and page X of Y below."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        meta = self.r["meta"]
        head = section.header.paragraphs[0]
        self._small(head, f"{meta['organisation'] or self._('Organisation not named')}  ·  {meta['title']}")
        foot = section.footer.paragraphs[0]
        self._small(foot, self._confidential() + "\t")
        self.doc.styles["Footer"].paragraph_format.tab_stops.clear_all()  # the template's centre tab
        foot.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)
        message = self._("Page %(page)s of %(pages)s")
        before, _, rest = message.partition("%(page)s")
        middle, _, after = rest.partition("%(pages)s")
        self._small(foot, before)
        _field(foot, "PAGE")
        self._small(foot, middle)
        _field(foot, "NUMPAGES")
        self._small(foot, after)

    def _confidential(self) -> str:
        note = self._("Confidential. Prepared for the board and management.")
        return f"{self.brand_name} · {note}" if self.brand_name else note

    @staticmethod
    def _small(paragraph: Paragraph, text: str) -> None:
        run = paragraph.add_run(text)
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor.from_string(MUTED)

    # -- building blocks --------------------------------------------------------------------------------------

    def h(self, text: str, level: int) -> Paragraph:
        heading = self.doc.add_heading(text, level)
        heading.paragraph_format.keep_with_next = True
        return heading

    def p(self, text: str = "", *, muted: bool = False, bold_lead: str = "", style: str | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
            paragraph.add_run(" ")
        run = paragraph.add_run(text)
        if muted:
            run.font.color.rgb = RGBColor.from_string(MUTED)
            run.font.size = Pt(8)
        return paragraph

    def items(self, texts: Sequence[str], *, numbered: bool = False, box: bool = False) -> None:
        """A numbered or bulleted list; `box`: a checklist (a box to tick instead of the bullet)."""
        for text in texts:
            if box:
                paragraph = self.p("☐\t" + text)
                paragraph.paragraph_format.left_indent = Cm(0.6)
                paragraph.paragraph_format.first_line_indent = Cm(-0.6)
                paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.6))
            else:
                self.p(text, style="List Number" if numbered else "List Bullet")

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              right: Sequence[int] = (), bold_last: bool = False) -> Table:
        """A table with a repeated, shaded header row; `widths` in cm, `right` the right-aligned columns."""
        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        cells = table.rows[0].cells
        for i, text in enumerate(head):
            cells[i].text = ""
            run = cells[i].paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(8)
            _shade(cells[i], self.light)
        _repeat_header(table.rows[0])
        for values in rows:
            row = table.add_row().cells
            for i, text in enumerate(values):
                row[i].text = str(text)
        _fixed_widths(table, widths)
        for row_index, row_obj in enumerate(table.rows):
            for i, cell in enumerate(row_obj.cells):
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(1)
                    if i in right:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    if bold_last and row_index == len(table.rows) - 1:
                        for run in paragraph.runs:
                            run.bold = True
        self.doc.add_paragraph()
        return table

    def chart(self, name: str, caption: str) -> None:
        if name not in self.charts:
            return
        self.doc.add_picture(io.BytesIO(self.charts[name]), width=TEXT_WIDTH)
        self.p(caption, style="Caption")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def num(self, value: float | None, digits: int = 1) -> str:
        return number(value, self.lang, digits)

    # -- the sections ---------------------------------------------------------------------------------------

    def write(self) -> None:
        self.cover()
        self._running()
        if self.r["full"]:
            self.contents()
        self.glance()
        self.page_break()
        self.standing()
        self.page_break()
        self.maturity()
        self.page_break()
        self.roadmap()
        for phase in self.r["roadmap"]["phases"]:
            self.phase(phase, last=phase is self.r["roadmap"]["phases"][-1])
        if self.r["full"]:
            if self.r["multi"]:
                self.page_break()
                self.respondents()
            for dimension in self.r["dimensions"]:
                self.page_break()
                self.dimension(dimension)
        self.page_break()
        self.method()

    def cover(self) -> None:
        _, meta = self._, self.r["meta"]
        if self.logo:
            self.doc.add_picture(io.BytesIO(self.logo), height=Cm(2.0))
            self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.p(_("Digital readiness report").upper(), muted=True)
        org = self.p()
        run = org.add_run(meta["organisation"] or _("Organisation not named"))
        run.font.size, run.bold = Pt(14), True
        self.doc.add_paragraph(meta["title"], style="Title")
        self.p(_("Customer-service digitalisation: where you stand and the order in which to build"))
        q = self.r["questionnaire"]
        rows = [(_("Date"), long_date(meta["date"], self.lang)),
                (_("Questionnaire"), f"{q['title']} · {q['id']}, " + _("version %(version)s") % {"version": q["version"]}),
                (_("Language"), language_name(self.lang)),
                (_("Respondents"), str(self.r["respondents"]) + (
                    f" · {meta['respondent_label']}" if not self.r["multi"] and meta["respondent_label"] else ""))]
        rows += [(label, meta[key]) for label, key in ((_("Industry"), "industry"), (_("Size"), "size")) if meta[key]]
        if self.brand_name:
            by = self.p()
            run = by.add_run(_("Prepared by %(name)s") % {"name": self.brand_name})
            run.bold, run.font.color.rgb = True, RGBColor.from_string(self.colour)
        table = self.doc.add_table(rows=0, cols=2)
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
            cells[0].paragraphs[0].runs[0].bold = True
            cells[0].width, cells[1].width = Cm(4), Cm(12)
        self.doc.add_paragraph()
        self.p(self._confidential(), muted=True)

    def contents(self) -> None:
        """Word's contents field over the headings: filled in when Word opens the file (it asks to update fields)."""
        self.h(self._("Contents"), 1)
        paragraph = self.doc.add_paragraph()
        _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', self._("Contents"))
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        self.page_break()

    def glance(self) -> None:
        _, g, o = self._, self.r["glance"], self.r["overall"]
        self.h(_("At a glance"), 1)
        overall = f"{self.num(o['score'], 0)} / 100"
        level = (_("Level %(level)s · %(name)s") % {"level": self.num(o["level"]), "name": o["level_name"]}
                 if o["level_name"] else _("not reliably scored"))
        change = self.r["change"]
        if change and change["overall_before"] is not None:
            level += " · " + _("Before: %(score)s (%(label)s)") % {
                "score": self.num(change["overall_before"], 0), "label": change["label"]}
        elif change and change["versions"]:
            level += " · " + _("Not compared with %(label)s: the questionnaire changed from version %(before)s to "
                               "%(now)s") % {"label": change["label"], **{k: change["versions"][k] for k in ("before", "now")}}
        self.table([_("Overall index"), _("Balance index"), _("Basis")],
                   [[overall, f"{self.num(o['balance'], 0)} / 100", str(self.r["respondents"])],
                    [level, _("100 = all dimensions equally mature"), self.r["basis"]]], (5.8, 5.8, 5.8))
        self.h(_("Key messages"), 2)
        self.items(g["messages"], numbered=True)
        if g["decisions"]:
            self.h(_("What the board is asked to decide"), 2)
            self.items(g["decisions"], box=True)
        if g["plan"]:
            self.h(_("The first 90 days"), 2)
            rows = [[(f"[{_('quick win')}] " if row["quick"] else "") + row["title"], row["area"],
                     f"{row['start']}–{row['end']}", ""] for row in g["plan"]]
            self.table([_("Measure"), _("Area"), _("Weeks"), _("Owner")], rows, (7.6, 4.2, 1.8, 3.8), right=(2,))
            if g["plan_more"]:
                self.p(self.n("%(num)d more measure starts in these weeks; the roadmap lists it.",
                              "%(num)d more measures start in these weeks; the roadmap lists them.", g["plan_more"])
                       % {"num": g["plan_more"]}, muted=True)

    def standing(self) -> None:
        _, g = self._, self.r["glance"]
        self.h(_("Where you stand"), 1)
        rows = [[str(i), d["title"], self.num(d["score"], 0), f"{self.num(d['level'])} · {d['level_name']} ({d['target']})"]
                for i, d in enumerate(g["ranked"], start=1)]
        rows += [["–", title, "–", _("not reliably scored")] for title in g["unscored"]]
        self.table(["#", _("Dimension"), _("Score"), _("Level (target)")], rows, (0.8, 7.2, 2.2, 7.2), right=(0, 2))
        self.p(_("Levels: the mean level with one decimal; its name is that of the last level fully reached."), muted=True)
        if g["effort"]:
            self.h(_("Effort"), 2)
            rows = [[e["label"], e["weeks"], str(e["measures"]), f"{e['days'][0]}–{e['days'][1]}"] for e in g["effort"]]
            rows.append([_("Total"), "", str(sum(e["measures"] for e in g["effort"])),
                         f"{g['effort_total'][0]}–{g['effort_total'][1]}"])
            self.table([_("Step"), _("When"), _("Measures"), _("Person-days")], rows, (5.0, 5.0, 3.2, 4.2),
                       right=(2, 3), bold_last=True)
            self.p(_("Internal person-days estimated from each measure's effort level (see the method); external costs "
                     "come on top."), muted=True)
        if self.r["by_role"]:
            self.h(_("How the roles see it"), 2)
            self.chart("roles", _("Each role's score per dimension (0–100); the grey bar is the distance between them."))
            if self.r["perception_gap"]:
                self.p(_("Perception gap: management's score minus the service staff's, in points; index %(index)s (the "
                         "mean distance over the dimensions).") % {"index": self.num(self.r["perception_gap"]["index"])},
                       muted=True)
        self.h(_("Isolated-solution risks"), 2)
        if g["risks"]:
            for risk in g["risks"]:
                self.p(risk["text"], bold_lead=risk["areas"] + ":", style="List Bullet")
        else:
            self.p(_("No isolated-solution risk found: no dimension is far ahead of what it depends on."))

    def maturity(self) -> None:
        _ = self._
        self.h(_("Maturity at a glance"), 1)
        self.chart("radar", _("Current level per dimension (1–5) against the target."))
        self.chart("bars", _("Score per dimension (0–100) with its coverage; grey bars are not reliably scored, the mark "
                             "is the target."))

    def roadmap(self) -> None:
        _, rm = self._, self.r["roadmap"]
        self.h(_("Roadmap"), 1)
        if not rm["phases"]:
            self.p(_("Every dimension has reached its target: no measures are needed."))
            return
        self.p(_("The most urgent measures with what they build on. Each starts as soon as its foundations are done, at "
                 "most %(capacity)d at once; each phase ends in a quality gate.") % {"capacity": rm["settings"]["capacity"]}
               + " " + _("About %(weeks)d weeks in total.") % {"weeks": rm["total_weeks"]})
        self.chart("timeline", _("The roadmap by quarter: each measure from its start to its end, coloured by dimension."))
        if rm["quick_wins"]:
            self.h(_("Quick wins: contain the damage now"), 3)
            self.items([m["title"] for m in rm["quick_wins"]], box=True)
        if rm["assumptions"]:
            self.h(_("The plan assumes"), 3)
            self.items([a["text"] for a in rm["assumptions"]], box=True)

    def phase(self, phase: dict[str, Any], *, last: bool) -> None:
        _ = self._
        weeks = _("weeks %(start)d–%(end)d") % {"start": phase["start_week"] + 1,
                                                "end": phase["start_week"] + phase["duration_weeks"]}
        self.h(_("Phase %(number)d") % {"number": phase["number"]} + " · " + weeks, 2)
        if phase["measures"]:
            titles = self.r["measure_titles"]
            rows = [[m["title"], self.why(m), "; ".join(titles.get(p, p) for p in m["prerequisites"]) or "–",
                     self.effort(m["effort"]), f"{m['start_week'] + 1}–{m['end_week']}"] for m in phase["measures"]]
            table = self.table([_("Measure"), _("Why"), _("Prerequisites"), _("Effort"), _("Weeks")], rows,
                               (5.2, 5.0, 3.4, 2.0, 1.8), right=(4,))
            for row, m in zip(table.rows[1:], phase["measures"], strict=True):
                title = row.cells[0].paragraphs[0]
                for run in title.runs:
                    run.bold = True
                if self.r["full"]:
                    description = row.cells[0].add_paragraph().add_run(m["description"])
                    description.font.size = Pt(8)
        gate = phase["gate"]
        if gate["conditions"] or gate["kpis"]:
            self.h(_("Quality gate before phase %(number)d") % {"number": phase["number"] + 1} if not last
                   else _("Quality gate: target reached"), 3)
            kpi = _("KPI:")
            self.items([c["text"] for c in gate["conditions"]] + [f"{kpi} {k['text']}" for k in gate["kpis"]], box=True)
            more = [c["text"] for c in gate["appendix"]] + [f"{kpi} {k['text']}" for k in gate["appendix_kpis"]]
            if more and self.r["full"]:
                lead = self.n("%(num)d more item in the appendix", "%(num)d more items in the appendix", len(more)) % {
                    "num": len(more)}
                self.p(" · ".join(more), muted=True, bold_lead=lead + ":")
            elif more:
                self.p(self.n("%(num)d more item in the full report.", "%(num)d more items in the full report.", len(more))
                       % {"num": len(more)}, muted=True)

    def why(self, measure: dict[str, Any]) -> str:
        own = [w for w in measure["why"] if w["kind"] != "required_by"]
        later = [w for w in measure["why"] if w["kind"] == "required_by"]
        parts = []
        if own:
            text = own[0]["text"]
            if len(own) > 1:
                text += " " + self.n("(and %(num)d more reason)", "(and %(num)d more reasons)", len(own) - 1) % {
                    "num": len(own) - 1}
            parts.append(text)
        if later:
            parts.append(self.n("Foundation for %(num)d later measure", "Foundation for %(num)d later measures",
                                len(later)) % {"num": len(later)})
        return "\n".join(parts)

    def effort(self, effort: str) -> str:
        return {"low": self._("low"), "medium": self._("medium"), "high": self._("high")}[effort]

    def respondents(self) -> None:
        _, r = self._, self.r
        self.h(_("Where respondents disagree"), 1)
        self.p(self.n("%(num)d person answered.", "%(num)d people answered.", r["respondents"]) % {"num": r["respondents"]}
               + " " + _("Where their views differ widely, discuss the question in a workshop before investing."))
        self.chart("spread", _("Lowest to highest respondent score per dimension (0–100), with the mean."))
        self.h(_("Workshop agenda"), 2)
        if r["disagreements"]:
            rows = [[q["text"] + (f" ({_('split')})" if q["split"] else ""),
                     "; ".join(f"{role_label(role, self.lang)}: {', '.join(str(v) for v in levels)}"
                               for role, levels in q["by_role"].items())] for q in r["disagreements"]]
            self.table([_("Question"), _("Levels given, by role")], rows, (11.0, 6.4))
        else:
            levels = r["scoring"]["disagreement_levels"]
            self.p(self.n("No question where respondents are %(num)d or more levels apart.",
                          "No question where respondents are %(num)d or more levels apart.", levels) % {"num": levels})
        for f in r["findings"]:
            self.p(_("%(role)s answered “don't know” to %(share)s of the questions on “%(dimension)s”.") % {
                "role": role_label(f["role"], self.lang), "share": percent(f["share"]),
                "dimension": r["dimension_titles"][f["dimension"]]})

    def dimension(self, d: dict[str, Any]) -> None:
        _, r = self._, self.r
        self.h(d["title"], 1)
        facts = [(f"{self.num(d['score'], 0)} / 100 · " + _("Level %(level)s · %(name)s") % {
            "level": self.num(d["level"]), "name": d["level_name"]}) if d["reliable"] else _("not reliably scored"),
            _("Target: level %(level)d · %(name)s") % {"level": d["target"], "name": d["target_name"]},
            _("Coverage %(coverage)s · not applicable %(na)s") % {"coverage": percent(d["coverage"]),
                                                                   "na": percent(d["na_share"])}]
        change = r["change"]["dimensions"][d["id"]] if r["change"] else None
        if change and change["delta"] is not None:
            delta = ("+" if change["delta"] > 0 else "") + self.num(change["delta"])
            facts.append(_("Change since %(label)s: %(delta)s") % {"label": r["change"]["label"], "delta": delta})
        if change and change["note"]:
            facts.append(change["note"])
        self.p(" · ".join(facts[:1]) + "\n" + "\n".join(facts[1:]))
        if d["description"]:
            self.p(d["description"])
        if change and change["not_comparable"]:
            self.p(_("Not comparable with %(label)s:") % {"label": r["change"]["label"]} + " " + "; ".join(
                f"{' · '.join(q['texts'])} ({q['reason']})" for q in change["not_comparable"]), muted=True)
        if r["multi"]:
            rows = [[self.question_text(q), self.question_level(q), *self.distribution(q)] for q in d["question_details"]]
            self.table([_("Question"), _("Level"), "1", "2", "3", "4", "5", "?", _("n/a")], rows,
                       (9.1, 1.5, *([0.8] * 5), 0.9, 1.9), right=tuple(range(1, 9)))
            self.p(_("Columns 1–5: how many respondents chose each level; ? = don't know; n/a = not applicable."), muted=True)
        else:
            rows = [[self.question_text(q), *self.single_answer(q)] for q in d["question_details"]]
            self.table([_("Question"), _("Level"), _("What the answer means")], rows, (7.4, 1.4, 8.6), right=(1,))

    def question_text(self, q: dict[str, Any]) -> str:
        _, lines = self._, [q["text"]]
        if self.r["multi"]:  # an agreed level is the result of record: it goes before a split
            if q["split"] and not q["consensus"]:
                lines[0] += f" [{_('split')}]"
                lines.append(_("Two camps: the mean describes nobody's answer; see the distribution."))
            elif q["disagreement"]:
                lines[0] += f" [{_('disagreement')}]"
            if q["consensus"]:
                line = _("Agreed in the workshop: %(text)s") % {"text": q["chosen_text"]}
                if q["stats"]:
                    line += " " + self.n("(the respondent gave %(mean)s)", "(the mean of %(num)d respondents was %(mean)s)",
                                         q["respondents"]) % {"num": q["respondents"], "mean": self.num(q["stats"]["mean"])}
                lines.append(line)
            elif not q["split"] and q["chosen_text"]:
                lines.append(self.n("The respondent's level: %(text)s", "The mean of %(num)d respondents corresponds to: "
                                    "%(text)s", q["respondents"]) % {"num": q["respondents"], "text": q["chosen_text"]})
            lines += [_("“%(text)s”") % {"text": c["text"].strip()} + f" – {role_label(c['role'], self.lang)}"
                      for c in q["comments"]]
            lines += [f"{_('Not applicable:')} {reason}" for reason in q["na_reasons"]]
        else:
            lines += [f"{_('Comment:')} {c['text'].strip()}" for c in q["comments"]]
        return "\n".join(lines)

    def question_level(self, q: dict[str, Any]) -> str:
        if q["split"] and not q["consensus"]:
            return f"{self.num(q['stats']['min'], 0)} / {self.num(q['stats']['max'], 0)}"
        return self.num(q["level"])

    @staticmethod
    def distribution(q: dict[str, Any]) -> list[str]:
        return [str(q["distribution"][key] or "·") for key in ("1", "2", "3", "4", "5", "dont_know", "na")]

    def single_answer(self, q: dict[str, Any]) -> tuple[str, str]:
        _ = self._
        if q["answer"] is None:
            return "–", _("not answered")
        if q["answer"] == "dont_know":
            return "?", _("Don't know")
        if q["answer"] == "na":
            return _("n/a"), _("Not applicable") + (f": {q['na_reasons'][0]}" if q["na_reasons"] else "")
        return q["answer"], q["chosen_text"]

    def method(self) -> None:
        _, s, full = self._, self.r["scoring"], self.r["full"]
        self.h(_("Method and glossary"), 1)
        self.h(_("Maturity levels"), 2)
        looks = [_("Ad hoc, individual effort, no shared practice."),
                 _("First tools or pilots, isolated, depends on single people."),
                 _("Documented and repeatable within departments."),
                 _("Connected across departments and systems, measured."),
                 _("Continuously improved from data and feedback; a reference for others.")]
        self.table([_("Level"), _("Name"), _("What it looks like")],
                   [[str(i), level_name(i, self.lang), text] for i, text in enumerate(looks, start=1)], (1.4, 3.6, 12.4),
                   right=(0,))
        self.h(_("How the numbers are computed"), 2)
        e = self.r["glance"]["effort_days"]
        terms: list[tuple[str, str, bool]] = [
            (_("Answers"), _("Every question describes five maturity levels in words. A respondent picks the level that "
                             "fits, or answers “don't know” or “not applicable” (with a reason). Neither of the two counts "
                             "as zero: both are left out of the score."), True),
            (_("Score"), _("Level 1 counts as 0 points, level 2 as 25, level 3 as 50, level 4 as 75 and level 5 as 100. "
                           "With several respondents a question's level is the mean of the levels they gave; a level "
                           "agreed in a workshop replaces the mean. A dimension's score is the weighted mean of its "
                           "answered questions; the overall index is the weighted mean of the reliably scored "
                           "dimensions."), False),
            (_("Coverage"), _("The share of a dimension's applicable questions (by weight) that were answered with a "
                              "level. Below %(coverage)s coverage, or with more than %(na)s “not applicable” answers, a "
                              "dimension is marked “not reliably scored”: it gets no number and is left out of the "
                              "overall index.") % {"coverage": percent(s["min_coverage"]), "na": percent(s["max_na_share"])},
             True),
            (_("Level"), _("A score converted back to the 1–5 scale. A level counts as reached only when the score has "
                           "fully reached it: 2.9 has not yet reached level 3."), False),
            (_("Effort"), _("Internal person-days per measure, estimated from its effort level in the catalogue: low "
                            "%(low)s, medium %(medium)s, high %(high)s person-days. A phase's effort is the sum over its "
                            "measures, as a range; external costs (licences, consultants) come on top.") % e, False),
            (_("Isolated-solution warnings"), _("The questionnaire contains rules for typical islands, for example an "
                                                "online channel that is far ahead of the process behind it. A warning "
                                                "appears when the answers match such a rule: one capability is well "
                                                "ahead of what it depends on, so further investment there will not "
                                                "reach the customer."), False),
            (_("Quality gate"), _("At the end of each phase: the levels the measures finished by then are to reach, first "
                                  "those the next phase needs once all the work that builds them is done, and their "
                                  "KPIs; at most six items, two of them kept for KPIs; the rest are counted, and listed "
                                  "in the full report's appendix. A gate asks only for what the work before it can "
                                  "reach. A level that no measure builds, or builds only part of the way, is named as an "
                                  "assumption of the plan."), False),
        ]
        for term, text, only_full in terms:
            if full or not only_full:
                self.p(text, bold_lead=term + ":")
        if not full:
            self.p(_("The full report explains every figure in its method section and shows every question with its "
                     "answers in the appendix."), muted=True)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) that Word computes; `placeholder` shows until it does."""
    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run.font.size = Pt(7.5)
    run._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    run._r.append(char("separate"))
    shown = paragraph.add_run(placeholder)
    shown.font.size = Pt(7.5)
    end = paragraph.add_run()
    end._r.append(char("end"))


def _fixed_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in cm, in the grid (LibreOffice reads it) and in every cell (Word does), laid out fixed."""
    for i, column in enumerate(table.columns):
        column.width = Cm(widths[i])
        for cell in column.cells:
            cell.width = Cm(widths[i])
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


__all__ = ["MIMETYPE", "build_docx", "chart_pngs", "docx_key", "render_docx"]
