"""The words for the codes stored with organisations and respondents: one table each, translated through the
message catalogs (the web's forms, the result pages, the printed report and exports all use these).

`N_` only marks a message for extraction (scripts/i18n); it is translated where it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from assess.reporting.catalogs import translations


def N_(message: str) -> str:
    return message


INDUSTRIES: Mapping[str, str] = {
    "automotive": N_("Automotive trade and workshops"), "manufacturing": N_("Manufacturing"),
    "retail": N_("Retail and e-commerce"), "telecom": N_("Telecommunications"),
    "energy": N_("Energy and utilities"), "finance": N_("Banking and insurance"),
    "logistics": N_("Transport and logistics"), "healthcare": N_("Health and care"),
    "public": N_("Public sector"), "it_services": N_("IT and business services"), "other": N_("Other"),
}
SIZES: Mapping[str, str] = {
    "1-49": N_("1–49 employees"), "50-249": N_("50–249 employees"), "250-999": N_("250–999 employees"),
    "1000-4999": N_("1,000–4,999 employees"), "5000+": N_("5,000 employees or more"),
}
ROLES: Mapping[str, str] = {
    "executive": N_("Executive / owner"), "management": N_("Management"),
    "service_staff": N_("Customer service staff"), "it": N_("IT"), "other": N_("Other"),
}
NO_ROLE = N_("Respondent")
LEVEL_NAMES: Mapping[int, str] = {  # the five maturity levels (assess.domain.levels holds their numbers)
    1: N_("Initial"), 2: N_("Emerging"), 3: N_("Defined"), 4: N_("Integrated"), 5: N_("Leading"),
}


def label(table: Mapping[str, str], code: str | None, lang: str) -> str:
    """The word for `code` in `lang` ("" for none; an unknown code as it is)."""
    if not code:
        return ""
    message = table.get(code)
    return translations(lang).gettext(message) if message else code


def role_label(role: str | None, lang: str) -> str:
    """A role's name, or "Respondent" for none."""
    return label(ROLES, role, lang) if role else translations(lang).gettext(NO_ROLE)


def level_name(level: int, lang: str) -> str:
    """A level's name ("Defined", "Definiert")."""
    return translations(lang).gettext(LEVEL_NAMES[level])
