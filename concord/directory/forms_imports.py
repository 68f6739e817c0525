"""The upload form of directory imports (issue 5): one file, checked by its content."""

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.directory.services.uploads import CheckedUpload, check_upload


class ImportUploadForm(OneTimeTokenMixin, forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
        widget=forms.FileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An HSDS JSON file, or a ZIP of a tabular package: the CSV files with their "
            "datapackage.json. At most %(limit)s."
        ) % {"limit": filesizeformat(settings.DIRECTORY_IMPORT_MAX_BYTES)}
        self.checked: CheckedUpload | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload
