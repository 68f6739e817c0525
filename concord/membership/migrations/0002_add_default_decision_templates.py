from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# The texts as first shipped; coordinators edit them afterwards. Kept here, not imported,
# so that a later change of the defaults does not rewrite history.
DEFAULTS = {
    ("accepted", "en"): (
        "Your membership application {reference} was accepted",
        "Welcome to {coalition}.\n\n"
        "The application of {agency} (reference {reference}) was accepted. Your primary "
        "representative and alternate will each receive an email to set a password and "
        "a second sign-in step.\n\n"
        "You can see your application here: {link}\n",
    ),
    ("accepted", "es"): (
        "Su solicitud de membresía {reference} fue aceptada",
        "Bienvenidos a {coalition}.\n\n"
        "La solicitud de {agency} (referencia {reference}) fue aceptada. Su representante "
        "principal y su suplente recibirán cada uno un correo para crear una contraseña y "
        "un segundo paso de inicio de sesión.\n\n"
        "Puede ver su solicitud aquí: {link}\n",
    ),
    ("declined", "en"): (
        "Your membership application {reference}",
        "Thank you for applying to {coalition}.\n\n"
        "After review, the application of {agency} (reference {reference}) was not "
        "accepted at this time, for this reason:\n\n{reason}\n\n"
        "You can see your application here: {link}\n",
    ),
    ("declined", "es"): (
        "Su solicitud de membresía {reference}",
        "Gracias por presentar su solicitud a {coalition}.\n\n"
        "Tras la revisión, la solicitud de {agency} (referencia {reference}) no fue "
        "aceptada por ahora, por este motivo:\n\n{reason}\n\n"
        "Puede ver su solicitud aquí: {link}\n",
    ),
    ("info_requested", "en"): (
        "More information needed for your membership application {reference}",
        "Thank you for applying to {coalition}.\n\n"
        "Before deciding on the application of {agency} (reference {reference}), the "
        "coalition asks:\n\n{information}\n\n"
        "Please edit and resubmit your application by {resubmit_by}: {link}\n",
    ),
    ("info_requested", "es"): (
        "Se necesita más información para su solicitud de membresía {reference}",
        "Gracias por presentar su solicitud a {coalition}.\n\n"
        "Antes de decidir sobre la solicitud de {agency} (referencia {reference}), la "
        "coalición pide:\n\n{information}\n\n"
        "Por favor, edite y vuelva a enviar su solicitud antes del {resubmit_by}: {link}\n",
    ),
}


def add_templates(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template = apps.get_model("membership", "DecisionTemplate")
    for (kind, language), (subject, body) in DEFAULTS.items():
        template.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_create_membership")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
