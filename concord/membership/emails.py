"""Decision emails: coordinators edit them per language, with a few named placeholders.

Placeholders are replaced by a plain pattern, not by a template engine, so an edited
template can neither run code nor break on a stray brace.
"""

import re
from collections.abc import Mapping

from concord.membership.models import DecisionKind, DecisionTemplate

PLACEHOLDERS = (
    "reference",
    "agency",
    "coalition",
    "reason",
    "information",
    "resubmit_by",
    "link",
    "hear_by",
)
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (DecisionKind.ACCEPTED, "en"): (
        "Your membership application {reference} was accepted",
        "Welcome to {coalition}.\n\n"
        "The application of {agency} (reference {reference}) was accepted. Your primary "
        "representative and alternate will each receive an email to set a password and "
        "a second sign-in step.\n\n"
        "You can see your application here: {link}\n",
    ),
    (DecisionKind.ACCEPTED, "es"): (
        "Su solicitud de membresía {reference} fue aceptada",
        "Bienvenidos a {coalition}.\n\n"
        "La solicitud de {agency} (referencia {reference}) fue aceptada. Su representante "
        "principal y su suplente recibirán cada uno un correo para crear una contraseña y "
        "un segundo paso de inicio de sesión.\n\n"
        "Puede ver su solicitud aquí: {link}\n",
    ),
    (DecisionKind.DECLINED, "en"): (
        "Your membership application {reference}",
        "Thank you for applying to {coalition}.\n\n"
        "After review, the application of {agency} (reference {reference}) was not "
        "accepted at this time, for this reason:\n\n{reason}\n\n"
        "You can see your application here: {link}\n",
    ),
    (DecisionKind.DECLINED, "es"): (
        "Su solicitud de membresía {reference}",
        "Gracias por presentar su solicitud a {coalition}.\n\n"
        "Tras la revisión, la solicitud de {agency} (referencia {reference}) no fue "
        "aceptada por ahora, por este motivo:\n\n{reason}\n\n"
        "Puede ver su solicitud aquí: {link}\n",
    ),
    (DecisionKind.INFO_REQUESTED, "en"): (
        "More information needed for your membership application {reference}",
        "Thank you for applying to {coalition}.\n\n"
        "Before deciding on the application of {agency} (reference {reference}), the "
        "coalition asks:\n\n{information}\n\n"
        "Please edit and resubmit your application by {resubmit_by}: {link}\n",
    ),
    (DecisionKind.INFO_REQUESTED, "es"): (
        "Se necesita más información para su solicitud de membresía {reference}",
        "Gracias por presentar su solicitud a {coalition}.\n\n"
        "Antes de decidir sobre la solicitud de {agency} (referencia {reference}), la "
        "coalición pide:\n\n{information}\n\n"
        "Por favor, edite y vuelva a enviar su solicitud antes del {resubmit_by}: {link}\n",
    ),
}


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def decision_message(kind: str, language: str, values: Mapping[str, str]) -> tuple[str, str]:
    """The subject and body of a decision email in ``language`` (English if the
    coalition has no template in that language)."""
    rows = DecisionTemplate.objects.filter(kind=kind, language__in={language, "en"})
    templates = {row.language: row for row in rows}
    template = templates.get(language) or templates.get("en")
    if template is not None:
        subject, body = template.subject, template.body
    else:
        subject, body = DEFAULTS.get((kind, language)) or DEFAULTS[(kind, "en")]
    # Headers must be one line, whatever was typed into the subject.
    return " ".join(fill(subject, values).split()), fill(body, values)
